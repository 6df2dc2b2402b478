/**
 * A bare Partner Center token (PARTNER_CENTER_TOKEN) and the Partner Center licence API cannot
 * show what the credential may change. Before a customer's first purchase, `apply` proves the
 * licence write by re-asserting a licence a moving user holds, unchanged (src/apply/access-check.ts);
 * refused, the customer is refused once and nothing is bought. The demo world's buy-only agent may
 * buy everywhere but change licences everywhere except at Contoso. In-process (`main`) against the
 * sandbox over HTTP.
 */
import { rm } from "node:fs/promises";
import { afterEach, beforeEach, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { tempCheckout } from "../helpers/cli.js";
import { DEMO, DEMO_NOW } from "../helpers/demo-customers.js";
import { runMain } from "../helpers/in-process.js";

let sb: SandboxHandle;
let cwd: string;
const saved = process.env.PARTNER_CENTER_TOKEN;

beforeEach(async () => {
  sb = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), port: 0, clock: DEMO_NOW });
  cwd = await tempCheckout();
  process.env.PARTNER_CENTER_TOKEN = SANDBOX_TOKENS.buyOnly;
});

afterEach(async () => {
  if (saved === undefined) delete process.env.PARTNER_CENTER_TOKEN;
  else process.env.PARTNER_CENTER_TOKEN = saved;
  await sb.close();
  await rm(cwd, { recursive: true, force: true });
});

const run = (args: string[]) =>
  runMain([...args, "--endpoint", sb.url, "--now", DEMO_NOW, "--license-api", "partner-center", "--customer", DEMO.contoso, "--customer", DEMO.woodgrove], {
    cwd,
  });
const writesAt = (customer: string) => sb.requestLog.filter((e) => e.write && e.path.toLowerCase().includes(customer));

it("plan says access is not verified and how it will be; apply buys nothing where the proof is refused, said once, and applies the rest", async () => {
  const plan = await run(["plan", "--format", "json"]);
  const customers = (JSON.parse(plan.stdout) as { customers: { id: string; access: { state: string; how: string } | null }[] }).customers;
  expect(customers.map((c) => c.access?.state)).toEqual(["unverified", "unverified"]);
  expect(customers[0].access?.how).toContain("Partner Center licence API");

  const apply = await run(["apply", "--auto-approve"]);
  expect(apply.code, apply.stdout + apply.stderr).toBe(3);
  // Contoso: one licenseupdates (the proof, refused 403), no cart, no order, no change.
  expect(writesAt(DEMO.contoso).map((e) => [e.method, e.path.replace(/users\/[^/]+/, "users/…"), e.status])).toEqual([
    ["POST", `/v1/customers/${DEMO.contoso}/users/…/licenseupdates`, 403],
  ]);
  expect(sb.changes.filter((c) => c.customerId.toLowerCase() === DEMO.contoso)).toEqual([]);
  const refusal = apply.stdout.split("\n").filter((l) => l.includes("could not be shown to change licenses"));
  expect(refusal).toHaveLength(1);
  expect(refusal[0]).toMatch(
    /refused +Contoso Ltd .*re-asserting \S+'s MCOIMP licence unchanged was refused .*403.*nothing was bought or written for this customer/,
  );

  // Woodgrove: the proof went first and changed nothing (the first change is the purchase), then the migration.
  const first = writesAt(DEMO.woodgrove)[0];
  expect([first?.path.endsWith("/licenseupdates"), first?.status]).toEqual([true, 201]);
  const woodgrove = sb.changes.filter((c) => c.customerId.toLowerCase() === DEMO.woodgrove);
  expect(woodgrove[0]?.kind).not.toBe("licenses");
  expect(woodgrove.filter((c) => c.kind === "licenses")).toHaveLength(4);
  expect(apply.stdout).toMatch(/applied +Woodgrove Bank/);
});

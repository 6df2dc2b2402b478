/**
 * Issue 11, "a saved plan decides nothing by itself". Its digest is unkeyed, so whoever can write
 * the file can rewrite it consistently; `apply PLANFILE` must then still refuse, with no write:
 * actions that are not what the plan files give for the live state (here: retirements dropped,
 * a retirement added), plan files edited since `plan --out`, another endpoint, a customer listed
 * twice, a customer in no plan file. (Forged seat counts and malformed files: test/hostile/.)
 * `pcplan` runs in-process through `main` (test/helpers/in-process.ts): what is under test is the
 * saved plan's checks, not the process.
 */
import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson, type SavedPlan } from "../../src/saved-plan/saved-plan.js";
import { DEMO, DEMO_NOW } from "../helpers/demo-customers.js";
import { startDemoRun, type DemoRun } from "../helpers/demo-run.js";
import type { CliResult } from "../helpers/cli.js";

let run: DemoRun;
let saved: Promise<SavedPlan> | undefined;

/** Writes `plan` with its digest recomputed, as a forger would. */
async function forge(plan: SavedPlan, dir = run.cwd): Promise<string> {
  const { integrity: _drop, ...body } = plan;
  const file = join(dir, `forged-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify({ ...body, integrity: "sha256:" + createHash("sha256").update(canonicalJson(body)).digest("hex") }));
  return file;
}
/**
 * A copy of the genuine saved plan (`plan --out plan.json`), made by the first test that needs it:
 * in a test rather than in beforeAll, so that a mutant breaking the plan fails a test instead of
 * skipping them all (docs/testing.md, mutation testing).
 */
async function copy(): Promise<SavedPlan> {
  saved ??= (async () => {
    const r = await run.cli(["plan", "--out", "plan.json"]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(await readFile(join(run.cwd, "plan.json"), "utf8")) as SavedPlan;
  })();
  return structuredClone(await saved);
}
const customer = (p: SavedPlan, id: string) => p.customers.find((c) => c.plan.customerId === id)!;

function expectRefused(r: CliResult, message: RegExp): void {
  expect(r.code, r.stdout + r.stderr).toBe(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(run.writes()).toEqual([]);
}

beforeAll(async () => {
  run = await startDemoRun({ inProcess: true });
}, 60_000);
afterAll(async () => {
  await run.close();
});

// Each case reads the whole demo world; a hang guard sized for a loaded 2-core machine.
describe("a rewritten saved plan is refused, nothing written", { timeout: 120_000 }, () => {
  it("retirements dropped (suspendSource: false, as a forger would make it)", async () => {
    const p = await copy();
    for (const c of p.customers) c.plan.actions = c.plan.actions.filter((a) => a.kind !== "suspend");
    expectRefused(await run.cli(["apply", await forge(p)]), /the saved actions for .*Contoso Ltd .* are not what the plan files give/);
  });

  it("a retirement added: Northwind's (in use) DESKLESSPACK subscription suspended", async () => {
    const p = await copy();
    const northwind = run.sandbox.world().customers.find((c) => c.id === DEMO.northwind)!;
    const sku = customer(p, DEMO.contoso).plan.target;
    customer(p, DEMO.northwind).plan.actions.push({
      kind: "suspend",
      subscriptionId: northwind.subscriptions[0].id.toLowerCase(),
      sku,
      quantity: 1,
      commitmentEndDate: null,
    });
    expectRefused(await run.cli(["apply", await forge(p)]), /the saved actions for Northwind Traders/);
  });

  it.each([2, 3])("a customer listed %i times (its actions would run at once, that many times)", async (times) => {
    const p = await copy();
    const contoso = customer(p, DEMO.contoso);
    for (let i = 1; i < times; i++) p.customers.push(structuredClone(contoso));
    expectRefused(await run.cli(["apply", await forge(p)]), new RegExp(`customer ${DEMO.contoso} is listed more than once`));
  });

  it("a customer of no plan file given actions (Proseware, with Contoso's)", async () => {
    const p = await copy();
    const stranger = structuredClone(customer(p, DEMO.contoso));
    stranger.plan.customerId = DEMO.proseware;
    p.customers.push(stranger);
    expectRefused(await run.cli(["apply", await forge(p)]), new RegExp(`customer ${DEMO.proseware} has saved actions but is in none of the plan files`));
  });

  it("the endpoint rewritten, or the file applied against another endpoint than it was made for", async () => {
    const p = await copy();
    p.endpoint = run.sandbox.url;
    expectRefused(await run.cli(["apply", await forge(p)]), new RegExp(`was made against ${run.sandbox.url}, not ${run.proxy.url}`));
    // The genuine file, against the sandbox directly instead of the endpoint it was made with.
    const direct = await run.cli(["apply", "plan.json", "--endpoint", run.sandbox.url]);
    expectRefused(direct, new RegExp(`was made against ${run.proxy.url}, not ${run.sandbox.url}`));
  });

  it("plan files edited after `plan --out` (the saved actions decide nothing: the files do)", async () => {
    const p = await copy();
    const dir = await mkdtemp(join(tmpdir(), "pcplan-edited-"));
    await cp(join(run.cwd, "plans"), join(dir, "plans"), { recursive: true });
    await cp(join(run.cwd, "plan.json"), join(dir, "plan.json"));
    const file = join(dir, "plans/office365-f1.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("name: Contoso Ltd\n", "name: Contoso Ltd\n      seats: 900\n"));
    const r = await run.cli(["apply", "plan.json"], { cwd: dir });
    // Only the file that was edited is named, not every plan file.
    expectRefused(r, /plan\.json: the plan files changed since the plan was saved \(plans\/office365-f1\.yaml\); nothing was applied/);
    // Even when the saved plan is rewritten to the edited files' hash, its actions are not theirs.
    const edited = await run.cli(["plan", "--out", "edited.json"], { cwd: dir });
    expect(edited.code, edited.stderr).toBe(0);
    p.plansHash = (JSON.parse(await readFile(join(dir, "edited.json"), "utf8")) as SavedPlan).plansHash;
    expectRefused(await run.cli(["apply", await forge(p, dir)], { cwd: dir }), /the saved actions for .*Contoso Ltd/);
  });

  it.each([
    ["outside the working folder", (dir: string) => join(dir, "..", "elsewhere", "plans", "office365-f1.yaml")],
    ["not a plan file", () => "package.json"],
  ])("a plan file %s (which files decide is the saved plan's word)", async (_what, path) => {
    const p = await copy();
    p.files = [{ path: path(run.cwd), sha256: "0".repeat(64) }, ...p.files.slice(1)];
    expectRefused(await run.cli(["apply", await forge(p)]), /names ".*" as a plan file, which is not a \.yaml\/\.yml file inside the working folder/);
  });

  it("while the genuine file, last, applies (the baseline every forgery above started from)", async () => {
    await copy();
    // Tailwind's earlier order provisions a minute after the sandbox starts and apply awaits it:
    // the sandbox clock jumps past that at apply's first look at the order, not a minute later.
    const provisioned = new Date(Date.parse(DEMO_NOW) + 5 * 60_000).toISOString();
    run.proxy.hooks = {
      request(req) {
        if (req.method === "GET" && req.customerId === DEMO.tailwind && /\/orders\/[^/]+$/.test(req.path)) run.sandbox.setClock(provisioned);
        return undefined;
      },
    };
    const r = await run.cli(["apply", "plan.json"]);
    run.proxy.hooks = {};
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Tailwind Traders .*: 1 order awaited, 7 reassignments, 1 auto-renew turned off/);
    expect(r.stdout).toMatch(/Apply complete: 98 changes applied/);
  });
});

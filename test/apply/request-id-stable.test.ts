/**
 * The request id of a purchase is what lets Partner Center replay an order or a cart that a run
 * which died mid-way already placed: the same plan against the same live state must send the
 * same MS-RequestId run after run. Two real `pcplan apply` runs (in-process, through `main`)
 * against the sandbox behind a proxy that records each purchase's id and refuses it, so the live
 * state stays as it was between the runs.
 */
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { tempCheckout } from "../helpers/cli.js";
import { DEMO, DEMO_NOW } from "../helpers/demo-customers.js";
import { startHostileProxy, type HostileProxy } from "../helpers/hostile-proxy.js";
import { runMain } from "../helpers/in-process.js";

let sandbox: SandboxHandle;
let proxy: HostileProxy;
let cwd: string;
const token = process.env.PARTNER_CENTER_TOKEN;
/** `POST …/carts` and `POST …/orders` as they reached the proxy: customer and MS-RequestId. */
const purchases: { customerId: string | undefined; path: string; requestId: string | undefined }[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), port: 0, clock: DEMO_NOW });
  proxy = await startHostileProxy(sandbox.url, {
    request(req) {
      if (req.method !== "POST" || !/\/(carts|orders)$/.test(req.path)) return undefined;
      const id = req.headers["ms-requestid"];
      purchases.push({ customerId: req.customerId, path: req.path, requestId: Array.isArray(id) ? id[0] : id });
      return { status: 400, body: { code: 800002, description: "Refused by the test: nothing is bought", data: [], source: "test" } };
    },
  });
  cwd = await tempCheckout();
  process.env.PARTNER_CENTER_TOKEN = SANDBOX_TOKENS.admin;
});

afterAll(async () => {
  if (token === undefined) delete process.env.PARTNER_CENTER_TOKEN;
  else process.env.PARTNER_CENTER_TOKEN = token;
  await proxy.close();
  await sandbox.close();
  await rm(cwd, { recursive: true, force: true });
});

const apply = (customer: string) =>
  runMain(["apply", "--auto-approve", "--endpoint", proxy.url, "--now", DEMO_NOW, "--license-api", "partner-center", "--customer", customer], { cwd });

describe("a purchase's MS-RequestId", () => {
  it.each([
    ["a new-commerce cart", DEMO.woodgrove, /\/carts$/],
    ["a legacy order", DEMO.tailspin, /\/orders$/],
  ])("is the same in two runs of the same plan against the same state: %s", async (_what, customer, path) => {
    const sent = () => purchases.filter((p) => p.customerId === customer && path.test(p.path)).map((p) => p.requestId);
    const first = await apply(customer);
    expect(first.code, first.stderr).toBe(1);
    const once = sent();
    expect(once.length).toBeGreaterThan(0);
    const second = await apply(customer);
    expect(second.code, second.stderr).toBe(1);
    const twice = sent().slice(once.length);
    expect(twice.length).toBeGreaterThan(0);
    expect(new Set([...once, ...twice])).toEqual(new Set([once[0]]));
    expect(once[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

/**
 * The purchase journal belongs to one Partner Center endpoint and partner: lines written against
 * another endpoint (another sandbox, a restarted in-memory one on another port) say nothing about
 * this one's orders, and are never shown as "awaiting provisioning". In-process (`main`) against
 * the `--sandbox` demo world.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { journalScope } from "../../src/journal/purchase-journal.js";
import { tempCheckout } from "../helpers/cli.js";
import { DEMO, DEMO_NOW } from "../helpers/demo-customers.js";
import { runMain } from "../helpers/in-process.js";

let cwd: string;
beforeEach(async () => {
  cwd = await tempCheckout();
  await mkdir(join(cwd, ".pcplan"));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** An order journalled an hour before the demo's now, at `scope`. */
const orderedAt = (scope: string) =>
  JSON.stringify({
    time: new Date(Date.now() - 3_600_000).toISOString(),
    customerId: DEMO.woodgrove,
    item: "CFQ7TTC0LGZW:0001",
    quantity: 4,
    cartId: "cart-elsewhere",
    orderIds: ["0a1b2c3d4e5f"],
    phase: "ordered",
    scope,
  }) + "\n";

const plan = () => runMain(["plan", "--sandbox", "--now", DEMO_NOW, "--license-api", "partner-center", "--customer", DEMO.woodgrove], { cwd });

it("a journalled order from another endpoint is ignored: the customer is planned, not awaiting provisioning", async () => {
  await writeFile(join(cwd, ".pcplan", "purchases.jsonl"), orderedAt(journalScope("http://127.0.0.1:41234/v1", "b9bdfd4a-f695-4a56-b12b-cfe874dc9999")));
  const r = await plan();
  expect(r.stdout, r.stderr).not.toContain("awaiting provisioning");
  expect(r.stdout).toMatch(/\+ purchase DESKLESSPACK × 4/);
});

it("one from this endpoint and partner still counts", async () => {
  await writeFile(join(cwd, ".pcplan", "purchases.jsonl"), orderedAt(journalScope("sandbox (demo world)", "b9bdfd4a-f695-4a56-b12b-cfe874dc9999")));
  const r = await plan();
  expect(r.stdout, r.stderr).toContain("awaiting provisioning (order 0a1b2c3d4e5f)");
});

/**
 * `--shard K/N` end to end: shard plans of a generated world of 120 customers read through the
 * client, and `plan --shard` through `main` on the demo world (the pure shard functions:
 * shard.test.ts). End to end in-process: the `e2e` project, out of the unit loop.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filterPlans } from "../../src/cli/pipeline.js";
import { findSourceHolders, renderPlanSkeleton } from "../../src/discover/index.js";
import { partnerCenterLicenses } from "../../src/licenses/partner-center-backend.js";
import { computePlan } from "../../src/engine/compute-plan.js";
import { inShard, type Shard } from "../../src/engine/shard.js";
import { createPartnerCenterClient } from "../../src/partner-center/index.js";
import { loadPlans } from "../../src/plan-file/index.js";
import type { MigrationPlan } from "../../src/plan-file/types.js";
import type { CustomerPlan } from "../../src/reconcile/types.js";
import { SANDBOX_TOKENS, generateWorld, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { tempCheckout } from "../helpers/cli.js";
import { runMain } from "../helpers/in-process.js";

const NOW = "2026-11-24T00:00:00Z";
const shards = (n: number): Shard[] => Array.from({ length: n }, (_, i) => ({ index: i + 1, count: n }));
// A world of 120 customers read many times: a hang guard sized for a loaded 2-core machine.
describe("shards of a generated world", { timeout: 120_000 }, () => {
  let sandbox: SandboxHandle;
  let plans: MigrationPlan[];
  const api = () => createPartnerCenterClient({ endpoint: sandbox.url, token: () => Promise.resolve(SANDBOX_TOKENS.admin), maxRps: 100_000 });
  const compute = async (p: readonly MigrationPlan[]) => {
    const client = api();
    return (await computePlan(client, p, { now: NOW, warnDays: 30, concurrency: 32, country: "US", licenses: (limit) => partnerCenterLicenses(client, limit) }))
      .customers;
  };
  const byId = (cs: CustomerPlan[]) => [...cs].sort((a, b) => a.customerId.localeCompare(b.customerId));

  beforeAll(async () => {
    sandbox = await startSandbox({ fixture: generateWorld({ customers: 120, users: 900, seed: 7 }), port: 0, clock: NOW });
    // The plan comes from discover on the same world: every customer holding MCOIMP.
    const found = await findSourceHolders(api(), { sourceSkuId: "b8b749f8-a4ef-4887-9539-c95b1eaa5db7", country: "US", concurrency: 32 });
    const dir = await mkdtemp(join(tmpdir(), "pcplan-shard-"));
    const text = renderPlanSkeleton(found, {
      name: "retire-mcoimp",
      source: { sku: "MCOIMP", displayName: "Skype for Business Online (Plan 1)" },
      target: { sku: "DESKLESSPACK", displayName: "Office 365 F3" },
      now: NOW,
      warnDays: 30,
    });
    await writeFile(join(dir, "retire.yaml"), text);
    const loaded = await loadPlans([join(dir, "retire.yaml")], { cwd: dir });
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    plans = loaded.plans;
    expect(plans[0].customers.length).toBeGreaterThan(40);
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
  });

  it.each([2, 3, 5])("the union of %i shard plans equals the unsharded plan, no customer in two shards", async (n) => {
    const whole = await compute(plans);
    const parts = await Promise.all(shards(n).map((shard) => compute(filterPlans(plans, { shard }))));
    const seen = new Map<string, number>();
    parts.forEach((part, k) => {
      for (const c of part) {
        expect(seen.has(c.customerId), `${c.customerId} in shards ${seen.get(c.customerId)} and ${k + 1}`).toBe(false);
        seen.set(c.customerId, k + 1);
        expect(inShard(c.customerId, { index: k + 1, count: n })).toBe(true);
      }
    });
    expect(byId(parts.flat())).toEqual(byId(whole));
    expect(whole.some((c) => c.actions.length > 0)).toBe(true);
    // No empty shard on a world this size: the split is real.
    for (const part of parts) expect(part.length).toBeGreaterThan(0);
  });

  it("keeps --customer and --shard together (intersection)", () => {
    const ids = plans[0].customers.map((c) => c.id);
    const shard = { index: 1, count: 2 };
    const picked = filterPlans(plans, { customer: ids.slice(0, 10), shard });
    const expected = ids.slice(0, 10).filter((id) => inShard(id, shard));
    expect(picked.flatMap((p) => p.customers.map((c) => c.id))).toEqual(expected);
  });
});

/** pcplan in-process through `main` (test/helpers/in-process.ts): the sharding is the command's. */
describe("--shard through the CLI on the demo world", () => {
  it("plan --shard K/3: the three JSON previews together are the unsharded one", { timeout: 120_000 }, async () => {
    const cwd = await tempCheckout();
    const plan = async (extra: string[]) => {
      const r = await runMain(["plan", "plans", "--format", "json", "--sandbox", "--now", NOW, ...extra], { cwd });
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { customers: { id: string }[] }).customers;
    };
    // One at a time: the runs share the sandbox state in <cwd>/.pcplan/.
    const whole = await plan([]);
    const parts = [await plan(["--shard", "1/3"]), await plan(["--shard", "2/3"]), await plan(["--shard", "3/3"])];
    const ids = parts.flatMap((p) => p.map((c) => c.id));
    expect(new Set(ids).size).toBe(ids.length);
    const sort = (cs: { id: string }[]) => [...cs].sort((a, b) => a.id.localeCompare(b.id));
    expect(sort(parts.flat())).toEqual(sort(whole));
    expect(parts.every((p) => p.length > 0)).toBe(true);
  });

  it("refuses a bad --shard before reading anything", async () => {
    const cwd = await tempCheckout();
    const r = await runMain(["plan", "plans", "--sandbox", "--shard", "4/3"], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("K must be between 1 and N (3)");
  });
});

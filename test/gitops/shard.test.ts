import fc from "fast-check";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { effectiveMaxRps, filterPlans } from "../../src/cli/pipeline.js";
import { findSourceHolders, renderPlanSkeleton } from "../../src/discover/index.js";
import { partnerCenterLicenses } from "../../src/licenses/partner-center-backend.js";
import { computePlan } from "../../src/engine/compute-plan.js";
import { inShard, parseShard, shardBucket, shardRps, type Shard } from "../../src/engine/shard.js";
import { createPartnerCenterClient } from "../../src/partner-center/index.js";
import { loadPlans } from "../../src/plan-file/index.js";
import type { MigrationPlan } from "../../src/plan-file/types.js";
import type { CustomerPlan } from "../../src/reconcile/types.js";
import { SANDBOX_TOKENS, generateWorld, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { tempCheckout } from "../helpers/cli.js";
import { runMain } from "../helpers/in-process.js";

const NOW = "2026-11-24T00:00:00Z";
const guid = fc.uuid().map((u) => u.toLowerCase());
const shards = (n: number): Shard[] => Array.from({ length: n }, (_, i) => ({ index: i + 1, count: n }));

describe("parseShard", () => {
  it("reads K/N with 1-based K", () => {
    expect(parseShard("1/1")).toEqual({ index: 1, count: 1 });
    expect(parseShard("3/4")).toEqual({ index: 3, count: 4 });
    expect(parseShard(" 2 / 8 ")).toEqual({ index: 2, count: 8 });
  });

  it.each([
    ["0/4", /numbered from 1/],
    ["5/4", /K must be between 1 and N \(4\)/],
    ["1/0", /N must be between 1 and 256/],
    ["1/1000", /N must be between 1 and 256/],
    ["1", /expects K\/N/],
    ["a/b", /expects K\/N/],
    ["-1/4", /expects K\/N/],
    ["1.5/4", /expects K\/N/],
    ["", /expects K\/N/],
  ])("refuses %j with a clear error", (text, message) => {
    expect(() => parseShard(text)).toThrow(message);
  });
});

describe("inShard", () => {
  it("puts every customer id in exactly one of N shards", () => {
    fc.assert(
      fc.property(guid, fc.integer({ min: 1, max: 64 }), (id, n) => {
        expect(shards(n).filter((s) => inShard(id, s))).toHaveLength(1);
      }),
    );
  });

  it("is stable: case and surrounding space do not move a customer, and the hash is sha256's first 4 bytes mod N", () => {
    fc.assert(
      fc.property(guid, fc.integer({ min: 1, max: 64 }), (id, n) => {
        expect(shardBucket(id.toUpperCase(), n)).toBe(shardBucket(id, n));
        expect(shardBucket(` ${id} `, n)).toBe(shardBucket(id, n));
      }),
    );
    // Pinned values: a change of hash would reshuffle every partner's CI matrix.
    expect(shardBucket("6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a", 4)).toBe(shardBucket("6B1A2F8E-5C1E-4F7E-9A57-8D0F1D2C3B4A", 4));
    // sha256("6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a") starts cc f8 c0 6d = 3438854253.
    expect([1, 2, 3, 4, 7].map((n) => shardBucket("6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a", n))).toEqual([1, 2, 3, 4, 7].map((n) => 3438854253 % n));
  });

  it("spreads customers roughly evenly", () => {
    const ids = fc.sample(guid, { numRuns: 4000, seed: 42 });
    const counts = [0, 0, 0, 0];
    for (const id of ids) counts[shardBucket(id, 4)]++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });
});

describe("request budget per shard", () => {
  it("gives each of N shards 1/N of an explicit --max-rps; without one, no cap (each shard finds its own limit)", () => {
    expect(shardRps(40, { index: 1, count: 4 })).toBe(10);
    expect(shardRps(40, undefined)).toBe(40);
    expect(effectiveMaxRps({ shard: { index: 2, count: 4 } })).toBeUndefined();
    expect(effectiveMaxRps({ maxRps: 100, shard: { index: 2, count: 4 } })).toBe(25);
    expect(effectiveMaxRps({ maxRps: 100 })).toBe(100);
    expect(effectiveMaxRps({})).toBeUndefined();
  });
});

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

/**
 * Fault soak (SPEC §8 reliability): a generated world of 200 customers is applied through a
 * sandbox that throttles (429), fails (5xx) and loses committed responses, while the applying
 * process is SIGKILLed at seeded points. Repeated `apply` must converge to exactly the plans
 * with no duplicate purchase, no user ever without the source or the target license, no
 * suspension of a subscription in use, and an audit line for every write the service saw.
 * Seeded (world, faults, kill points) and bounded (kills, attempts, time).
 */
import { readFile } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nceProductFor } from "../../src/catalog/nce-products.js";
import { createRng, rngInt } from "../../src/sandbox/random.js";
import { SANDBOX_TOKENS, generateWorld, startSandbox, type SandboxFixture, type SandboxHandle } from "../../src/sandbox/index.js";
import { loadPlans } from "../../src/plan-file/index.js";
import { runCli, spawnCli } from "../helpers/cli.js";
import { worldSkus, writeWorldPlans, type WorldPlans } from "../helpers/world-plans.js";

const NOW = "2026-11-24T00:00:00Z";
const SEED = 20261124;
const KILLS = 5;
const MAX_ATTEMPTS = 12;

let sandbox: SandboxHandle;
let world: SandboxFixture;
let plans: WorldPlans;
let cwd: string;
const auditLog = () => join(cwd, "audit.jsonl");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The client may send 400 req/s; the service allows 250: the AIMD limiter meets real 429s.
const args = (cmd: string[]) => [...cmd, "plans", "--endpoint", sandbox.url, "--now", NOW, "--max-rps", "400", ...(cmd[0] === "apply" ? ["--audit-log", auditLog()] : [])];
const env = { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin };
const writes = () => sandbox.requestLog.filter((r) => r.write);

beforeAll(async () => {
  world = generateWorld({ customers: 200, users: 1_200, seed: SEED });
  cwd = await mkdtemp(join(tmpdir(), "pcplan-soak-"));
  plans = await writeWorldPlans(world, join(cwd, "plans"), { perFile: 100, excludeEvery: 17 });
  const loaded = await loadPlans(["plans"], { cwd });
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  sandbox = await startSandbox({ fixture: world, clock: NOW, seed: SEED, faultRate: 0.1, lostResponseRate: 0.02, rateLimit: 250 });
});
afterAll(async () => {
  await sandbox?.close();
});

describe("fault soak: 429 / 5xx / lost responses / killed applies", () => {
  it("converges to exactly the plans, safely, with every write audited", { timeout: 100_000 }, async () => {
    const rng = createRng(SEED);
    const runs: string[] = [];

    // 1. Kill the applying process at seeded points: after a number of writes seen by the service.
    let kills = 0;
    for (let attempt = 0; kills < KILLS && attempt < KILLS * 2; attempt++) {
      const killAfter = rngInt(rng, 5, 120);
      const before = writes().length;
      const { child, done } = spawnCli(args(["apply", "--auto-approve"]), { cwd, env });
      let killed = false;
      const watch = (async () => {
        while (child.exitCode === null && child.signalCode === null) {
          if (writes().length - before >= killAfter) {
            killed = child.kill("SIGKILL");
            return;
          }
          await sleep(5);
        }
      })();
      const r = await done;
      await watch;
      runs.push(`kill after ${killAfter} writes: ${killed ? "killed" : `exit ${r.code}`}`);
      if (killed) kills++;
      else expect(r.code, r.stderr).not.toBe(1);
      if (!killed && r.code === 0) break; // converged before all kills were spent (should not happen with this world)
    }
    expect(kills, runs.join("\n")).toBe(KILLS);

    // 2. Re-run apply until it converges, then plan must show nothing left.
    let converged = false;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && !converged; attempt++) {
      const r = await runCli(args(["apply", "--auto-approve"]), { cwd, env });
      runs.push(`apply: exit ${r.code}`);
      expect(r.code, r.stderr).not.toBe(1);
      converged = r.code === 0;
    }
    expect(converged, runs.join("\n")).toBe(true);
    const final = await runCli(args(["plan", "--detailed-exitcode"]), { cwd, env });
    expect(final.code, final.stdout + final.stderr).toBe(0);
    expect(final.stdout).toContain("No changes. Live state matches the plans.");

    // The faults really happened.
    const faults = (f: string) => sandbox.requestLog.filter((e) => e.fault === f).length;
    expect(faults("429"), "429s").toBeGreaterThan(0);
    expect(faults("5xx"), "5xx").toBeGreaterThan(0);
    expect(faults("lost"), "lost responses").toBeGreaterThan(0);

    checkInvariants();
    await checkAudit();
  });
});

function checkInvariants(): void {
  const { source, target, sourceOffers } = worldSkus(world);
  const planned = new Set(plans.customerIds);
  const lc = (s: string) => s.toLowerCase();

  // Nothing for customers not in a plan (from the path: a 429/5xx answers before routing sets customerId).
  for (const w of writes()) expect(planned.has(lc(/^\/v1\/customers\/([^/]+)/i.exec(w.path)?.[1] ?? "")), w.path).toBe(true);

  // No duplicate purchase: at most one order per customer, none where a target subscription already existed.
  // A target subscription is a legacy offer of the target SKU or a new-commerce item of its product.
  const targetOffers = new Set(world.offers.filter((o) => lc(o.skuId) === target).map((o) => lc(o.id)));
  const targetItem = lc(nceProductFor(target)?.catalogItem ?? "-");
  const isTarget = (offerId: string) => targetOffers.has(lc(offerId)) || lc(offerId).startsWith(`${targetItem}:`);
  const orders = sandbox.changes.filter((c) => c.kind === "order");
  const perCustomer = new Map<string, number>();
  for (const o of orders) perCustomer.set(o.customerId, (perCustomer.get(o.customerId) ?? 0) + 1);
  for (const [id, n] of perCustomer) {
    expect(n, `orders for ${id}`).toBe(1);
    const before = world.customers.find((c) => lc(c.id) === lc(id))!;
    expect(before.subscriptions.some((s) => isTarget(s.offerId) && s.status === "active"), `bought a second target for ${id}`).toBe(false);
  }

  // At no point a user without either the source or the target license.
  for (const c of sandbox.changes) {
    if (c.kind !== "licenses") continue;
    const after = c.skuIdsAfter.map(lc);
    expect(after.includes(source) || after.includes(target), `user ${c.userId} left without Skype or F3`).toBe(true);
  }

  // Never a suspension of a subscription with consumed units.
  const suspensions = sandbox.changes.filter((c) => c.kind === "subscription" && c.status === "suspended");
  expect(suspensions.length).toBeGreaterThan(0);
  for (const s of suspensions) expect(s.kind === "subscription" && s.consumedUnitsOfSku, `suspended in use`).toBe(0);

  // The final world is the plans: every non-excluded holder moved, the source suspended where nobody holds it.
  const after = sandbox.world();
  for (const id of planned) {
    const was = world.customers.find((c) => lc(c.id) === id)!;
    const now = after.customers.find((c) => lc(c.id) === id)!;
    const holdsSourceBefore = was.users.filter((u) => u.licenses.map(lc).includes(source));
    for (const u of holdsSourceBefore) {
      const nowU = now.users.find((x) => x.id === u.id)!;
      const skus = nowU.licenses.map(lc);
      if (plans.excluded.has(lc(u.userPrincipalName))) expect(skus).toContain(source);
      else {
        expect(skus, `${u.userPrincipalName}`).toContain(target);
        expect(skus, `${u.userPrincipalName}`).not.toContain(source);
      }
      // Other licenses survive.
      for (const l of u.licenses.map(lc)) if (l !== source) expect(skus).toContain(l);
    }
    const stillHeld = now.users.some((u) => u.licenses.map(lc).includes(source));
    const activeSource = now.subscriptions.filter((s) => sourceOffers.has(lc(s.offerId)) && s.status === "active");
    expect(activeSource.length > 0, `source subscription of ${id} active iff still held`).toBe(stillHeld);
    const onTarget = now.users.filter((u) => u.licenses.map(lc).includes(target)).length;
    const seats = now.subscriptions.filter((s) => isTarget(s.offerId) && s.status === "active").reduce((n, s) => n + s.quantity, 0);
    expect(seats, `target seats of ${id}`).toBeGreaterThanOrEqual(onTarget);
  }
}

async function checkAudit(): Promise<void> {
  const lines = (await readFile(auditLog(), "utf8"))
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { phase: string; requestId: string; outcome?: string });
  const attempted = new Set(lines.filter((l) => l.phase === "attempt").map((l) => l.requestId));
  // Every write the service saw (committed, failed, throttled, replayed) carries the request id of an audited attempt.
  const unaudited = writes().filter((w) => w.requestId === undefined || !attempted.has(w.requestId));
  expect(unaudited.map((w) => `${w.method} ${w.path} ${w.status}`)).toEqual([]);
  // Every committed change traces back to an audited write.
  const committedIds = new Set(sandbox.changes.flatMap((c) => ("requestId" in c && c.requestId !== undefined ? [c.requestId] : [])));
  for (const id of committedIds) expect(attempted.has(id)).toBe(true);
  // Runs that were not killed closed every attempt with a result.
  expect(lines.filter((l) => l.phase === "result" && l.outcome === "ok").length).toBeGreaterThan(0);
}

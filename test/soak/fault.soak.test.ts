/**
 * Fault soak (reliability; issue 11): a generated world of 200 customers is applied
 * through a sandbox that throttles (429), fails (5xx) and loses committed responses, behind a
 * proxy that lies (seeded: consumed units missing, null or a string, seat counts as strings,
 * statuses in capitals) and lags (issue 22: a count of 0 consumed units while users hold the
 * source; a subscription an order brought left out of the subscriptions list for its first
 * reads, though the order says completed), while the applying process is SIGKILLed at seeded points and a second
 * apply from another folder runs at the same time as one. Then, with honest answers, repeated
 * `apply` must converge to exactly the plans with no duplicate purchase, no user ever without
 * the source or the target license, no suspension of a subscription in use, and an audit line
 * for every write the service saw. Seeded (world, faults, lies, kill points) and bounded
 * (kills, attempts, time).
 */
import { cp, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRng, rngInt, type Rng } from "../../src/sandbox/random.js";
import { SANDBOX_TOKENS, generateWorld, startSandbox, type SandboxFixture, type SandboxHandle } from "../../src/sandbox/index.js";
import { loadPlans } from "../../src/plan-file/index.js";
import { runCli, spawnCli, type CliResult } from "../helpers/cli.js";
import { startHostileProxy, type Answer, type HostileProxy, type ProxiedRequest } from "../helpers/hostile-proxy.js";
import { checkWorldInvariants } from "../helpers/world-invariants.js";
import { writeWorldPlans, type WorldPlans } from "../helpers/world-plans.js";

const NOW = "2026-11-24T00:00:00Z";
const SEED = 20261124;
const KILLS = 5;
const MAX_ATTEMPTS = 12;
/** Share of the decisive answers (subscribed SKUs, subscriptions, orders) the proxy falsifies while it lies. */
const LIE_RATE = 0.04;
/** Reads of a customer's subscriptions that leave out a subscription an order brought, after it appears. */
const LAG_READS = 2;

let sandbox: SandboxHandle;
let proxy: HostileProxy;
let lies = 0;
let lagged = 0;
let world: SandboxFixture;
let plans: WorldPlans;
let cwd: string;
/** A second checkout of the same plans: its applies share no lock with the first folder's. */
let cwd2: string;
const auditLog = (dir = cwd) => join(dir, "audit.jsonl");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The client may send 400 req/s; the service allows 250, and 8 a second per customer: the budget
// meets real 429s. The customer limit is met whatever the machine's load (a customer's first
// reads go out together); the partner-wide one only where the CPU lets the client reach it.
const args = (cmd: string[], dir = cwd) => [
  ...cmd,
  "plans",
  "--endpoint",
  proxy.url,
  "--now",
  NOW,
  "--max-rps",
  "400",
  ...(cmd[0] === "apply" ? ["--audit-log", auditLog(dir)] : []),
];
const env = { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin };
const writes = () => sandbox.requestLog.filter((r) => r.write);

beforeAll(async () => {
  world = generateWorld({ customers: 200, users: 1_200, seed: SEED });
  cwd = await mkdtemp(join(tmpdir(), "pcplan-soak-"));
  plans = await writeWorldPlans(world, join(cwd, "plans"), { perFile: 100, excludeEvery: 17 });
  const loaded = await loadPlans(["plans"], { cwd });
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  cwd2 = await mkdtemp(join(tmpdir(), "pcplan-soak-2-"));
  await cp(join(cwd, "plans"), join(cwd2, "plans"), { recursive: true });
  sandbox = await startSandbox({ fixture: world, clock: NOW, seed: SEED, faultRate: 0.1, lostResponseRate: 0.02, rateLimit: 250, rateLimitCustomer: 8 });
  const lie = lying(createRng(SEED + 1));
  const lag = lagging(new Set(world.customers.flatMap((c) => c.subscriptions.map((x) => x.id.toLowerCase()))));
  proxy = await startHostileProxy(sandbox.url, {
    response: (req, a) => {
      lie(req, a);
      lag(req, a);
    },
  });
});
afterAll(async () => {
  await proxy?.close();
  await sandbox?.close();
});

/**
 * Seeded lies on the answers pcplan decides on: the source SKU's consumed units missing, null or
 * a string; a subscription's seats as a string (each must fail that customer, never read as 0 or
 * 40); statuses in capitals (must read as what they say). Planning reads and the re-checks before
 * a purchase or a retirement are lied to alike.
 */
function lying(rng: Rng): (req: ProxiedRequest, a: Answer) => void {
  const roll = () => rng.next() < LIE_RATE;
  return (req, a) => {
    if (req.method !== "GET" || a.status !== 200 || typeof a.body !== "object" || a.body === null) return;
    const body = a.body as { items?: Record<string, unknown>[] } & Record<string, unknown>;
    const items = body.items ?? [body];
    if (req.path.endsWith("/subscribedskus")) {
      const source = items.find((k) => (k.productSku as { skuPartNumber?: string } | undefined)?.skuPartNumber === "MCOIMP");
      if (!source || !roll()) return;
      lies++;
      const how = rngInt(rng, 0, 3);
      if (how === 0) delete source.consumedUnits;
      // A plausible wrong count: nobody, whoever holds it (the holders must be read and agree).
      else if (how === 3) source.consumedUnits = 0;
      else source.consumedUnits = how === 1 ? null : String(source.consumedUnits);
    } else if (/\/(subscriptions|orders)(\/[^/]+)?$/.test(req.path)) {
      for (const x of items) {
        if (typeof x.status === "string" && rng.next() < 0.2) x.status = x.status.toUpperCase();
        if (typeof x.quantity === "number" && roll()) {
          lies++;
          x.quantity = String(x.quantity);
        }
      }
    }
  };
}

/**
 * Lagging visibility: a subscription that was not in the world at the start (an order brought it)
 * is left out of its customer's subscriptions list for its first LAG_READS reads after it shows
 * up, while the order already says completed. Counted in `lagged`.
 */
function lagging(original: ReadonlySet<string>): (req: ProxiedRequest, a: Answer) => void {
  const hidden = new Map<string, number>();
  return (req, a) => {
    if (req.method !== "GET" || a.status !== 200 || !req.path.endsWith("/subscriptions")) return;
    const body = a.body as { items?: { id: string }[]; totalCount?: number };
    if (!Array.isArray(body.items)) return;
    body.items = body.items.filter((x) => {
      const id = x.id.toLowerCase();
      const n = hidden.get(id) ?? 0;
      if (original.has(id) || n >= LAG_READS) return true;
      hidden.set(id, n + 1);
      lagged++;
      return false;
    });
    body.totalCount = body.items.length;
  };
}

describe("fault soak: 429 / 5xx / lost responses / lies / killed and concurrent applies", () => {
  it("converges to exactly the plans, safely, with every write audited", { timeout: 400_000 }, async ({ annotate }) => {
    const rng = createRng(SEED);
    /** Writes the service had seen from each killed run when it was killed: each must be mid-apply. */
    const writesAtKill: number[] = [];
    const runs: string[] = [];
    const outputs: CliResult[] = [];

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
            writesAtKill.push(writes().length - before);
            killed = child.kill("SIGKILL");
            return;
          }
          await sleep(5);
        }
      })();
      const r = await done;
      await watch;
      outputs.push(r);
      runs.push(`kill after ${killAfter} writes: ${killed ? "killed" : `exit ${r.code}`}`);
      // Killed mid-apply: the run was still going (SIGKILL ended it) after its writes counted in writesAtKill.
      if (killed) expect(r.signal, runs.join("\n")).toBe("SIGKILL");
      if (killed) kills++;
      else expect(r.code, r.stderr).not.toBe(1);
      if (!killed && r.code === 0) break; // converged before all kills were spent (should not happen with this world)
    }
    expect(kills, runs.join("\n")).toBe(KILLS);

    // 2. Two applies at once from two folders (no shared lock), the second started once the first writes.
    const before = writes().length;
    const attemptsBefore = (await auditLines(cwd)).filter((l) => l.phase === "attempt").length;
    const first = spawnCli(args(["apply", "--auto-approve"]), { cwd, env });
    while (writes().length === before && first.child.exitCode === null) await sleep(5);
    const firstAlone = writes().length - before;
    const second = spawnCli(args(["apply", "--auto-approve"], cwd2), { cwd: cwd2, env });
    for (const r of await Promise.all([first.done, second.done])) {
      outputs.push(r);
      runs.push(`concurrent apply: exit ${r.code}`);
      expect(r.code, r.stdout + r.stderr).not.toBe(null);
    }
    // Both wrote: the first before the second started, the second (the only run in cwd2) its own attempts.
    const secondWrites = (await auditLines(cwd2)).filter((l) => l.phase === "attempt").length;
    const firstWrites = (await auditLines(cwd)).filter((l) => l.phase === "attempt").length - attemptsBefore;
    expect(firstAlone, "writes of the first concurrent apply before the second started").toBeGreaterThan(0);
    expect(firstWrites, "writes of the first concurrent apply").toBeGreaterThanOrEqual(firstAlone);
    expect(secondWrites, "writes of the second concurrent apply").toBeGreaterThan(0);
    expect(lies, "lies told").toBeGreaterThan(0);
    expect(lagged, "subscriptions left out after their order completed").toBeGreaterThan(0);
    // Each lie failed its customer by name (the call and the field), never read as data.
    expect(outputs.some((r) => /data pcplan cannot act on: items\[\d+\]\.(consumedUnits|quantity)/.test(r.stdout))).toBe(true);
    for (const r of outputs) expect(r.stdout + r.stderr).not.toMatch(/internal error|TypeError/);

    // 3. Honest answers again: re-run apply until it converges, then plan must show nothing left.
    proxy.hooks = {};
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

    // Safe first (what a failure here would mean matters most), then whether the faults really happened.
    checkWorldInvariants(sandbox, world, plans, { converged: true });
    await checkAudit();
    const faults = (f: string) => sandbox.requestLog.filter((e) => e.fault === f).length;
    const counts = {
      "429": faults("429"),
      "5xx": faults("5xx"),
      lost: faults("lost"),
      lies,
      lagged,
      writesAtKill,
      firstAlone,
      firstWrites,
      secondWrites,
      writes: writes().length,
    };
    await annotate(`faults and checks seen: ${JSON.stringify(counts)}`);
    expect(counts["429"], "429s").toBeGreaterThan(0);
    expect(counts["5xx"], "5xx").toBeGreaterThan(0);
    expect(counts.lost, "lost responses").toBeGreaterThan(0);
  });
});

type AuditLine = { phase: string; requestId: string; outcome?: string };
async function auditLines(dir: string): Promise<AuditLine[]> {
  return (await readFile(auditLog(dir), "utf8"))
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as AuditLine);
}

async function checkAudit(): Promise<void> {
  // Both folders' logs: the concurrent second apply wrote its own.
  const lines = [...(await auditLines(cwd)), ...(await auditLines(cwd2))];
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

/**
 * The engine against the bound the API sets. A generated world is served by `pcplan sandbox`
 * in a child process (its own core: in-process it would compete with the engine for CPU) with
 * a per-request latency and a request-rate limit. `plan` runs in-process (loadPlans →
 * createPartnerCenterClient → computePlan) so calls, 429s and memory can be measured; then a
 * naive sequential client reads the same world one request at a time, as a partner's script
 * would. Figures go to stdout as a table.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { computePlan } from "../src/engine/compute-plan.js";
import { partnerCenterLicenses } from "../src/licenses/partner-center-backend.js";
import { createPartnerCenterClient } from "../src/partner-center/index.js";
import { loadPlans } from "../src/plan-file/index.js";
import { SANDBOX_TOKENS, generateWorld, type SandboxFixture } from "../src/sandbox/index.js";
import { worldSkus, writeWorldPlans } from "../test/helpers/world-plans.js";

const REPO = resolve(import.meta.dirname, "..");
const TSX = pathToFileURL(join(REPO, "node_modules/tsx/dist/loader.mjs")).href;
const NOW = "2026-11-24T00:00:00Z";
const SEED = 1;

export interface EngineBenchOptions {
  customers: number;
  users: number;
  /** Sandbox per-request latency (ms). */
  latencyMs: number;
  /** Sandbox rate limit (requests/s) — the bound. */
  rateLimit: number;
  /** Customers the naive sequential client reads before its time is extrapolated. */
  naivePrefix: number;
}

/** The client's page size (its default): part of what "minimum calls" means. */
const PAGE_SIZE = 100;

// `gc()` without --expose-gc on the command line, so `npm run bench` stays a plain tsx run.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

interface Sandbox {
  url: string;
  stop(): Promise<void>;
}

async function startSandboxChild(o: EngineBenchOptions): Promise<Sandbox> {
  const args = ["--import", TSX, join(REPO, "src/cli/run.ts"), "sandbox", "--generate", `customers=${o.customers},users=${o.users}`, "--seed", String(SEED)];
  args.push("--latency", String(o.latencyMs), "--rate-limit", String(o.rateLimit), "--clock", NOW);
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, args, { cwd: REPO, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((ok, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (l) => ok(l.trim()));
    child.once("exit", (code) => fail(new Error(`sandbox exited (${code}) before printing its URL:\n${stderr}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((ok) => {
        child.once("exit", () => ok());
        child.kill("SIGTERM");
      }),
  };
}

/** The calls `plan` cannot do without for this world and these plans (at the client's page size). */
function minimumCalls(world: SandboxFixture, planned: ReadonlySet<string>): { calls: number; criticalPathCalls: number } {
  const { source } = worldSkus(world);
  const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE_SIZE));
  const listedOffers = new Set(world.offers.filter((o) => o.country === "US").map((o) => o.id.toLowerCase()));
  const unlisted = new Set<string>();
  let calls = 1; // GET /offers
  let criticalPathCalls = 0;
  for (const c of world.customers) {
    if (!planned.has(c.id.toLowerCase())) continue;
    calls += 2; // subscriptions + subscribedskus (one page each here)
    for (const s of c.subscriptions) if (!listedOffers.has(s.offerId.toLowerCase())) unlisted.add(s.offerId.toLowerCase());
    const last = c.users.findLastIndex((u) => u.licenses.some((l) => l.toLowerCase() === source));
    // Users are read only where a source unit is consumed, licenses up to the last holder.
    const userCalls = last >= 0 ? pages(c.users.length) + last + 1 : 0;
    calls += userCalls;
    // offers → (subscriptions ∥ skus) → users pages in sequence → license reads in parallel.
    criticalPathCalls = Math.max(criticalPathCalls, 2 + (last >= 0 ? pages(c.users.length) + 1 : 0));
  }
  return { calls: calls + unlisted.size, criticalPathCalls };
}

interface MemorySampler {
  stop(): { peakRss: number; peakHeap: number };
}

function sampleMemory(everyMs = 25): MemorySampler {
  let peakRss = 0;
  let peakHeap = 0;
  const take = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakRss, peakHeap };
    },
  };
}

export interface EngineRun {
  customers: number;
  users: number;
  planned: number;
  calls: number;
  minimumCalls: number;
  wallMs: number;
  boundMs: number;
  boundKind: "(calls − burst) / rate" | "critical path";
  throttled: number;
  retries: number;
  peakRss: number;
  peakHeapAboveBaseline: number;
  retainedHeap: number;
  actions: number;
  maxRps: number;
  concurrency: number;
  naive?: { customersRead: number; calls: number; wallMs: number; extrapolatedMs: number; fullWorldCalls: number };
}

/** The naive partner script: list customers, then per customer its subscriptions, users and every user's licenses, one request at a time. */
async function naiveSequential(url: string, world: SandboxFixture, prefix: number): Promise<NonNullable<EngineRun["naive"]>> {
  const api = createPartnerCenterClient({ endpoint: url, token: () => Promise.resolve(SANDBOX_TOKENS.admin), maxRps: 1e6, correlationId: "bench-naive" });
  const start = performance.now();
  const customers = await api.listCustomers();
  for (const c of customers.slice(0, prefix)) {
    await api.listSubscriptions(c.id);
    for (const u of await api.listUsers(c.id)) await api.listUserLicenses(c.id, u.id);
  }
  const wallMs = performance.now() - start;
  const calls = api.stats().requests;
  const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE_SIZE));
  // The same script over every customer: customers pages + per customer subscriptions, users pages and one read per user.
  const fullWorldCalls = pages(world.customers.length) + world.customers.reduce((n, c) => n + 1 + pages(c.users.length) + c.users.length, 0);
  return { customersRead: Math.min(prefix, customers.length), calls, wallMs, fullWorldCalls, extrapolatedMs: (wallMs / calls) * fullWorldCalls };
}

export async function benchEngine(o: EngineBenchOptions, withNaive: boolean): Promise<EngineRun> {
  const world = generateWorld({ customers: o.customers, users: o.users, seed: SEED });
  const dir = await mkdtemp(join(tmpdir(), "pcplan-bench-engine-"));
  const sandbox = await startSandboxChild(o);
  try {
    const written = await writeWorldPlans(world, dir);
    const loaded = await loadPlans([dir], { cwd: dir });
    if (loaded.diagnostics.some((d) => d.severity === "error")) throw new Error("generated plans did not validate");
    const min = minimumCalls(world, new Set(written.customerIds));
    const maxRps = o.rateLimit * 0.95; // a hair under the service's limit: a 429 costs a Retry-After pause
    // Little's law: in flight = rate × time per request. On this 2-core machine a request costs
    // ~1 ms of CPU on each side besides the latency, and more under load: allow 50 ms, doubled.
    const concurrency = Math.max(16, Math.ceil(((maxRps * (o.latencyMs + 50)) / 1000) * 2));

    gc();
    const baseline = process.memoryUsage().heapUsed;
    const mem = sampleMemory();
    const api = createPartnerCenterClient({ endpoint: sandbox.url, token: () => Promise.resolve(SANDBOX_TOKENS.admin), maxRps, correlationId: "bench-engine" });
    const start = performance.now();
    const computed = await computePlan(api, loaded.plans, { now: NOW, warnDays: 30, concurrency, country: "US", licenses: (limit) => partnerCenterLicenses(api, limit) });
    const wallMs = performance.now() - start;
    const { peakRss, peakHeap } = mem.stop();
    gc();
    const retainedHeap = process.memoryUsage().heapUsed - baseline;
    const stats = api.stats();

    // The sandbox's bucket starts full (burst = one second of traffic), so the first `rate`
    // calls are free of the limit: the bound is the rest at the rate.
    const byRate = (Math.max(0, min.calls - o.rateLimit) / o.rateLimit) * 1000;
    const byPath = min.criticalPathCalls * o.latencyMs;
    const run: EngineRun = {
      customers: o.customers,
      users: o.users,
      planned: written.customerIds.length,
      calls: stats.requests,
      minimumCalls: min.calls,
      wallMs,
      boundMs: Math.max(byRate, byPath),
      boundKind: byRate >= byPath ? "(calls − burst) / rate" : "critical path",
      throttled: stats.throttled,
      retries: stats.retries,
      peakRss,
      peakHeapAboveBaseline: peakHeap - baseline,
      retainedHeap,
      actions: computed.customers.reduce((n, c) => n + c.actions.length, 0),
      maxRps,
      concurrency,
    };
    if (withNaive) run.naive = await naiveSequential(sandbox.url, world, o.naivePrefix);
    return run;
  } finally {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function printEngineRun(r: EngineRun, o: EngineBenchOptions): void {
  const rows: [string, string][] = [
    ["world", `${r.customers} customers, ${r.users} users; ${r.planned} customers planned; latency ${o.latencyMs} ms, rate limit ${o.rateLimit} req/s`],
    ["API calls made / minimum", `${r.calls} / ${r.minimumCalls} (${((r.calls / r.minimumCalls - 1) * 100).toFixed(2)}% over)`],
    ["wall time", s(r.wallMs)],
    [`lower bound (${r.boundKind})`, s(r.boundMs)],
    ["ratio to bound", `${(r.wallMs / r.boundMs).toFixed(3)}× (target ≤ 1.25×)`],
    ["client request budget / concurrency", `${r.maxRps} req/s (95% of the limit) / ${r.concurrency}`],
    ["429s received / retries", `${r.throttled} / ${r.retries}`],
    ["peak RSS", mb(r.peakRss)],
    ["peak heap above baseline / retained after", `${mb(r.peakHeapAboveBaseline)} / ${mb(r.retainedHeap)} (the live state and plan held)`],
    ["actions planned", String(r.actions)],
  ];
  if (r.naive) {
    const n = r.naive;
    rows.push(
      ["naive sequential client", `${n.calls} calls for the first ${n.customersRead} customers in ${s(n.wallMs)} (${(n.wallMs / n.calls).toFixed(1)} ms/call)`],
      ["naive, whole world (extrapolated)", `${n.fullWorldCalls} calls ≈ ${s(n.extrapolatedMs)} — extrapolated from the prefix at the same ms/call`],
      ["speed-up over naive", `${(n.extrapolatedMs / r.wallMs).toFixed(1)}× (target ≥ 10×)`],
    );
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}

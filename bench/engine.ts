/**
 * The engine against the bound the API sets. A generated world is served by `pcplan sandbox`
 * in a child process (its own core: in-process it would compete with the engine for CPU) with
 * a per-request latency, a partner-wide request-rate limit and optionally a per-customer one.
 * The client is not told either limit: it finds them. `plan` runs in-process (loadPlans →
 * createPartnerCenterClient → computePlan) so calls, 429s, the rate reached and memory can be
 * measured; then a naive sequential client reads the same world one request at a time, as a
 * partner's script would. Figures go to stdout as a table; the rate over time to a sample list
 * (plotted by rate-plot.ts).
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
import { nceProductFor } from "../src/catalog/nce-products.js";
import { partnerCenterLicenses } from "../src/licenses/partner-center-backend.js";
import { createPartnerCenterClient } from "../src/partner-center/index.js";
import { loadPlans } from "../src/plan-file/index.js";
import { SANDBOX_TOKENS, generateWorld, type SandboxFixture } from "../src/sandbox/index.js";
import { worldSkus, writeWorldPlans } from "../test/helpers/world-plans.js";

const REPO = resolve(import.meta.dirname, "..");
const TSX = pathToFileURL(join(REPO, "node_modules/tsx/dist/loader.mjs")).href;
export const NOW = "2026-11-24T00:00:00Z";
export const SEED = 1;

export interface EngineBenchOptions {
  /** Shown in the table and the plot. */
  label: string;
  customers: number;
  users: number;
  /** Sandbox per-request latency (ms). */
  latencyMs: number;
  /** Sandbox rate limit (requests/s), partner-wide — the bound; never given to the client. */
  rateLimit: number;
  /** Sandbox rate limit per customer (requests/s), if any; never given to the client. */
  rateLimitCustomer?: number;
  /** Customers the naive sequential client reads before its time is extrapolated. */
  naivePrefix: number;
}

/** The CLI's `--concurrency` default: customers in flight are 8 × it, each customer's licence reads it. */
export const ENGINE_CONCURRENCY = 32;

/** The client's page size (its default): part of what "minimum calls" means. */
export const PAGE_SIZE = 100;

// `gc()` without --expose-gc on the command line, so `npm run bench` stays a plain tsx run.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

export interface Sandbox {
  url: string;
  /** The HTTPS listener: Graph endpoint and authority host. */
  graph: string;
  stop(): Promise<void>;
}

/** `pcplan sandbox` in a child process; `extra` flags after the world's (Graph limits). */
export async function startSandboxChild(o: EngineBenchOptions, extra: string[] = []): Promise<Sandbox> {
  const args = ["--import", TSX, join(REPO, "src/cli/run.ts"), "sandbox", "--generate", `customers=${o.customers},users=${o.users}`, "--seed", String(SEED)];
  args.push("--latency", String(o.latencyMs), "--rate-limit", String(o.rateLimit), "--clock", NOW, ...extra);
  if (o.rateLimitCustomer) args.push("--rate-limit-customer", String(o.rateLimitCustomer));
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, args, { cwd: REPO, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const [url, graph] = await new Promise<[string, string]>((ok, fail) => {
    const lines = createInterface({ input: child.stdout });
    const got: string[] = [];
    lines.on("line", (l) => {
      got.push(l.trim());
      if (got.length === 2) ok([got[0] ?? "", got[1] ?? ""]);
    });
    child.once("exit", (code) => fail(new Error(`sandbox exited (${code}) before printing its URLs:\n${stderr}`)));
  });
  return {
    url,
    graph,
    stop: () =>
      new Promise<void>((ok) => {
        child.once("exit", () => ok());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * The calls `plan` cannot do without for this world and these plans (at the client's page
 * size): `GET /offers`, per planned customer its subscriptions and subscribed SKUs, and where a
 * source unit is consumed or an active source subscription may be retired the users pages and
 * one license read per user — every user where a retirement may follow (its holders must confirm
 * the count), else up to the last source holder. Not `GET /customers/{id}`: the name is in the plan, and a missing customer answers
 * 404 on its subscriptions. Also the most calls for one customer (below `/customers/{id}/`).
 */
function minimumCalls(world: SandboxFixture, planned: ReadonlySet<string>): { calls: number; criticalPathCalls: number; perCustomer: number[] } {
  const { source, target, sourceOffers } = worldSkus(world);
  const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE_SIZE));
  const listedOffers = new Set(world.offers.filter((o) => o.country === "US").map((o) => o.id.toLowerCase()));
  const targetOffers = new Set(world.offers.filter((o) => o.skuId.toLowerCase() === target).map((o) => o.id.toLowerCase()));
  const targetItem = `${(nceProductFor(target)?.catalogItem ?? "-").toLowerCase()}:`;
  const isTarget = (offerId: string) => targetOffers.has(offerId.toLowerCase()) || offerId.toLowerCase().startsWith(targetItem);
  // Offers the listing lacks are read once each; new-commerce SKUs once per product:sku.
  const lookups = new Set<string>();
  let calls = 1; // GET /offers
  let criticalPathCalls = 0;
  let mayBuy = false;
  const perCustomer: number[] = [];
  for (const c of world.customers) {
    if (!planned.has(c.id.toLowerCase())) continue;
    for (const s of c.subscriptions) {
      const id = s.offerId.toLowerCase();
      if (id.split(":").length === 3) lookups.add(id.split(":").slice(0, 2).join(":"));
      else if (!listedOffers.has(id)) lookups.add(id);
    }
    // Where an active source subscription may be retired, every user is read (the holders must
    // confirm the count, issue 22); else only up to the last holder.
    const mayRetire = c.subscriptions.some((s) => s.status === "active" && sourceOffers.has(s.offerId.toLowerCase()));
    const last = c.users.findLastIndex((u) => u.licenses.some((l) => l.toLowerCase() === source));
    const userReads = mayRetire ? pages(c.users.length) + c.users.length : last >= 0 ? pages(c.users.length) + last + 1 : 0;
    // Without a target subscription a purchase may be needed: the orders in flight are read.
    const noTarget = !c.subscriptions.some((s) => isTarget(s.offerId) && s.status === "active");
    mayBuy ||= noTarget;
    // subscriptions + subscribed SKUs (one page each here); users only where a source unit is consumed, licenses up to the last holder.
    const own = 2 + (noTarget ? 1 : 0) + userReads;
    perCustomer.push(own);
    calls += own;
    // offers → (subscriptions ∥ skus) → users pages in sequence → license reads in parallel.
    criticalPathCalls = Math.max(criticalPathCalls, 2 + (userReads > 0 ? pages(c.users.length) + 1 : 0));
  }
  // The target's catalog SKU and availabilities, once per run, if anyone may buy.
  return { calls: calls + lookups.size + (mayBuy ? 2 : 0), criticalPathCalls, perCustomer };
}

/**
 * The lower bound: the largest of the partner limit's ((minimum − its one-second initial
 * burst) / rate), the busiest customer's under the customer limit (the same, per customer) and
 * the critical path × latency.
 */
function lowerBound(o: EngineBenchOptions, min: ReturnType<typeof minimumCalls>): { ms: number; kind: string } {
  const byRate = (Math.max(0, min.calls - o.rateLimit) / o.rateLimit) * 1000;
  const perCustomer = o.rateLimitCustomer ? (Math.max(0, Math.max(...min.perCustomer) - o.rateLimitCustomer) / o.rateLimitCustomer) * 1000 : 0;
  const byPath = min.criticalPathCalls * o.latencyMs;
  const ms = Math.max(byRate, perCustomer, byPath);
  const kind = ms === byRate ? "(calls − burst) / rate" : ms === perCustomer ? "busiest customer at its limit" : "critical path";
  return { ms, kind };
}

/** One point of the rate over time. */
export interface RateSample {
  /** Seconds since the run started. */
  t: number;
  /** Requests sent in the last second. */
  sent: number;
  /** The partner budget's rate. */
  budget: number;
  /** 429s received so far. */
  throttled: number;
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
  label: string;
  customers: number;
  users: number;
  planned: number;
  calls: number;
  minimumCalls: number;
  wallMs: number;
  boundMs: number;
  boundKind: string;
  throttled: number;
  retries: number;
  /** Most requests sent in one second. */
  peakRps: number;
  /** Budget cuts after 429s: partner-wide, and of the customers' learned rate. */
  partnerCuts: number;
  tenantCuts: number;
  /** The customers' learned rate at the end (null: never limited). */
  tenantRps: number | null;
  samples: RateSample[];
  peakRss: number;
  peakHeapAboveBaseline: number;
  retainedHeap: number;
  actions: number;
  naive?: { customersRead: number; calls: number; wallMs: number; extrapolatedMs: number; fullWorldCalls: number };
}

/** The naive partner script: list customers, then per customer its subscriptions, users and every user's licenses, one request at a time. */
async function naiveSequential(url: string, world: SandboxFixture, prefix: number): Promise<NonNullable<EngineRun["naive"]>> {
  // One request at a time: its budget never holds it back (the sandbox's limit is far above it).
  const api = createPartnerCenterClient({ endpoint: url, token: () => Promise.resolve(SANDBOX_TOKENS.admin), correlationId: "bench-naive" });
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
    const bound = lowerBound(o, min);

    gc();
    const baseline = process.memoryUsage().heapUsed;
    const mem = sampleMemory();
    const api = createPartnerCenterClient({ endpoint: sandbox.url, token: () => Promise.resolve(SANDBOX_TOKENS.admin), correlationId: "bench-engine" });
    const start = performance.now();
    const samples: RateSample[] = [];
    const sampler = setInterval(() => {
      const st = api.stats();
      samples.push({ t: (performance.now() - start) / 1000, sent: st.currentRps, budget: st.effectiveRps, throttled: st.throttled });
    }, 100);
    const computed = await computePlan(api, loaded.plans, {
      now: NOW,
      warnDays: 30,
      concurrency: ENGINE_CONCURRENCY,
      country: "US",
      licenses: (limit) => partnerCenterLicenses(api, limit),
    }).finally(() => clearInterval(sampler));
    const wallMs = performance.now() - start;
    const { peakRss, peakHeap } = mem.stop();
    gc();
    const retainedHeap = process.memoryUsage().heapUsed - baseline;
    const stats = api.stats();
    const partner = stats.budgets.find((b) => b.kind === "partner");
    const tenants = stats.budgets.find((b) => b.kind === "tenant");

    const run: EngineRun = {
      label: o.label,
      customers: o.customers,
      users: o.users,
      planned: written.customerIds.length,
      calls: stats.requests,
      minimumCalls: min.calls,
      wallMs,
      boundMs: bound.ms,
      boundKind: bound.kind,
      throttled: stats.throttled,
      retries: stats.retries,
      peakRps: stats.peakRps,
      partnerCuts: partner?.cuts ?? 0,
      tenantCuts: tenants?.cuts ?? 0,
      tenantRps: tenants?.rps ?? null,
      samples,
      peakRss,
      peakHeapAboveBaseline: peakHeap - baseline,
      retainedHeap,
      actions: computed.customers.reduce((n, c) => n + c.actions.length, 0),
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
  const limits = `rate limit ${o.rateLimit} req/s${o.rateLimitCustomer ? ` + ${o.rateLimitCustomer} req/s per customer` : ""} (not told to the client)`;
  const rows: [string, string][] = [
    ["world", `${r.customers} customers, ${r.users} users; ${r.planned} customers planned; latency ${o.latencyMs} ms, ${limits}`],
    [
      "API calls made / minimum",
      `${r.calls} / ${r.minimumCalls} (${((r.calls / r.minimumCalls - 1) * 100).toFixed(2)}% over; 429s and their retries included)`,
    ],
    ["wall time", s(r.wallMs)],
    [`lower bound (${r.boundKind})`, s(r.boundMs)],
    ["ratio to bound", `${(r.wallMs / r.boundMs).toFixed(3)}× (target ≤ 1.25×)`],
    ["429s received / share of requests", `${r.throttled} / ${((r.throttled / r.calls) * 100).toFixed(2)}% (target ≤ 2%)`],
    [
      "rate reached / budget cuts",
      `${r.peakRps} req/s in the busiest second; partner cut ${r.partnerCuts}×, customers' rate cut ${r.tenantCuts}×${r.tenantRps === null ? " (never limited)" : ` (learned ${r.tenantRps.toFixed(1)} req/s per customer)`}`,
    ],
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

/**
 * The engine against the bound the API sets. A generated world is served by `pcplan sandbox`
 * in a child process (its own core: in-process it would compete with the engine for CPU) with
 * a per-request latency, a partner-wide request-rate limit and optionally a per-customer one.
 * The client is not told either limit: it finds them. `plan` runs in-process (loadPlans →
 * createPartnerCenterClient → computePlan) so calls (per customer, against what the data
 * needs), 429s, the rate reached and memory can be measured. The rate over time goes to a
 * sample list (plotted by rate-plot.ts).
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
import { createPartnerCenterClient, type PartnerCenterClient } from "../src/partner-center/index.js";
import { loadPlans } from "../src/plan-file/index.js";
import type { MigrationPlan } from "../src/plan-file/types.js";
import { SANDBOX_TOKENS, generateWorld, type SandboxFixture } from "../src/sandbox/index.js";
import { worldSkus, writeWorldPlans } from "../test/helpers/world-plans.js";
import { againstMinimum, callCounter, type AgainstMinimum, type CallCount } from "./calls.js";

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
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ["--max-old-space-size=8192", ...args], { cwd: REPO, stdio: ["pipe", "pipe", "pipe"] });
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
  const stop = () =>
    new Promise<void>((ok) => {
      child.once("exit", () => ok());
      child.kill("SIGTERM");
    });
  return { url, graph, stop };
}

export interface Minimum {
  /** Every call the data needs. */
  total: number;
  /** Partner-wide: `GET /offers`, offers the listing lacks, the target's catalog SKU and availabilities. */
  partnerWide: number;
  /** Per planned customer (lowercase id): its own calls. */
  perCustomer: Map<string, number>;
  /** The longest chain of calls one after another (offers → subscriptions ∥ SKUs → users pages → licence reads). */
  criticalPathCalls: number;
}

/**
 * The calls `plan` cannot do without for this world and these plans (at the client's page
 * size): `GET /offers`, per planned customer its subscriptions and subscribed SKUs, the orders in
 * flight where no target subscription exists (a purchase may be needed), and where a source unit
 * is consumed or an active source subscription may be retired the users pages and one license read
 * per user: every user where a retirement may follow (its holders must confirm the count, issue
 * 22), else up to the last source holder. Not
 * `GET /customers/{id}`: the name is in the plan, and a missing customer answers 404 on its
 * subscriptions.
 */
export function minimumCalls(world: SandboxFixture, planned: ReadonlySet<string>): Minimum {
  const { source, target, sourceOffers } = worldSkus(world);
  const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE_SIZE));
  const listedOffers = new Set(world.offers.filter((o) => o.country === "US").map((o) => o.id.toLowerCase()));
  const targetOffers = new Set(world.offers.filter((o) => o.skuId.toLowerCase() === target).map((o) => o.id.toLowerCase()));
  const targetItem = `${(nceProductFor(target)?.catalogItem ?? "-").toLowerCase()}:`;
  const isTarget = (offerId: string) => targetOffers.has(offerId.toLowerCase()) || offerId.toLowerCase().startsWith(targetItem);
  // Offers the listing lacks are read once each; new-commerce SKUs once per product:sku.
  const lookups = new Set<string>();
  const perCustomer = new Map<string, number>();
  let criticalPathCalls = 0;
  let mayBuy = false;
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
    const noTarget = !c.subscriptions.some((s) => isTarget(s.offerId) && s.status === "active");
    mayBuy ||= noTarget;
    perCustomer.set(c.id.toLowerCase(), 2 + (noTarget ? 1 : 0) + userReads);
    criticalPathCalls = Math.max(criticalPathCalls, 2 + (userReads > 0 ? pages(c.users.length) + 1 : 0));
  }
  // GET /offers, the lookups, and the target's catalog SKU and availabilities once per run if anyone may buy.
  const partnerWide = 1 + lookups.size + (mayBuy ? 2 : 0);
  const total = partnerWide + [...perCustomer.values()].reduce((a, b) => a + b, 0);
  return { total, partnerWide, perCustomer, criticalPathCalls };
}

/**
 * The lower bound: the largest of the partner limit's ((minimum − its one-second initial
 * burst) / rate), the busiest customer's under the customer limit (the same, per customer: the
 * sandbox keeps a customer's bucket as the partner's, src/sandbox/faults.ts — it holds one
 * second, `rateLimitCustomer` requests, and refills continuously at that rate) and the critical
 * path × latency. `kind` names the one that binds, and the customer's beside the partner's.
 */
export function lowerBound(o: EngineBenchOptions, min: Minimum): { ms: number; kind: string } {
  const byRate = (Math.max(0, min.total - o.rateLimit) / o.rateLimit) * 1000;
  const busiest = Math.max(...min.perCustomer.values());
  const perCustomer = o.rateLimitCustomer ? (Math.max(0, busiest - o.rateLimitCustomer) / o.rateLimitCustomer) * 1000 : 0;
  const byPath = min.criticalPathCalls * o.latencyMs;
  const ms = Math.max(byRate, perCustomer, byPath);
  const partner = `(calls − burst) / rate ${(byRate / 1000).toFixed(2)} s`;
  const customer = `busiest customer (${busiest} calls) at its limit ${(perCustomer / 1000).toFixed(2)} s`;
  const both = o.rateLimitCustomer ? (ms === perCustomer ? `${customer}; ${partner}` : `${partner}; ${customer}`) : partner;
  const kind = ms === byRate || ms === perCustomer ? `${both}: the first binds` : `critical path; ${both}`;
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

/** Peak RSS and heap, sampled every 25 ms. */
export function sampleMemory(everyMs = 25): { stop(): { peakRss: number; peakHeap: number } } {
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
  minimum: Minimum;
  calls: CallCount;
  perCustomer: AgainstMinimum;
  wallMs: number;
  boundMs: number;
  boundKind: string;
  throttled: number;
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
}

/** The generated world, its plans written and loaded, and what it needs. */
export async function preparedWorld(o: EngineBenchOptions, dir: string): Promise<{ world: SandboxFixture; plans: MigrationPlan[]; minimum: Minimum }> {
  const world = generateWorld({ customers: o.customers, users: o.users, seed: SEED });
  const written = await writeWorldPlans(world, dir);
  const loaded = await loadPlans([dir], { cwd: dir });
  if (loaded.diagnostics.some((d) => d.severity === "error")) throw new Error("generated plans did not validate");
  return { world, plans: loaded.plans, minimum: minimumCalls(world, new Set(written.customerIds)) };
}

export async function benchEngine(o: EngineBenchOptions): Promise<EngineRun> {
  const dir = await mkdtemp(join(tmpdir(), "pcplan-bench-engine-"));
  const sandbox = await startSandboxChild(o);
  try {
    const { plans, minimum } = await preparedWorld(o, dir);
    gc();
    const baseline = process.memoryUsage().heapUsed;
    const mem = sampleMemory();
    const counter = callCounter();
    const api = createPartnerCenterClient({
      endpoint: sandbox.url,
      token: () => Promise.resolve(SANDBOX_TOKENS.admin),
      correlationId: "bench-engine",
      onEvent: counter.onEvent,
    });
    const start = performance.now();
    const samples = sampleRate(api, start);
    const licenses = (limit: Parameters<typeof partnerCenterLicenses>[1]) => partnerCenterLicenses(api, limit);
    const computed = await computePlan(api, plans, { now: NOW, warnDays: 30, concurrency: ENGINE_CONCURRENCY, country: "US", licenses }).finally(samples.stop);
    const wallMs = performance.now() - start;
    const { peakRss, peakHeap } = mem.stop();
    gc();
    const retainedHeap = process.memoryUsage().heapUsed - baseline;
    const stats = api.stats();
    const partner = stats.budgets.find((b) => b.kind === "partner");
    const tenants = stats.budgets.find((b) => b.kind === "tenant");
    const bound = lowerBound(o, minimum);
    const calls = counter.count();
    return {
      ...{ label: o.label, customers: o.customers, users: o.users, planned: minimum.perCustomer.size, minimum, calls },
      ...{
        perCustomer: againstMinimum(calls, minimum.perCustomer),
        wallMs,
        boundMs: bound.ms,
        boundKind: bound.kind,
        throttled: stats.throttled,
        peakRps: stats.peakRps,
      },
      ...{ partnerCuts: partner?.cuts ?? 0, tenantCuts: tenants?.cuts ?? 0, tenantRps: tenants?.rps ?? null, samples: samples.list },
      ...{ peakRss, peakHeapAboveBaseline: peakHeap - baseline, retainedHeap, actions: computed.customers.reduce((n, c) => n + c.actions.length, 0) },
    };
  } finally {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The client's rate every 100 ms, for the plot. */
function sampleRate(api: PartnerCenterClient, start: number): { list: RateSample[]; stop: () => void } {
  const list: RateSample[] = [];
  const timer = setInterval(() => {
    const st = api.stats();
    list.push({ t: (performance.now() - start) / 1000, sent: st.currentRps, budget: st.effectiveRps, throttled: st.throttled });
  }, 100);
  return { list, stop: () => clearInterval(timer) };
}

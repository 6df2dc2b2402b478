/**
 * The request budget alone, on the simulated clock: the real Partner Center client (transport,
 * budget, retries) over the real wire against the throttling service of the budget's tests
 * (test/http/helpers/), whose limits it is never told, doing the work `plan` does for a generated
 * world — per planned customer its subscriptions and subscribed SKUs in parallel (and its orders
 * where a purchase may be needed), then its users pages one after another, then its licence reads
 * up to the last source holder, `--concurrency` at a time; 8 × `--concurrency` customers in
 * flight, as `src/live/` reads them. Time is the simulated clock's, with the engine's CPU charged
 * at the cost per answer measured on the wall clock (`engineCpu`), so the ratio to the bound measures the budget's
 * decisions and not this machine's load (shared and noisy): the same every run. The wall-clock
 * sections measure the rest (the CPU as it is, the sandbox, the engine).
 */
import { generateWorld, type SandboxFixture } from "../src/sandbox/index.js";
import { simClient } from "../test/http/helpers/sim-client.js";
import { startThrottlingService } from "../test/http/helpers/throttling-service.js";
import { VirtualClock } from "../test/http/helpers/virtual-clock.js";
import { runWork, type CustomerWork } from "../test/http/helpers/workload.js";
import { worldSkus, writeWorldPlans } from "../test/helpers/world-plans.js";
import { ENGINE_CONCURRENCY, PAGE_SIZE, SEED, lowerBound, minimumCalls, type EngineBenchOptions, type Minimum } from "./engine.js";

/**
 * The engine's CPU per answer (ms), for one run: 3 ms for the first thousand answers, 1.2 ms
 * after. Measured on 2026-12-05 (`process.cpuUsage` every 500 ms around `computePlan`, the
 * 300-customer world at 400 req/s): 2–6 ms a call over the first 4 s (about a thousand calls:
 * the first reads and users pages, heavier than a licence read, and code not yet optimised),
 * 0.8–1.7 ms after; 8.5 s of CPU for 5,065 calls in all. Charged to one CPU every answer shares
 * (test/http/helpers/virtual-clock.ts), it brings the simulated clock's 400 req/s row to the
 * wall clock's (1.079× against 1.078× on a quiet machine).
 */
export function engineCpu(): () => number {
  let answers = 0;
  return () => (++answers <= 1000 ? 3 : 1.2);
}

/** The work of each planned customer, from the same count as the minimum (`minimumCalls`). */
export function workOf(world: SandboxFixture, minimum: Minimum): CustomerWork[] {
  const { source, sourceOffers } = worldSkus(world);
  const byId = new Map(world.customers.map((c) => [c.id.toLowerCase(), c]));
  return [...minimum.perCustomer].map(([id, calls]) => {
    const c = byId.get(id);
    const last = c ? c.users.findLastIndex((u) => u.licenses.some((l) => l.toLowerCase() === source)) : -1;
    const pages = last >= 0 && c ? Math.max(1, Math.ceil(c.users.length / PAGE_SIZE)) : 0;
    const reads = last + 1;
    // Subscriptions and subscribed SKUs first; the rest of what is not a users page or a licence read (the orders in flight) beside those.
    const first = Math.min(2, calls - pages - reads);
    // What `plan` announces (src/licenses/partner-center-backend.ts): a page and a read per consumed
    // unit, then the reads: every user's where a retirement may follow, else one per consumed unit.
    const mayRetire = c?.subscriptions.some((s) => s.status === "active" && sourceOffers.has(s.offerId.toLowerCase())) ?? false;
    const holders = c ? c.users.filter((u) => u.licenses.some((l) => l.toLowerCase() === source)).length : 0;
    const announce = { beforePages: 1 + holders, afterPages: mayRetire ? (c?.users.length ?? 0) : holders };
    return { id, first, beside: calls - pages - reads - first, pages, reads, ...(pages > 0 ? { announce } : {}) };
  });
}

export interface SimRun {
  virtualMs: number;
  boundMs: number;
  boundKind: string;
  minimum: number;
  /** Attempts the service saw, and its 429s. */
  calls: number;
  throttled: number;
  partnerCuts: number;
  tenantCuts: number;
  /** 429s the budget put down to the partner and to customers, and those the service's customer limits gave. */
  partnerThrottled: number;
  tenantThrottled: number;
  byTenantLimit: number;
  /** The customers' learned rate at the end (requests/s), null when never limited. */
  tenantRps: number | null;
}

/** The world's work against the throttling service, on the simulated clock. */
export async function simulate(o: EngineBenchOptions, work: readonly CustomerWork[], minimum: Minimum): Promise<SimRun> {
  const clock = new VirtualClock();
  const service = await startThrottlingService(clock.now, { partnerRps: o.rateLimit, tenantRps: o.rateLimitCustomer ?? 0 });
  try {
    const { client, read, expect } = simClient(clock, service, o.latencyMs, { fetch: clock.fetch(o.latencyMs, engineCpu()) });
    await clock.run(runWork(read, work, { partnerWide: minimum.partnerWide, concurrency: ENGINE_CONCURRENCY, expect }));
    const stats = client.stats();
    const partner = stats.budgets.find((b) => b.kind === "partner");
    const tenants = stats.budgets.find((b) => b.kind === "tenant");
    const bound = lowerBound(o, minimum);
    return {
      virtualMs: clock.now(),
      boundMs: bound.ms,
      boundKind: bound.kind,
      minimum: minimum.total,
      calls: service.log.length,
      throttled: service.throttled(),
      partnerCuts: partner?.cuts ?? 0,
      tenantCuts: tenants?.cuts ?? 0,
      partnerThrottled: partner?.throttled ?? 0,
      tenantThrottled: tenants?.throttled ?? 0,
      byTenantLimit: service.log.filter((e) => e.by === "tenant").length,
      tenantRps: tenants?.rps ?? null,
    };
  } finally {
    await service.close();
  }
}

/**
 * Issue 27's "few customers busy" world, the one of test/http/budget-bound.e2e.test.ts: 4 large
 * customers (104 calls) among 60 small ones (25 calls), one partner-wide call first.
 */
export function fewLargeAmongSmall(): { work: CustomerWork[]; minimum: Minimum } {
  const id = (i: number) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`;
  const work: CustomerWork[] = Array.from({ length: 64 }, (_, i) =>
    i < 4 ? { id: id(i), first: 2, pages: 2, reads: 100 } : { id: id(i), first: 2, pages: 1, reads: 22 },
  );
  const calls = (w: CustomerWork) => w.first + w.pages + w.reads;
  const chain = (w: CustomerWork) => 1 + w.pages + Math.ceil(w.reads / ENGINE_CONCURRENCY);
  return {
    work,
    minimum: {
      total: 1 + work.reduce((n, w) => n + calls(w), 0),
      partnerWide: 1,
      perCustomer: new Map(work.map((w) => [w.id, calls(w)])),
      criticalPathCalls: 1 + Math.max(...work.map(chain)),
    },
  };
}

/** A generated world's work and minimum (plans written to `dir` to pick the planned customers as the other sections do). */
export async function simWorld(o: EngineBenchOptions, dir: string): Promise<{ work: CustomerWork[]; minimum: Minimum }> {
  const world = generateWorld({ customers: o.customers, users: o.users, seed: SEED });
  const written = await writeWorldPlans(world, dir);
  const minimum = minimumCalls(world, new Set(written.customerIds));
  return { work: workOf(world, minimum), minimum };
}

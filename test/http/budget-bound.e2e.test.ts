/**
 * Issue 27's goals for the request budget, each as a whole run of `plan`-shaped reads
 * (helpers/workload.ts) on the simulated clock against a throttling service whose limits the
 * client is never told: the time against the bound those limits set, and the share of 429s.
 * The wall-clock figures (docs/performance.md) add this machine's CPU; these are the budget's own.
 */
import { afterEach, describe, expect, it } from "vitest";
import { simClient } from "./helpers/sim-client.js";
import { startThrottlingService, type Limits, type ThrottlingService } from "./helpers/throttling-service.js";
import { VirtualClock } from "./helpers/virtual-clock.js";
import { callsOf, runWork, type CustomerWork } from "./helpers/workload.js";

let service: ThrottlingService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

const LATENCY = 40;
const customers = (n: number, shape: Omit<CustomerWork, "id">): CustomerWork[] =>
  Array.from({ length: n }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`, ...shape }));

async function run(limits: Limits, work: CustomerWork[]) {
  const clock = new VirtualClock();
  service = await startThrottlingService(clock.now, limits);
  const { client, events, read } = simClient(clock, service, LATENCY);
  await clock.run(runWork(read, work, { partnerWide: 1, concurrency: 32 }));
  const budgets = client.stats().budgets;
  return {
    ms: clock.now(),
    throttledShare: service.throttled() / service.log.length,
    /** What the budget learned of the customers' limit, and the rates it cut the partner and the customers to. */
    tenants: budgets.find((b) => b.kind === "tenant"),
    partnerCutsTo: events.flatMap((e) => (e.type === "rate" && e.kind === "partner" ? [e.rps] : [])),
    tenantCutsTo: events.flatMap((e) => (e.type === "rate" && e.kind === "tenant" ? [e.rps] : [])),
  };
}

/** The time a limit of `rate` imposes on `calls`: all but its first second's burst at its rate (ms). */
const byRate = (calls: number, rate: number) => (Math.max(0, calls - rate) / rate) * 1000;

describe("a whole run against the bound, on the simulated clock", () => {
  it("behind a partner limit it is never told: within 1.15× the bound, at most 2% of the requests throttled", async () => {
    // 120 customers of 25 calls (a minute's work): slow start must find 50 requests/s soon, and
    // the cut after the first 429s must not fall far below it (to 0.7 of it, climbing back over
    // 4 s, costs more). The overshoot that finds the limit is a fixed cost of some 30 429s.
    const work = customers(120, { first: 2, pages: 1, reads: 22 });
    const bound = byRate(callsOf(work, 1), 50);
    const r = await run({ partnerRps: 50 }, work);
    expect(r.ms / bound).toBeLessThanOrEqual(1.15);
    // Measured 1.01× and 1.15% (2026-12-04): issue 27's 1% is not met on a run this short
    // (docs/performance.md, "The budget on the simulated clock").
    expect(r.throttledShare).toBeLessThanOrEqual(0.02);
  }, 180_000);

  it("with a per-customer limit that binds for a few large customers: their limit is learned, the partner is not cut for it, within 1.2× the bound", async () => {
    // Four customers of 104 calls behind 5 requests/s each, 60 small ones, 50 requests/s
    // partner-wide (issue 27). The large customers' 429s come while the partner sends below the
    // rate it was last throttled at: their own limit (attribution.ts). Put down to the partner,
    // each would cut the rate every customer shares: before, every cut went to the partner, the
    // last to 14 requests/s, below the 20 the four customers' limits allow together.
    const large = customers(4, { first: 2, pages: 2, reads: 100 });
    const small = customers(64, { first: 2, pages: 1, reads: 22 }).slice(4);
    const work = [...large, ...small];
    const bound = Math.max(byRate(callsOf(work, 1), 50), byRate(104, 5));
    const r = await run({ partnerRps: 50, tenantRps: 5 }, work);
    expect(r.tenants?.rps).toBeGreaterThan(3.5);
    expect(r.tenants?.rps).toBeLessThanOrEqual(5);
    expect(r.tenants?.throttled).toBeGreaterThan(0);
    expect(Math.min(...r.partnerCutsTo)).toBeGreaterThanOrEqual(20);
    // Measured 1.09× and 2.1% throttled (2026-12-04), 3 of 7 cuts the customers'.
    expect(r.ms / bound).toBeLessThanOrEqual(1.2);
    expect(r.throttledShare).toBeLessThanOrEqual(0.03);
  }, 180_000);

  it("with a per-customer limit alone binding: within 1.2× of the busiest customer at its limit", async () => {
    // Six customers of 205 calls behind 5 requests/s each: the customers' learned rate decides.
    // Cut too deep after a tenant's 429s, or climbing back too slowly, it leaves each customer
    // under its limit for seconds at a time (0.85 and 20 s: past 1.2×).
    const work = customers(6, { first: 2, pages: 3, reads: 200 });
    const r = await run({ partnerRps: 400, tenantRps: 5 }, work);
    // Measured 1.05× (2026-12-04); 6.7% of the requests throttled: each customer keeps probing
    // its own limit, and with six customers those probes are a large share of the traffic.
    expect(r.ms / byRate(205, 5)).toBeLessThanOrEqual(1.2);
    expect(r.throttledShare).toBeLessThanOrEqual(0.1);
  }, 180_000);

  it("with customers held at their own limit for most of the run: the limit read off their buckets, never cut far below it, within 1.1× the busiest", async () => {
    // The bench's 12 large customers (2,400 users): 7 of them with 100 to 341 calls, behind
    // 5 requests/s each (first reads, users pages, licence reads).
    const shapes = [
      [2, 3, 212],
      [3, 1, 6],
      [3, 0, 0],
      [3, 4, 329],
      [2, 0, 0],
      [3, 1, 94],
      [2, 0, 0],
      [3, 3, 245],
      [3, 0, 0],
      [3, 4, 334],
      [2, 2, 155],
      [2, 0, 0],
    ] as const;
    const work = customers(12, { first: 0, pages: 0, reads: 0 }).map((c, i) => {
      const [first, pages, reads] = shapes[i] ?? [0, 0, 0];
      return { ...c, first, pages, reads };
    });
    const r = await run({ partnerRps: 400, tenantRps: 5 }, work);
    expect(r.tenantCutsTo.length).toBeGreaterThan(0);
    expect(Math.min(...r.tenantCutsTo)).toBeGreaterThanOrEqual(4.2);
    expect(r.ms / byRate(341, 5)).toBeLessThanOrEqual(1.1);
  }, 180_000);
});

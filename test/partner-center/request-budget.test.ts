/**
 * The request budget on a simulated clock against a simulated throttling service (token
 * buckets as the sandbox keeps them, a hidden limit the budget is never told). No real time:
 * minutes of traffic run in well under a second, the same way every run.
 */
import { describe, expect, it } from "vitest";
import { partnerScope, tenantScope, type Scope } from "../../src/partner-center/rate-scopes.js";
import { SimService, VirtualClock, simBudget, simRequest, simWorkers } from "../helpers/budget-sim.js";

const PARTNER = partnerScope("pc.example");
const tenant = (id: string): Scope[] => [tenantScope("pc.example", id), PARTNER];

/** Keeps `workers` requests going on `scopesOf(i)` until `until` ms of simulated time. */
function load(clock: VirtualClock, until: number, run: (i: number) => Promise<void>, workers: number): Promise<void> {
  let i = 0;
  return simWorkers(workers, () => (clock.now() < until ? () => run(i++) : undefined));
}

describe("request budget (simulated clock, hidden limits)", () => {
  it("converges from below to just under a fixed partner limit it is never told", async () => {
    const clock = new VirtualClock();
    const service = new SimService(clock, { partnerRps: 200 });
    const budget = simBudget(clock);
    await clock.run(load(clock, 60_000, () => simRequest(clock, budget, service, [PARTNER], 40), 48));

    // Starts at 10 requests/s and climbs: the first second stays well below the limit.
    expect(service.acceptedRate(0, 1000)).toBeLessThan(0.5 * 200);
    // Then settles just under it: the last 30 s run at 85–100% of the limit.
    const settled = service.acceptedRate(30_000, 60_000);
    expect(settled).toBeGreaterThan(0.85 * 200);
    expect(budget.partnerRps).toBeGreaterThan(0.8 * 200);
    expect(budget.partnerRps).toBeLessThan(1.3 * 200);
    expect(service.throttled / service.log.length).toBeLessThan(0.02);
  });

  it("converges from above: started far over the limit, it comes down and settles under it", async () => {
    const clock = new VirtualClock();
    const service = new SimService(clock, { partnerRps: 50 });
    const budget = simBudget(clock, { initialRps: 1000, maxInFlight: 64 });
    await clock.run(load(clock, 60_000, () => simRequest(clock, budget, service, [PARTNER], 40), 64));

    expect(budget.partnerRps).toBeLessThan(1.3 * 50);
    expect(budget.partnerRps).toBeGreaterThan(0.7 * 50);
    expect(service.acceptedRate(20_000, 60_000)).toBeGreaterThan(0.85 * 50);
    // The overshoot is paid once, up front: in the last 40 s hardly any 429.
    const late = service.log.filter((e) => e.at >= 20_000);
    expect(late.filter((e) => e.status === 429).length / late.length).toBeLessThan(0.01);
  });

  it("recovers after a burst of 429s: the rate climbs back once the service allows it again", async () => {
    const clock = new VirtualClock();
    const service = new SimService(clock, { partnerRps: 200 });
    const budget = simBudget(clock);
    const work = load(clock, 70_000, () => simRequest(clock, budget, service, [PARTNER], 40), 48);
    const storm = (async () => {
      await clock.sleep(20_000);
      service.setPartnerRps(2); // a few seconds of almost nothing but 429s
      await clock.sleep(4_000);
      service.setPartnerRps(200);
    })();
    await clock.run(Promise.all([work, storm]));

    const stormLog = service.log.filter((e) => e.at >= 20_000 && e.at < 24_000);
    expect(stormLog.filter((e) => e.status === 429).length).toBeGreaterThan(0);
    expect(service.acceptedRate(21_000, 24_000)).toBeLessThan(10);
    // Back near the limit within seconds, not minutes.
    expect(service.acceptedRate(40_000, 70_000)).toBeGreaterThan(0.85 * 200);
  });

  it("a throttled tenant does not starve another: its 429s and Retry-After pause only itself", async () => {
    const clock = new VirtualClock();
    const service = new SimService(clock, { partnerRps: 400, tenantRps: 5 });
    const budget = simBudget(clock);
    const busyDone: number[] = [];
    const quietDone: { at: number; took: number }[] = [];
    const busy = load(clock, 30_000, () => simRequest(clock, budget, service, tenant("busy"), 40).then(() => void busyDone.push(clock.now())), 32);
    const quiet = (async () => {
      // 2 requests a second, well under the tenant limit, for 30 s.
      for (let i = 0; i < 60; i++) {
        const started = clock.now();
        await simRequest(clock, budget, service, tenant("quiet"), 40);
        quietDone.push({ at: started, took: clock.now() - started });
        await clock.sleep(500);
      }
    })();
    await clock.run(Promise.all([busy, quiet]));

    // The busy tenant is held near its limit…
    const busyLate = busyDone.filter((t) => t >= 10_000 && t < 30_000).length / 20;
    expect(busyLate).toBeGreaterThan(0.8 * 5);
    expect(busyLate).toBeLessThanOrEqual(5.5);
    // …with few 429s once its limit is learned, and never a cut of the partner budget.
    const busyLate429 = service.log.filter((e) => e.tenant === "busy" && e.at >= 10_000 && e.status === 429).length;
    expect(busyLate429).toBeLessThan(10);
    expect(budget.stats().find((s) => s.kind === "partner")?.cuts).toBe(0);
    // …while the quiet tenant never got a 429 and, but for the partner's short hold while the
    // first 429s were judged, never waited: answered within about a round trip (40 ms).
    expect(service.log.filter((e) => e.tenant === "quiet" && e.status === 429)).toEqual([]);
    expect(Math.max(...quietDone.map((q) => q.took))).toBeLessThan(500);
    expect(Math.max(...quietDone.filter((q) => q.at > 1000).map((q) => q.took))).toBeLessThan(60);
  });

  it("tenants share the partner budget: two busy tenants each get about half", async () => {
    const clock = new VirtualClock();
    const service = new SimService(clock, { partnerRps: 100 });
    const budget = simBudget(clock);
    const a = load(clock, 40_000, () => simRequest(clock, budget, service, tenant("a"), 40), 32);
    const b = load(clock, 40_000, () => simRequest(clock, budget, service, tenant("b"), 40), 32);
    await clock.run(Promise.all([a, b]));

    const late = service.log.filter((e) => e.at >= 20_000 && e.status === 200);
    const shareA = late.filter((e) => e.tenant === "a").length / late.length;
    expect(shareA).toBeGreaterThan(0.4);
    expect(shareA).toBeLessThan(0.6);
    // The service's limit was the partner's: no tenant limit was learned.
    expect(budget.stats().find((s) => s.kind === "tenant")?.rps).toBeNull();
  });

  it("keeps to --max-rps when it is lower than the service's limit", async () => {
    const clock = new VirtualClock();
    const service = new SimService(clock, { partnerRps: 400 });
    const budget = simBudget(clock, { maxRps: 30 });
    await clock.run(load(clock, 20_000, () => simRequest(clock, budget, service, [PARTNER], 40), 32));
    for (let t = 1000; t < 20_000; t += 1000) expect(service.acceptedRate(t, t + 1000)).toBeLessThanOrEqual(30);
    expect(service.acceptedRate(5_000, 20_000)).toBeGreaterThan(25);
    expect(service.throttled).toBe(0);
  });
});

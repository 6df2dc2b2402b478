/**
 * The request budget's own bookkeeping (src/http/budget/request-budget.ts), called as the
 * transport calls it, on the simulated clock: what it reports, and the tenants it forgets. Its
 * rate decisions are tested through the real transport (budget.e2e.test.ts, budget-bound.e2e.test.ts).
 */
import { describe, expect, it } from "vitest";
import { RequestBudget, type Grant, type RateCut } from "../../src/http/budget/request-budget.js";
import { partnerScope, tenantScope } from "../../src/http/scopes.js";
import { VirtualClock } from "./helpers/virtual-clock.js";

const HOST = "pc";
const partner = partnerScope(HOST);
const tenant = (id: string) => [tenantScope(HOST, id), partner];

/** One request of `scopes` sent and answered at once. */
async function send(budget: RequestBudget, scopes = [partner]): Promise<void> {
  const grant = await budget.acquire(scopes);
  budget.onSuccess(grant);
  budget.release(grant);
}

describe("the request budget's bookkeeping", () => {
  it("refuses a request without scopes", async () => {
    const budget = new RequestBudget({ clock: new VirtualClock() });
    await expect(budget.acquire([])).rejects.toThrow(RangeError);
  });

  it("before any request, reports where the partner starts: 10 requests/s, or --max-rps when lower", () => {
    const clock = new VirtualClock();
    expect(new RequestBudget({ clock }).partnerRps).toBe(10);
    expect(new RequestBudget({ clock, initialRps: 40 }).partnerRps).toBe(40);
    expect(new RequestBudget({ clock, initialRps: 40, maxRps: 25 }).partnerRps).toBe(25);
  });

  it("forgets tenants idle a minute once ten thousand lanes exist: one that comes back is a new lane", async () => {
    const clock = new VirtualClock();
    const budget = new RequestBudget({ clock, initialRps: 1e9 });
    const scopesSeen = () => budget.stats().find((s) => s.kind === "tenant")?.scopes;
    await clock.run(
      (async () => {
        for (let i = 0; i < 9_999; i++) await send(budget, tenant(`t${i}`));
        await clock.sleep(60_000);
        // 10,000 lanes (the partner's among them) when this one is made: not yet swept, t0 idle only 60 s.
        await send(budget, tenant("late"));
        await send(budget, tenant("t0"));
        expect(scopesSeen()).toBe(10_000);
        await clock.sleep(1);
        // Now every tenant but t0 and "late" has been idle over a minute: swept when the next lane is made.
        await send(budget, tenant("new"));
        await send(budget, tenant("t1"));
        expect(scopesSeen()).toBe(10_002);
        // t0 and "late" were busy within the minute: kept.
        await send(budget, tenant("t0"));
        await send(budget, tenant("late"));
        expect(scopesSeen()).toBe(10_002);
      })(),
    );
  });
});

describe("what the budget reports", () => {
  it("per class: its rate (none for tenants never limited), the most one scope sent in a second, what all sent in the last one, the scopes seen", async () => {
    const clock = new VirtualClock();
    const budget = new RequestBudget({ clock, initialRps: 100 });
    await clock.run(
      (async () => {
        for (let i = 0; i < 3; i++) await send(budget, tenant("a"));
        for (let i = 0; i < 5; i++) await send(budget, tenant("b"));
        await send(budget);
      })(),
    );
    const [tenants, partnerStats] = [budget.stats().find((s) => s.kind === "tenant"), budget.stats().find((s) => s.kind === "partner")];
    expect(tenants).toEqual({ scope: "pc tenant", kind: "tenant", rps: null, peakRps: 5, currentRps: 8, throttled: 0, cuts: 0, scopes: 2 });
    expect(partnerStats).toEqual({ scope: "pc", kind: "partner", rps: 100, peakRps: 9, currentRps: 9, throttled: 0, cuts: 0, scopes: 1 });
    expect(budget.partnerRps).toBe(100);
    await clock.run(clock.sleep(1000));
    expect(budget.stats().map((s) => s.currentRps)).toEqual([0, 0]);
  });
});

describe("judging a 429", () => {
  /** `n` partner requests one after another, each answered after `ms`: the round trip the budget learns. */
  async function roundTrips(clock: VirtualClock, budget: RequestBudget, n: number, ms: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const grant = await budget.acquire([partner]);
      await clock.sleep(ms);
      budget.onSuccess(grant);
      budget.release(grant);
    }
  }

  /** A tenant's request answered 429 (no Retry-After) after 40 ms: how long a partner request made then waits. */
  async function holdAfter429(clock: VirtualClock, budget: RequestBudget): Promise<number> {
    const grant = await budget.acquire(tenant("x"));
    await clock.sleep(40);
    budget.onThrottled(grant, 0);
    budget.release(grant);
    const asked = clock.now();
    const next = await budget.acquire([partner]);
    budget.release(next);
    return next.sentAt - asked;
  }

  const held = async (answeredAfterMs?: number): Promise<number> => {
    const clock = new VirtualClock();
    const budget = new RequestBudget({ clock, initialRps: 1e6 });
    return clock.run(
      (async () => {
        if (answeredAfterMs !== undefined) await roundTrips(clock, budget, 60, answeredAfterMs);
        return holdAfter429(clock, budget);
      })(),
    );
  };

  it("holds the partner's new requests for three round trips while the 429s that follow are gathered", async () => {
    // Before any answer the round trip is taken as 100 ms.
    expect(await held()).toBe(300);
    // Learned from the answers, smoothed: after 60 answers of 40 ms, 40.1 ms.
    expect(await held(40)).toBeGreaterThan(120);
    expect(await held(40)).toBeLessThan(121);
  });

  it("…at least 50 ms and at most a second", async () => {
    expect(await held(5)).toBe(50);
    expect(await held(600)).toBe(1000);
  });
});

describe("the partner's cut, measured or estimated", () => {
  /**
   * A partner-only request sent at 0 and answered 429 at 41 ms (the partner's, then), and
   * `outcomes.length` requests of other tenants sent after it `spacingMs` apart and answered
   * after it (true: passed). The first cut the budget makes.
   */
  async function firstCut(outcomes: boolean[], spacingMs = 2): Promise<RateCut | undefined> {
    // Not at 0: the span is measured between two times of the clock.
    const start = 60_000;
    const clock = new VirtualClock(start);
    const cuts: RateCut[] = [];
    const budget = new RequestBudget({ clock, initialRps: 1e6, onCut: (c) => cuts.push(c) });
    await clock.run(
      (async () => {
        const first = await budget.acquire([partner]);
        const others: Grant[] = [];
        for (let i = 0; i < outcomes.length; i++) {
          await clock.sleep(spacingMs);
          others.push(await budget.acquire(tenant(`y${i}`)));
        }
        await clock.sleep(Math.max(0, start + 41 - clock.now()));
        budget.onThrottled(first, 0);
        others.forEach((g, i) => (outcomes[i] ? budget.onSuccess(g) : budget.onThrottled(g, 0)));
        for (const g of [first, ...others]) budget.release(g);
        // The next look at the partner's lane, once the 429s were gathered, judges them.
        await budget.acquire([partner]);
      })(),
    );
    return cuts[0];
  }
  const passing = (passed: number, answered: number) => Array.from({ length: answered }, (_, i) => i < passed);

  it("reads the service's refill off the requests sent after the first 429'd one, and cuts to 0.9 of it", async () => {
    // 10 of 20 sent over 40 ms passed: the service refilled 250 a second.
    const cut = await firstCut(passing(10, 20));
    expect(cut).toMatchObject({ kind: "partner", acceptedRps: 250 });
    expect(cut?.rps).toBeCloseTo(225, 6);
  });

  it("…not from fewer than 8 answers, under 10 ms of sending, fewer than 2 passed or more than 9 in 10: then it is estimated, and cut to 0.7", async () => {
    /** The measure the cut took, or "estimated" when the cut was the estimate's (0.7 of what was accepted or sent). */
    const measure = async (outcomes: boolean[], spacingMs?: number) => {
      const cut = await firstCut(outcomes, spacingMs);
      if (!cut) return undefined;
      return Math.abs(cut.rps / cut.acceptedRps - 0.9) < 1e-9 ? cut.acceptedRps : "estimated";
    };
    expect(await measure(passing(4, 8))).toBe(250);
    expect(await measure(passing(4, 7))).toBe("estimated");
    expect(await measure(passing(4, 8), 1.25)).toBe(400);
    expect(await measure(passing(4, 8), 1.2)).toBe("estimated");
    expect(await measure(passing(2, 20))).toBe(50);
    expect(await measure(passing(1, 20))).toBe("estimated");
    expect(await measure(passing(18, 20))).toBe(450);
    expect(await measure(passing(19, 20))).toBe("estimated");
    // Estimated from what the partner's lane got through since it started (19 in 341 ms), cut to 0.7 of it.
    const cut = await firstCut(passing(19, 20));
    expect(cut?.acceptedRps).toBeCloseTo(19_000 / 341, 6);
    expect(cut?.rps).toBeCloseTo((0.7 * 19_000) / 341, 6);
  });
});

describe("a tenant's 429", () => {
  /**
   * `quiet` tenants send one request each, tenant x `xSent − 1` that pass, then one more answered
   * 429 40 ms later; then `othersAfter` requests of other tenants sent after it pass. The budget's
   * stats once the 429 was judged.
   */
  async function judged(quiet: number, xSent: number, othersAfter = 0) {
    const clock = new VirtualClock();
    const budget = new RequestBudget({ clock, initialRps: 1e6 });
    await clock.run(
      (async () => {
        for (let i = 0; i < quiet; i++) await send(budget, tenant(`q${i}`));
        for (let i = 1; i < xSent; i++) await send(budget, tenant("x"));
        const throttled = await budget.acquire(tenant("x"));
        const after: Grant[] = [];
        for (let i = 0; i < othersAfter; i++) after.push(await budget.acquire(tenant(`o${i}`)));
        await clock.sleep(40);
        budget.onThrottled(throttled, 1000);
        for (const g of after) budget.onSuccess(g);
        for (const g of [throttled, ...after]) budget.release(g);
        await budget.acquire([partner]);
      })(),
    );
    const stats = budget.stats();
    return { tenants: stats.find((s) => s.kind === "tenant"), partner: stats.find((s) => s.kind === "partner") };
  }

  it("on a busy tenant whose share of the traffic is a tenth or less: the tenant's, its rate bounded by what it got through", async () => {
    // x sent 8 of 88 requests (busy: 3 a second or more, twice the average): 0.09.
    const theirs = await judged(80, 8);
    expect(theirs.tenants).toMatchObject({ throttled: 1, cuts: 1 });
    // Its 7 passed 40 ms before its 429: a bucket holding one second that refills (7 + ½) / 1.04 a second (lane.ts, `bucketRate`).
    expect(theirs.tenants?.rps).toBeCloseTo((0.9 * 7.5) / 1.04, 9);
    expect(theirs.partner).toMatchObject({ throttled: 0, cuts: 0 });
    // 8 of 78: 0.103, could be chance.
    expect((await judged(70, 8)).partner).toMatchObject({ throttled: 1, cuts: 1 });
  });

  it("busy means three requests a second at least, twice the average tenant's", async () => {
    expect((await judged(80, 3)).tenants?.cuts).toBe(1);
    expect((await judged(80, 2)).partner?.cuts).toBe(1);
    // The only tenant sending is never twice the average: it is all the traffic, and its limit
    // cannot be told from the partner's.
    expect((await judged(0, 8)).partner?.cuts).toBe(1);
  });

  it("a tenant refused before anything passed for it tells nothing of its limit: none learned, and the partner not cut", async () => {
    const r = await judged(0, 1, 8);
    expect(r.tenants).toMatchObject({ rps: null, throttled: 1, cuts: 0 });
    expect(r.partner).toMatchObject({ throttled: 0, cuts: 0 });
  });
});

describe("work a tenant's caller says is to come", () => {
  /** Tenant a with 20 requests waiting, b with 4 and `announced` more said to come; the order of the first 8 sent at 10 requests/s. */
  async function firstEight(announced: number): Promise<string> {
    const clock = new VirtualClock();
    const budget = new RequestBudget({ clock, initialRps: 10, maxRps: 10 });
    const order: string[] = [];
    const go = (id: string) => budget.acquire(tenant(id)).then((g) => (order.push(id), budget.onSuccess(g), budget.release(g)));
    await clock.run(
      (async () => {
        // The partner's bucket emptied first: what follows waits its turn.
        for (let i = 0; i < 10; i++) await go("a");
        const work = [...Array.from({ length: 20 }, () => go("a")), ...Array.from({ length: 4 }, () => go("b"))];
        budget.expect(tenant("b"), announced);
        await Promise.all(work);
      })(),
    );
    return order.slice(10, 18).join("");
  }

  it("shares the partner's rate by it, as if it waited (src/http/budget/scheduler.ts, `expect`)", async () => {
    // 20 to come in each: they take turns. By what waits alone (20 against 4), b goes twice in these 8.
    expect(await firstEight(20)).toBe("abababab");
    expect((await firstEight(0)).replaceAll("a", "")).toHaveLength(2);
  });
});

/**
 * The rate one class of scopes may send at (src/http/budget/rate-control.ts), on explicit times
 * and with its parameters given: slow start while the budget is what holds requests back, a cut to
 * beta × what the service accepted on a throttle (milder when that was measured), the cubic climb
 * back to the plateau in `recoverySeconds`, cautious probing beyond it, slow start again once the
 * limit moved up, and the fast climb back after a storm of 429s.
 */
import { describe, expect, it } from "vitest";
import { RateControl } from "../../src/http/budget/rate-control.js";

/** beta 0.5 (0.8 measured), plateau 0.9, 4 s to the plateau: the cubic is 90 + 0.625·(t − 4)³ after an estimated cut at 100. */
const TUNED = { beta: 0.5, measuredBeta: 0.8, plateau: 0.9, recoverySeconds: 4, slowStartGain: 10 };
const cutAt100 = (measured = false) => {
  const c = new RateControl({ initialRps: 200, ...TUNED });
  c.onThrottle(0, 100, measured);
  return c;
};

describe("rate control", () => {
  it("starts where it is told, within --max-rps; unlimited until its first throttle", () => {
    expect(new RateControl({ initialRps: 50, maxRps: 20 }).rps).toBe(20);
    const open = new RateControl({ initialRps: Number.POSITIVE_INFINITY });
    expect([open.rps, open.limited, open.ceiling]).toEqual([Number.POSITIVE_INFINITY, false, 0]);
    open.onSuccess(1000, true, 500, 500);
    expect(open.rps).toBe(Number.POSITIVE_INFINITY);
  });

  it("defaults: slow start adds 32 a success, an estimated limit is cut to 0.7 of it, a measured one to 0.9", () => {
    const c = new RateControl({ initialRps: 10 });
    c.onSuccess(0, true, 10);
    expect(c.rps).toBe(42);
    expect(c.onThrottle(0, 40)).toBeCloseTo(28, 10);
    expect(new RateControl({ initialRps: 500 }).onThrottle(0, 400, true)).toBe(360);
  });

  it("slow start: each success that had to wait for the budget adds the gain, up to --max-rps; others add nothing", () => {
    const c = new RateControl({ initialRps: 10, maxRps: 25, ...TUNED });
    c.onSuccess(0, true, 10);
    expect(c.rps).toBe(20);
    c.onSuccess(1, false, 10);
    expect(c.rps).toBe(20);
    c.onSuccess(2, true, 10);
    expect(c.rps).toBe(25);
  });

  it("a throttle cuts to beta × what the service accepted (at most what was sent) and marks the limit", () => {
    const c = new RateControl({ initialRps: 200, ...TUNED });
    expect(c.onThrottle(0, 100)).toBe(50);
    expect([c.rps, c.limited, c.ceiling]).toEqual([50, true, 100]);
    const over = new RateControl({ initialRps: 40, ...TUNED });
    expect(over.onThrottle(0, 100)).toBe(20);
    // Not known what was accepted: the rate sent stands in.
    expect(new RateControl({ initialRps: 40, ...TUNED }).onThrottle(0, Number.NaN)).toBe(20);
    // Measured (the service's refill read off the requests after the 429): a milder cut.
    expect(new RateControl({ initialRps: 200, ...TUNED }).onThrottle(0, 100, true)).toBe(80);
  });

  it("unlimited until then, a throttle cuts to beta × what was accepted, or to the floor when that is unknown", () => {
    expect(new RateControl({ initialRps: Number.POSITIVE_INFINITY, ...TUNED }).onThrottle(0, 30)).toBe(15);
    expect(new RateControl({ initialRps: Number.POSITIVE_INFINITY, ...TUNED }).onThrottle(0, Number.NaN)).toBe(0.5);
  });

  it("never goes below its floor, nor above --max-rps even when the floor is higher", () => {
    expect(new RateControl({ initialRps: 10, ...TUNED }).onThrottle(0, 0.1)).toBe(0.5);
    expect(new RateControl({ initialRps: 10, minRps: 2, ...TUNED }).onThrottle(0, 1)).toBe(2);
    expect(new RateControl({ initialRps: 10, maxRps: 0.2, ...TUNED }).onThrottle(0, 0.1)).toBe(0.2);
  });

  it("climbs back along the cubic from the rate cut to: the plateau at recoverySeconds, faster far from it, slower near it", () => {
    const at = (t: number, measured = false) => {
      const c = cutAt100(measured);
      c.onSuccess(t, true, 0);
      return c.rps;
    };
    expect(at(0)).toBe(50);
    expect(at(2000)).toBe(85);
    expect(at(4000)).toBe(90);
    // Past the plateau after one throttle (a first estimate): it looks for the limit at the same pace.
    expect(at(6000)).toBe(95);
    // From a measured cut (to 80) the same curve through 80 and the plateau.
    expect(at(0, true)).toBe(80);
    expect(at(2000, true)).toBe(88.75);
    expect(at(4000, true)).toBe(90);
  });

  it("probes beyond a limit found by two throttles eight times slower", () => {
    const c = cutAt100();
    c.onThrottle(1000, 100);
    expect(c.ceiling).toBe(50);
    // Cut at 1 s to 25 (a throttle out of slow start halves at most); plateau 45 at 5 s.
    c.onSuccess(5000, true, 0);
    expect(c.rps).toBe(45);
    c.onSuccess(7000, true, 0);
    expect(c.rps).toBeCloseTo(45 + (20 / 64 / 8) * 8, 10);
  });
  it("does not grow past twice what the scope sends while the budget is not what holds it back", () => {
    const c = cutAt100();
    c.onSuccess(4000, false, 10);
    expect(c.rps).toBe(50);
    c.onSuccess(4000, false, 40);
    expect(c.rps).toBe(80);
    c.onSuccess(4000, false, 400);
    expect(c.rps).toBe(90);
  });

  it("out of slow start, one throttle at most halves the limit; the next ones find a lower one", () => {
    const c = cutAt100();
    expect(c.onThrottle(1000, 5)).toBe(12.5);
    expect(c.ceiling).toBe(25);
  });

  it("resumes slow start once the service accepted well past the last limit since the cut (it raised it)", () => {
    const climbed = (accepted: number, t: number) => {
      const c = cutAt100();
      c.onSuccess(t, true, 0, accepted);
      const before = c.rps;
      c.onSuccess(t + 1, true, 0, accepted);
      return c.rps - before;
    };
    // 1.25 × 100 accepted, after the recovery time: the next success adds the gain.
    expect(climbed(126, 4001)).toBe(10);
    expect(climbed(125, 4001)).toBeLessThan(1);
    expect(climbed(126, 4000)).toBeLessThan(1);
  });

  it("after a storm of 429s below half the limit measured before, climbs back fast (slow start) to half of it, then along the cubic to it", () => {
    const c = cutAt100(true); // measured: limit 100, cut to 80
    expect(c.onThrottle(1000, Number.NaN)).toBe(40); // a storm: nothing passes; the limit at most halves, to 80
    expect(c.onThrottle(2000, Number.NaN)).toBe(20); // … to 40: below half of 100
    // Before a quarter of the recovery time: the ordinary climb (towards 0.9 × 40 from 20).
    c.onSuccess(2500, true, 0);
    const cubic = 36 + (16 / 64) * (0.5 - 4) ** 3;
    expect(c.rps).toBeCloseTo(cubic, 10);
    // From then on: slow start, +10 a success, until half of 100.
    c.onSuccess(3000, true, 0);
    expect(c.rps).toBeCloseTo(cubic + 10, 10);
    c.onSuccess(3001, false, 0);
    expect(c.rps).toBeCloseTo(cubic + 10, 10);
    c.onSuccess(3002, true, 0);
    c.onSuccess(3003, true, 0);
    expect(c.rps).toBeCloseTo(cubic + 30, 10);
    expect(c.ceiling).toBe(100);
    // Then the climb to 0.9 × 100 in 4 s, from there.
    c.onSuccess(7003, true, 0);
    expect(c.rps).toBe(90);
    // Once: the next collapse is simply cut for (the limit may really have fallen).
    expect(c.onThrottle(8000, Number.NaN)).toBe(45);
    expect(c.onThrottle(9000, Number.NaN)).toBe(22.5);
    c.onSuccess(9400, true, 0);
    c.onSuccess(10_000, true, 0);
    expect(c.rps).toBeLessThan(45);
  });

  it("an estimated throttle is no measure to recover to", () => {
    const c = cutAt100(false);
    c.onThrottle(1000, Number.NaN);
    c.onThrottle(2000, Number.NaN);
    c.onSuccess(3000, true, 0);
    c.onSuccess(3001, true, 0);
    // The ordinary cubic (limit 25, cut to 12.5), no slow start.
    expect(c.rps).toBeCloseTo(22.5 + (10 / 64) * (1.001 - 4) ** 3, 10);
  });
});

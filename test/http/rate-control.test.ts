/**
 * The rate one class of scopes may send at (rate-control.ts), on explicit times and with its
 * parameters given: slow start while the budget is what holds requests back, a cut to
 * beta × the rate the service accepted on a throttle, the cubic climb back to the plateau in
 * `recoverySeconds`, cautious probing beyond it, and slow start again once the limit moved up.
 */
import { describe, expect, it } from "vitest";
import { RateControl } from "../../src/http/budget/rate-control.js";

/** beta 0.5, plateau 0.9, 4 s to the plateau: the cubic is 90 + 0.625·(t − 4)³ after a cut at 100. */
const TUNED = { beta: 0.5, plateau: 0.9, recoverySeconds: 4, slowStartGain: 10 };
const cutAt100 = () => {
  const c = new RateControl({ initialRps: 200, ...TUNED });
  c.onThrottle(0, 100);
  return c;
};

describe("rate control", () => {
  it("starts where it is told, within --max-rps; unlimited until its first throttle", () => {
    expect(new RateControl({ initialRps: 50, maxRps: 20 }).rps).toBe(20);
    const open = new RateControl({ initialRps: Number.POSITIVE_INFINITY });
    expect([open.rps, open.limited, open.ceiling, open.measuredCeiling]).toEqual([Number.POSITIVE_INFINITY, false, 0, 0]);
    open.onSuccess(1000, true, 500, 500);
    expect(open.rps).toBe(Number.POSITIVE_INFINITY);
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
    expect([c.rps, c.limited, c.ceiling, c.measuredCeiling]).toEqual([50, true, 100, 0]);
    const over = new RateControl({ initialRps: 40, ...TUNED });
    expect(over.onThrottle(0, 100)).toBe(20);
    // Not known what was accepted: the rate sent stands in.
    expect(new RateControl({ initialRps: 40, ...TUNED }).onThrottle(0, Number.NaN)).toBe(20);
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

  it("climbs back along the cubic: the plateau at recoverySeconds, faster far from it, slower near it", () => {
    const at = (t: number) => {
      const c = cutAt100();
      c.onSuccess(t, true, 0);
      return c.rps;
    };
    expect(at(0)).toBe(50);
    expect(at(2000)).toBe(85);
    expect(at(4000)).toBe(90);
    // Past the plateau after one throttle (a first estimate): it looks for the limit at the same pace.
    expect(at(6000)).toBe(95);
  });

  it("probes beyond a limit measured between two throttles eight times slower", () => {
    const c = cutAt100();
    c.onThrottle(1000, 100);
    expect(c.measuredCeiling).toBe(50);
    // Cut at 1 s to 25 (a throttle out of slow start halves at most); plateau 45 at 5 s.
    c.onSuccess(5000, true, 0);
    expect(c.rps).toBe(45);
    c.onSuccess(7000, true, 0);
    expect(c.rps).toBeCloseTo(45 + ((0.4 * 50) / 64 / 8) * 8, 10);
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

  it("after a storm of 429s, the limit moved up: once the service accepts well past it again, slow start finds the new one", () => {
    const c = cutAt100();
    c.onThrottle(1000, 100); // a second throttle: limit 50, rate 25
    expect(c.onThrottle(10_000, 4)).toBe(6.25); // a storm: at most halved, limit 12.5
    c.onSuccess(10_100, true, 0, 100);
    expect(c.rps).toBeLessThan(12.5);
    // Past the recovery time, accepting far more than 1.25 × 12.5 since the cut: +10 a success again.
    c.onSuccess(14_001, true, 0, 100);
    const before = c.rps;
    c.onSuccess(14_002, true, 0, 100);
    expect(c.rps).toBe(before + 10);
  });
});

/**
 * One scope's lane of the request budget (src/http/budget/lane.ts) on explicit times: the
 * one-second window of recent events its rate is read from, and its token bucket (one second of
 * traffic, refilled continuously, paused by a Retry-After, drawn from by a request's weight).
 */
import { describe, expect, it } from "vitest";
import { BUCKET_EVIDENCE_MS, BURST_SECONDS, EventWindow, Lane, WINDOW_MS, bucketSize } from "../../src/http/budget/lane.js";
import { partnerScope, tenantScope } from "../../src/http/scopes.js";
import { TokenBucket } from "../../src/sandbox/faults.js";
import { seeded } from "./helpers/sim-client.js";

const SCOPE = partnerScope("pc.example");
/** A lane at `rate()` whose last second held `sent` requests before the clock starts. */
function lane(now: number, rate: () => number, sent = 0): Lane {
  const l = new Lane(SCOPE, rate, now);
  l.sends.add(now, sent);
  return l;
}

describe("event window", () => {
  it("counts the events of the last second, the one a second old no longer", () => {
    expect(WINDOW_MS).toBe(1000);
    const w = new EventWindow();
    for (const t of [0, 100, 500, 999]) w.add(t);
    expect(w.count(999)).toBe(4);
    expect(w.count(1000)).toBe(3);
    expect(w.count(1100)).toBe(2);
    expect(w.count(1998)).toBe(1);
    expect(w.count(1999)).toBe(0);
  });

  it("knows the latest event until it leaves the window", () => {
    const w = new EventWindow();
    expect(w.last).toBe(Number.NEGATIVE_INFINITY);
    w.add(10);
    w.add(20);
    expect(w.last).toBe(20);
    expect(w.count(1019)).toBe(1);
    expect(w.last).toBe(20);
    expect(w.count(1020)).toBe(0);
    expect(w.last).toBe(Number.NEGATIVE_INFINITY);
  });

  it("stays exact over a long run (it drops what it no longer needs as it goes)", () => {
    const w = new EventWindow();
    for (let t = 0; t < 20_000; t += 2) {
      w.add(t);
      if (t % 1000 === 0 && t >= 1000) expect(w.count(t)).toBe(500);
    }
    expect(w.count(19_998)).toBe(500);
    expect(w.last).toBe(19_998);
  });
});

describe("a lane's token bucket", () => {
  it("holds one second of traffic, at least one request, and no limit at an infinite rate", () => {
    expect(BURST_SECONDS).toBe(1);
    expect(bucketSize(10)).toBe(10);
    expect(bucketSize(0.5)).toBe(1);
    expect(bucketSize(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });

  it("lets a full bucket's requests go at once, then one every 1/rate", () => {
    const b = lane(0, () => 4);
    for (let i = 0; i < 4; i++) {
      expect(b.readyAt(0)).toBe(0);
      b.take(0);
    }
    expect(b.readyAt(0)).toBe(250);
    expect(b.readyAt(100)).toBe(250);
    expect(b.readyAt(250)).toBe(250);
    b.take(250);
    expect(b.readyAt(250)).toBe(500);
  });

  it("refills continuously, never beyond one second's worth", () => {
    const b = lane(0, () => 10);
    for (let i = 0; i < 10; i++) b.take(0);
    expect(b.readyAt(500)).toBe(500);
    for (let i = 0; i < 5; i++) b.take(500);
    expect(b.readyAt(500)).toBe(600);
    // Idle for a minute: still one second's burst, not sixty.
    for (let i = 0; i < 10; i++) b.take(60_000);
    expect(b.readyAt(60_000)).toBe(60_100);
  });

  it("follows a rate that changes", () => {
    let rate = 2;
    const b = lane(0, () => rate);
    b.take(0);
    b.take(0);
    expect(b.readyAt(0)).toBe(500);
    rate = 4;
    expect(b.readyAt(0)).toBe(250);
  });

  it("a scope first limited starts with what the service's bucket would have left: one second's worth less what was just sent", () => {
    let rate = Number.POSITIVE_INFINITY;
    const b = lane(0, () => rate, 3);
    for (let i = 0; i < 50; i++) b.readyAt(0);
    expect(b.readyAt(0)).toBe(0);
    rate = 5;
    b.take(0);
    b.take(0);
    expect(b.readyAt(0)).toBe(200);
    // Sent more than a second's worth: nothing left, not less than nothing.
    rate = Number.POSITIVE_INFINITY;
    const busy = lane(0, () => rate, 9);
    rate = 5;
    expect(busy.readyAt(0)).toBe(200);
  });

  it("holds every request until a pause ends, keeping the later of two pauses, and refills meanwhile", () => {
    const b = lane(0, () => 2);
    b.take(0);
    b.take(0);
    b.hold(5000);
    b.hold(3000);
    expect(b.holdEnd).toBe(5000);
    expect(b.readyAt(1000)).toBe(5000);
    expect(b.readyAt(4999)).toBe(5000);
    expect(b.readyAt(5000)).toBe(5000);
    b.take(5000);
    b.take(5000);
    expect(b.readyAt(5000)).toBe(5500);
  });

  it("takes no refill from a clock that steps back", () => {
    const b = lane(1000, () => 1);
    b.take(1000);
    expect(b.readyAt(500)).toBe(1500);
    expect(b.readyAt(1000)).toBe(2000);
    expect(b.readyAt(2000)).toBe(2000);
  });
});

describe("weights and what a lane measures", () => {
  it("a request of weight w takes w tokens and counts w sends; one heavier than the bucket waits for a full bucket and leaves a debt", () => {
    const b = lane(0, () => 10);
    expect(b.readyAt(0, 4)).toBe(0);
    b.take(0, 4);
    expect(b.sends.count(0)).toBe(4);
    expect(b.readyAt(0, 6)).toBe(0);
    expect(b.readyAt(0, 7)).toBe(100);
    b.take(0, 6);
    // 25 weighs more than the bucket holds (10): it waits for a full bucket, then goes.
    expect(b.readyAt(0, 25)).toBe(1000);
    b.take(1000, 25);
    expect(b.readyAt(1000)).toBe(2600);
  });

  it("reads the rate the service accepted since the last cut: nothing under five successes; the average under a second in or over two seconds; else the last second", () => {
    const b = lane(0, () => 100);
    for (let i = 0; i < 4; i++) b.oks.add(100 * i);
    b.accepted = 4;
    expect(b.acceptedRate(400, false)).toBeNaN();
    b.oks.add(450);
    b.accepted = 5;
    // Half a second in: 5 in 0.5 s, not "5 a second".
    expect(b.acceptedRate(500, false)).toBe(10);
    expect(b.acceptedRate(500, true)).toBe(10);
    b.accepted = 30;
    expect(b.acceptedRate(3000, false)).toBe(10);
    // Between one and two seconds: the last second (here nothing in it).
    expect(b.acceptedRate(1999, false)).toBe(0);
    b.since = { at: 1000, accepted: 10 };
    expect(b.acceptedRate(3000, false)).toBe(10);
    // At once after a cut: too little time to divide by; a millisecond stands in.
    b.since = { at: 3000, accepted: 25 };
    expect(b.acceptedRate(3000, false)).toBe(5000);
  });

  it("out of slow start (a second in or more), the larger of the average since the cut and half the last second", () => {
    const b = lane(0, () => 100);
    for (let t = 0; t < 1000; t += 10) b.oks.add(t);
    b.accepted = 100;
    expect(b.acceptedRate(1000, true)).toBe(100);
    b.accepted = 120;
    expect(b.acceptedRate(1500, true)).toBe(80);
    b.accepted = 20;
    expect(b.acceptedRate(1500, true)).toBe(24.5);
    b.accepted = 300;
    expect(b.acceptedRate(2000, true)).toBe(150);
  });
});

describe("the rate of the service's bucket, read off what passed before a 429", () => {
  /**
   * A customer's requests against the sandbox's own bucket (src/sandbox/faults.ts: one second's
   * worth, refilled continuously): bursts, pauses, steady sending over the limit, and after each
   * 429 a Retry-After of 1 s, as the service says. At each 429, what `bucketRate` reads and what
   * the last second's count says.
   */
  function readings(rate: number): { read: number; lastSecond: number }[] {
    const random = seeded(3);
    const service = new TokenBucket(rate, 0);
    const l = new Lane(tenantScope("pc.example", "c1"), () => Number.POSITIVE_INFINITY, 0);
    const out: { read: number; lastSecond: number }[] = [];
    for (let t = 0; t < 120_000;) {
      if (service.take(t).ok) l.passedAt(t, 1);
      else {
        out.push({ read: l.bucketRate(t), lastSecond: l.oks.count(t) });
        t += 1000;
      }
      // Gaps of 0 to 1.6 / rate: sending faster than the limit on average, in bursts at times.
      const gap = random() < 0.01 ? 3000 * random() : (1.6 / rate) * 1000 * random();
      t += gap;
    }
    return out;
  }

  it("is the bucket's rate within half a request a second, where the last second's count is off by up to a second's burst", () => {
    for (const rate of [5, 12.5]) {
      const r = readings(rate);
      expect(r.length).toBeGreaterThan(10);
      for (const { read } of r) expect(Math.abs(read - rate)).toBeLessThanOrEqual(0.5);
      // What the budget read before: the count of the last second, off by more than the cut's 10%.
      expect(Math.max(...r.map((x) => Math.abs(x.lastSecond - rate)))).toBeGreaterThan(0.1 * rate);
    }
  });

  it("keeps a minute of a tenant's successes and none of a partner's (read per tenant only)", () => {
    const t = new Lane(tenantScope("pc.example", "c1"), () => 5, 0);
    const p = lane(0, () => 5);
    for (let i = 0; i < 5; i++) [t, p].forEach((l) => l.passedAt(0, 1));
    // Five at once, a 429 at 100 ms: (5 + ½) / 1.1.
    expect(t.bucketRate(100)).toBeCloseTo(5.5 / 1.1, 9);
    expect(p.bucketRate(100)).toBe(0);
    expect(t.bucketRate(BUCKET_EVIDENCE_MS + 1)).toBe(0);
  });
});

/**
 * The request budget's small parts on explicit times: the one-second window of recent events a
 * scope's rate is read from, and the token bucket a scope's requests draw from (one second of
 * traffic, refilled continuously, paused by a Retry-After).
 */
import { describe, expect, it } from "vitest";
import { EventWindow, WINDOW_MS } from "../../src/partner-center/event-window.js";
import { BURST_SECONDS, TokenBucket, bucketSize } from "../../src/partner-center/token-bucket.js";

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

describe("token bucket", () => {
  it("holds one second of traffic, at least one request, and no limit at an infinite rate", () => {
    expect(BURST_SECONDS).toBe(1);
    expect(bucketSize(10)).toBe(10);
    expect(bucketSize(0.5)).toBe(1);
    expect(bucketSize(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });

  it("lets a full bucket's requests go at once, then one every 1/rate", () => {
    const b = new TokenBucket(0, () => 4);
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
    const b = new TokenBucket(0, () => 10);
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
    const b = new TokenBucket(0, () => rate);
    b.take(0);
    b.take(0);
    expect(b.readyAt(0)).toBe(500);
    rate = 4;
    expect(b.readyAt(0)).toBe(250);
  });

  it("a scope first limited starts with what the service's bucket would have left: one second's worth less what was just sent", () => {
    let rate = Number.POSITIVE_INFINITY;
    const b = new TokenBucket(
      0,
      () => rate,
      () => 3,
    );
    for (let i = 0; i < 50; i++) b.take(0);
    expect(b.readyAt(0)).toBe(0);
    rate = 5;
    b.take(0);
    b.take(0);
    expect(b.readyAt(0)).toBe(200);
    // Sent more than a second's worth: nothing left, not less than nothing.
    rate = Number.POSITIVE_INFINITY;
    const busy = new TokenBucket(
      0,
      () => rate,
      () => 9,
    );
    rate = 5;
    expect(busy.readyAt(0)).toBe(200);
  });

  it("holds every request until a pause ends, keeping the later of two pauses, and refills meanwhile", () => {
    const b = new TokenBucket(0, () => 2);
    b.take(0);
    b.take(0);
    b.pauseUntil(5000);
    b.pauseUntil(3000);
    expect(b.pauseEnd).toBe(5000);
    expect(b.readyAt(1000)).toBe(5000);
    expect(b.readyAt(4999)).toBe(5000);
    expect(b.readyAt(5000)).toBe(5000);
    b.take(5000);
    b.take(5000);
    expect(b.readyAt(5000)).toBe(5500);
  });

  it("takes no refill from a clock that steps back", () => {
    const b = new TokenBucket(1000, () => 1);
    b.take(1000);
    expect(b.readyAt(500)).toBe(1500);
    expect(b.readyAt(1000)).toBe(2000);
    expect(b.readyAt(2000)).toBe(2000);
  });
});

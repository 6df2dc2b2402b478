/**
 * One scope's lane of the request budget: a token bucket at its class's learned rate (holding
 * one second of traffic, refilled continuously, paused by a Retry-After) and the counts of what
 * it sent and got through in the last second. Passive: the scheduler asks it when the next
 * request may start and takes its tokens; nothing here sleeps, so it works the same on a
 * simulated clock.
 */
import type { Scope } from "../scopes.js";

/** Seconds of traffic a bucket holds: after an idle second, that many requests may start at once. */
export const BURST_SECONDS = 1;

/** The window of the counts (ms). */
export const WINDOW_MS = 1000;

export function bucketSize(rps: number): number {
  return Number.isFinite(rps) ? Math.max(1, rps * BURST_SECONDS) : Number.POSITIVE_INFINITY;
}

/** Timestamps of recent events (sends, successes), to count those of the last second (or of the last `windowMs`). */
export class EventWindow {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly windowMs = WINDOW_MS) {}

  add(now: number, n = 1): void {
    for (let i = 0; i < n; i++) this.times.push(now);
    this.trim(now);
  }

  /** Events in the window up to `now`. */
  count(now: number): number {
    this.trim(now);
    return this.times.length - this.head;
  }

  /** The times of the events in the window up to `now`, oldest first. */
  list(now: number): readonly number[] {
    this.trim(now);
    return this.times.slice(this.head);
  }

  /** Time of the latest event, or -Infinity. */
  get last(): number {
    return this.times.length > this.head ? (this.times[this.times.length - 1] ?? Number.NEGATIVE_INFINITY) : Number.NEGATIVE_INFINITY;
  }

  private trim(now: number): void {
    const from = now - this.windowMs;
    while (this.head < this.times.length && (this.times[this.head] ?? 0) <= from) this.head++;
    // Compact now and then so the array does not grow with the run.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * How far back a tenant's lane keeps its successes to bound the service's bucket by (ms): long
 * enough to reach back to where that bucket was last full (its first burst, or the end of its
 * last Retry-After) for a customer held at its limit for most of a run.
 */
export const BUCKET_EVIDENCE_MS = 60_000;

export class Lane {
  readonly sends = new EventWindow();
  readonly oks = new EventWindow();
  /** Successes of the last `BUCKET_EVIDENCE_MS`: what the service's bucket is read off after a 429 (`bucketRate`). */
  private readonly passed = new EventWindow(BUCKET_EVIDENCE_MS);
  /** Last time this lane was what held a request back. */
  heldAt = Number.NEGATIVE_INFINITY;
  /** Requests accepted in all, and since the last cut of its class (or its first request). */
  accepted = 0;
  since: { at: number; accepted: number };
  private tokens: number;
  private last: number;
  private pausedUntil = Number.NEGATIVE_INFINITY;

  /** `rate()`: requests per second allowed now (`Infinity`: no limit), its class's. */
  constructor(
    readonly scope: Scope,
    private readonly rate: () => number,
    now: number,
  ) {
    this.last = now;
    this.tokens = bucketSize(rate());
    this.since = { at: now, accepted: 0 };
  }

  /** When a request of `weight` may start at the earliest (≤ now: at once). */
  readyAt(now: number, weight = 1): number {
    this.refill(now);
    if (now < this.pausedUntil) return this.pausedUntil;
    const need = Math.min(weight, bucketSize(this.rate()));
    if (this.tokens >= need) return now;
    return now + ((need - this.tokens) / this.rate()) * 1000;
  }

  /** A request of `weight` goes: its tokens (a weight above the bucket's size leaves a debt to refill). */
  take(now: number, weight = 1): void {
    this.refill(now);
    this.tokens -= weight;
    this.sends.add(now, weight);
  }

  /** Successes (`n` of a weighted request), counted at `now`. */
  passedAt(now: number, n: number): void {
    this.oks.add(now, n);
    if (this.scope.kind === "tenant") this.passed.add(now, n);
    this.accepted += n;
  }

  /**
   * The rate of the service's bucket for this scope, read off what passed here before it
   * refused a request at `now`. If the service limits it with a token bucket of `r` requests/s
   * holding one second (as this lane does, and the sandbox), full at some time `s`, the bucket
   * holds `r·(1 + (now − s)) − passed since s` at `now` if it never overflowed in between, and a
   * 429 says that is under one request; since it never holds more than `r`, `passed since s ≤
   * r·(1 + (now − s))` for every `s`. So `(passed since s + ½) / (1 + (now − s))`, at its largest
   * over `s`, is `r` within half a request a second, once the evidence reaches back to where the
   * bucket was last full (the scope's first burst, or the end of a Retry-After). What passed
   * in the last second alone is not: up to two seconds' worth after a burst, less than one when
   * part of that second was a Retry-After pause (issue 27: a customer held that way cut every
   * customer to 3.6 requests/s where the limit was 5).
   */
  bucketRate(now: number): number {
    const times = this.passed.list(now);
    let rate = 0;
    for (let i = times.length - 1, n = 1; i >= 0; i--, n++) rate = Math.max(rate, (n + 0.5) / (1 + (now - (times[i] ?? now)) / 1000));
    return rate;
  }

  /** Nothing starts before `at` (a Retry-After, or the short hold while 429s are judged). The bucket refills meanwhile, as the service's does. */
  hold(at: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, at);
  }

  get holdEnd(): number {
    return this.pausedUntil;
  }

  /**
   * What the service accepted per second since the class's last cut (or this lane's first
   * request). A 429 means the service's bucket is empty; so it was at the previous cut, so what
   * passed in between is what the service refilled meanwhile: its rate. Out of slow start the
   * average is diluted by the slow climb and the last second swollen by the service's initial
   * burst (slow start overshoots by up to two, as TCP's does): the larger of the average and half
   * the last second; a later cut corrects an estimate that was high. Less than a second in, the
   * average is all there is. NaN when fewer than 5 requests passed: too little to judge by (the
   * rate sent then stands in for it).
   */
  acceptedRate(now: number, slowStartExit: boolean): number {
    const seconds = Math.max(0.001, (now - this.since.at) / 1000);
    const passed = this.accepted - this.since.accepted;
    if (passed < MIN_EVIDENCE) return Number.NaN;
    const average = passed / seconds;
    if (seconds < 1) return average;
    const recent = this.oks.count(now);
    return slowStartExit ? Math.max(average, recent / 2) : seconds >= 2 ? average : recent;
  }

  private refill(now: number): void {
    const rps = this.rate();
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = Math.max(this.last, now);
    if (!Number.isFinite(rps)) this.tokens = Number.POSITIVE_INFINITY;
    // A limit that first applies: the bucket starts with what the service's would have left.
    else if (!Number.isFinite(this.tokens)) this.tokens = Math.max(0, bucketSize(rps) - this.sends.count(now));
    else this.tokens = Math.min(bucketSize(rps), this.tokens + elapsed * rps);
  }
}

/** Accepted requests below which a rate is not estimated from them. */
const MIN_EVIDENCE = 5;

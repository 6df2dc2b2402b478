/**
 * One scope's bucket: holds one second of traffic at a rate that may change at any moment,
 * refills continuously, and can be paused (a Retry-After). Passive: the request budget's
 * dispatcher asks it when the next request may start and takes tokens; nothing here sleeps,
 * so it works the same on a simulated clock.
 */

/** Seconds of traffic a bucket holds: after an idle second, that many requests may start at once. */
export const BURST_SECONDS = 1;

export function bucketSize(rps: number): number {
  return Number.isFinite(rps) ? Math.max(1, rps * BURST_SECONDS) : Number.POSITIVE_INFINITY;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private pausedUntil = Number.NEGATIVE_INFINITY;

  /**
   * `rate()`: requests per second allowed now (`Infinity`: no limit). `sentLastSecond()`: what
   * the scope sent in the last second — when a limit first applies, the bucket starts with what
   * the service's own bucket would have left.
   */
  constructor(
    now: number,
    private readonly rate: () => number,
    private readonly sentLastSecond: () => number = () => 0,
  ) {
    this.last = now;
    this.tokens = bucketSize(rate());
  }

  /** When a request may start at the earliest (≤ now: at once). */
  readyAt(now: number): number {
    this.refill(now);
    if (now < this.pausedUntil) return this.pausedUntil;
    if (this.tokens >= 1) return now;
    return now + ((1 - this.tokens) / this.rate()) * 1000;
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  /** Nothing starts before `at`. The bucket refills meanwhile, as the service's does. */
  pauseUntil(at: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, at);
  }

  get pauseEnd(): number {
    return this.pausedUntil;
  }

  private refill(now: number): void {
    const rps = this.rate();
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = Math.max(this.last, now);
    if (!Number.isFinite(rps)) this.tokens = Number.POSITIVE_INFINITY;
    else if (!Number.isFinite(this.tokens)) this.tokens = Math.max(0, bucketSize(rps) - this.sentLastSecond());
    else this.tokens = Math.min(bucketSize(rps), this.tokens + elapsed * rps);
  }
}

/**
 * The request budget shared by every concurrent call of one client: a token bucket at the
 * effective rate, implemented as a reservation schedule (GCRA) so it needs no timers and
 * works with an injected clock and sleep. The effective rate follows AIMD: halve on a 429
 * (at most once per second, floor 1 rps) and climb back additively on successes, up to
 * `maxRps`, so a large run settles just under the service's limit instead of a 429 storm.
 */

export interface RateLimiterOptions {
  maxRps: number;
  /** Lowest effective rate after decreases. Default 1. */
  minRps?: number;
  /** Multiplicative decrease factor on a 429. Default 0.5. */
  decreaseFactor?: number;
  /** Rate regained per second of successful traffic. Default max(1, maxRps / 20). */
  increasePerSecond?: number;
  /** Bucket size in seconds of traffic at the current rate. Default 1. */
  burstSeconds?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class RateLimiter {
  readonly maxRps: number;
  private rps: number;
  private readonly minRps: number;
  private readonly decreaseFactor: number;
  private readonly increasePerSecond: number;
  private readonly burstSeconds: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Theoretical arrival time of the next request (GCRA). */
  private tat: number;
  private lastDecrease = Number.NEGATIVE_INFINITY;

  constructor(opts: RateLimiterOptions) {
    if (!(opts.maxRps > 0)) throw new RangeError(`maxRps must be > 0, got ${opts.maxRps}`);
    this.maxRps = opts.maxRps;
    this.rps = opts.maxRps;
    this.minRps = Math.min(opts.minRps ?? 1, opts.maxRps);
    this.decreaseFactor = opts.decreaseFactor ?? 0.5;
    this.increasePerSecond = opts.increasePerSecond ?? Math.max(1, opts.maxRps / 20);
    this.burstSeconds = opts.burstSeconds ?? 1;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.tat = this.now();
  }

  /** The current effective rate (requests per second). */
  get effectiveRps(): number {
    return this.rps;
  }

  private get intervalMs(): number {
    return 1000 / this.rps;
  }

  private get burstToleranceMs(): number {
    const capacity = Math.max(1, Math.floor(this.rps * this.burstSeconds));
    return (capacity - 1) * this.intervalMs;
  }

  /** Wait for a slot. Slots are reserved synchronously, so concurrent callers queue fairly. */
  async acquire(): Promise<number> {
    const now = this.now();
    const tat = Math.max(this.tat, now);
    const startAt = Math.max(now, tat - this.burstToleranceMs);
    this.tat = tat + this.intervalMs;
    const wait = startAt - now;
    if (wait > 0) await this.sleep(wait);
    return Math.max(0, wait);
  }

  /** No request starts before `at` (a Retry-After applies to the whole partner budget). */
  pauseUntil(at: number): void {
    this.tat = Math.max(this.tat, at + this.burstToleranceMs);
  }

  /** A 429: multiplicative decrease, at most once per second (concurrent 429s are one signal). */
  onThrottled(): void {
    const now = this.now();
    if (now - this.lastDecrease < 1000) return;
    this.lastDecrease = now;
    this.rps = Math.max(this.minRps, this.rps * this.decreaseFactor);
  }

  /** A success: additive increase of `increasePerSecond` per second's worth of requests. */
  onSuccess(): void {
    if (this.rps >= this.maxRps) return;
    this.rps = Math.min(this.maxRps, this.rps + this.increasePerSecond / this.rps);
  }
}

/** Injected trouble: token-bucket rate limits (one level for all, one per scope) and seeded dice for 5xx and lost responses. */
import { createRng, type Rng } from "./random.js";

export type Take = { ok: true } | { ok: false; retryAfterSec: number };

/** Requests per second with a burst of `rate` (at least 1); `take` says how long to wait when empty. */
export class TokenBucket {
  private readonly capacity: number;
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    now = Date.now(),
  ) {
    // A sub-1 rate still needs room for one whole request, or nothing would ever pass.
    this.capacity = Math.max(1, rate);
    this.tokens = this.capacity;
    this.last = now;
  }

  /** Consumes a token, or returns the whole seconds (>= 1) until one is available. */
  take(now = Date.now()): Take {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - this.tokens) / this.rate)) };
  }
}

/**
 * The two levels both APIs limit at: every caller together (Partner Center's partner-wide limit,
 * Graph's per-app one), then one bucket per scope (a customer, a tenant) made on first use. A
 * request the first level refuses never reaches its scope's bucket. A rate of 0 is no limit;
 * setting a rate starts its buckets afresh.
 */
export class Limiter {
  private all: TokenBucket | undefined;
  private scoped = new Map<string, TokenBucket>();
  private perScope = 0;

  constructor(rate = 0, perScope = 0) {
    this.setRate(rate);
    this.setPerScope(perScope);
  }

  setRate(rate: number): void {
    this.all = rate > 0 ? new TokenBucket(rate) : undefined;
  }

  setPerScope(rate: number): void {
    this.perScope = rate;
    this.scoped = new Map();
  }

  take(scope?: string): Take {
    const t = this.all?.take();
    if (t && !t.ok) return t;
    if (scope === undefined || !(this.perScope > 0)) return { ok: true };
    let b = this.scoped.get(scope);
    if (!b) this.scoped.set(scope, (b = new TokenBucket(this.perScope)));
    return b.take();
  }
}

export class FaultDice {
  private readonly rng: Rng;
  constructor(seed: number) {
    this.rng = createRng(seed);
  }

  /** true with probability p (p <= 0 never rolls, so a fault-free run keeps the sequence). */
  roll(p: number): boolean {
    if (p <= 0) return false;
    return this.rng.next() < p;
  }

  pick<T>(options: readonly T[]): T {
    return options[Math.floor(this.rng.next() * options.length)];
  }
}

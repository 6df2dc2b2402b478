/** Injected trouble: token-bucket rate limits and seeded dice for 5xx and lost responses. */
import { createRng, type Rng } from "./random.js";

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
  take(now = Date.now()): { ok: true } | { ok: false; retryAfterSec: number } {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - this.tokens) / this.rate)) };
  }
}

/** The customer a call is limited under: calls below `/v1/customers/{id}/` (as Partner Center limits some per customer tenant). */
export function customerOfPath(pathname: string): string | undefined {
  const m = /^\/v1\/customers\/([^/]+)\/./i.exec(pathname);
  return m?.[1]?.toLowerCase();
}

/** One bucket per customer, made on first use. */
export class CustomerBuckets {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(private readonly rate: number) {}

  take(customerId: string, now = Date.now()): ReturnType<TokenBucket["take"]> {
    let b = this.buckets.get(customerId);
    if (!b) this.buckets.set(customerId, (b = new TokenBucket(this.rate, now)));
    return b.take(now);
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

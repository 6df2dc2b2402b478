/** Injected trouble: a token-bucket rate limit and seeded dice for 5xx and lost responses. */
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

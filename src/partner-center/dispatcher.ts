/**
 * Which waiting request goes next. Requests queue per narrowest scope (a customer tenant, or
 * the partner for partner-only calls); a request goes when every budget it draws from has a
 * token and a place on the wire is free. A tenant that is held back (no token, or paused by a
 * Retry-After) holds nothing: the others pass it. The place on the wire is taken last, so a
 * request never holds one while it waits for a budget.
 *
 * Among the queues that could go, stride scheduling shares the partner's rate in proportion to
 * the work each has waiting: each queue carries a pass, the smallest goes, and it advances by
 * 1 / (requests waiting). A customer with forty license reads waiting is served forty times as
 * often as one with a single read, so it does not finish last, alone, at its own limit; and
 * spread that way, customers seldom reach a per-customer limit at all.
 */

/** One budget a request draws from. */
export interface Gate {
  /** When a request may start at the earliest (≤ now: at once). */
  readyAt(now: number): number;
  take(now: number): void;
  /** This gate is what holds a request back right now. */
  holding(now: number): void;
}

export interface DispatcherClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

interface Waiter {
  /** Narrowest first; the last is the partner. */
  gates: readonly Gate[];
  resolve: () => void;
}

export class Dispatcher {
  private readonly queues = new Map<string, Waiter[]>();
  /** Each queue's pass (stride scheduling); a queue that starts joins at the pass last served. */
  private readonly pass = new Map<string, number>();
  private vtime = 0;
  private active = 0;
  private waiting = 0;
  private running = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly clock: DispatcherClock,
    private readonly maxInFlight: number,
  ) {
    if (!(maxInFlight >= 1)) throw new RangeError(`requests in flight must be >= 1, got ${maxInFlight}`);
  }

  /** Resolves when the request may be sent; call `done` once its attempt is over. */
  wait(queue: string, gates: readonly Gate[]): Promise<void> {
    return new Promise<void>((resolve) => {
      let q = this.queues.get(queue);
      if (!q) {
        this.queues.set(queue, (q = []));
        this.pass.set(queue, Math.max(this.pass.get(queue) ?? 0, this.vtime));
      }
      q.push({ gates, resolve });
      this.waiting++;
      this.kick();
    });
  }

  /** An attempt is over: its place on the wire is free. */
  done(): void {
    this.active = Math.max(0, this.active - 1);
    this.kick();
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.active;
  }

  /** Requests waiting to be sent. */
  get queued(): number {
    return this.waiting;
  }

  private kick(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
    void this.run();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting > 0) {
        if (this.active >= this.maxInFlight) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        const now = this.clock.now();
        const next = this.pick(now);
        if (typeof next === "number") {
          const woken = new Promise<void>((resolve) => (this.wake = resolve));
          await (Number.isFinite(next) ? Promise.race([this.clock.sleep(Math.max(1, next - now)), woken]) : woken);
          continue;
        }
        for (const gate of next.gates) gate.take(now);
        this.active++;
        this.waiting--;
        next.resolve();
      }
    } finally {
      this.running = false;
      this.wake = undefined;
    }
  }

  /** The head of the queue with the smallest pass that could go now (removed), else when one could. */
  private pick(now: number): Waiter | number {
    let earliest = Number.POSITIVE_INFINITY;
    let best: { key: string; q: Waiter[]; pass: number } | undefined;
    const partners = new Map<Gate, number>();
    for (const [key, q] of this.queues) {
      const head = q[0];
      if (!head) {
        this.queues.delete(key);
        continue;
      }
      const pass = this.pass.get(key) ?? 0;
      if (best && pass >= best.pass) continue;
      const partner = head.gates[head.gates.length - 1];
      let partnerAt = partner && partners.get(partner);
      if (partner && partnerAt === undefined) {
        partnerAt = partner.readyAt(now);
        partners.set(partner, partnerAt);
        if (partnerAt > now) partner.holding(now);
      }
      if (partnerAt !== undefined && partnerAt > now) {
        earliest = Math.min(earliest, partnerAt);
        continue;
      }
      let at = now;
      for (const gate of head.gates.slice(0, -1)) {
        const g = gate.readyAt(now);
        if (g > now) gate.holding(now);
        at = Math.max(at, g);
      }
      if (at > now) {
        earliest = Math.min(earliest, at);
        continue;
      }
      best = { key, q, pass };
    }
    if (!best) return earliest;
    const head = best.q.shift()!;
    this.vtime = best.pass;
    this.pass.set(best.key, best.pass + 1 / (best.q.length + 1));
    if (best.q.length === 0) {
      this.queues.delete(best.key);
      this.pass.delete(best.key);
    }
    return head;
  }
}

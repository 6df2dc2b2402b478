/**
 * Which waiting request goes next. Requests queue per narrowest scope (a customer tenant, or
 * the partner for partner-only calls); a request goes when every lane it draws from has its
 * tokens and its host has a place on the wire free. A tenant that is held back (no token, or
 * paused by a Retry-After) holds nothing: the others pass it. The place on the wire is taken
 * last, so a request never holds one while it waits for a budget.
 *
 * The places on the wire are counted per host (the partner lane): one service's requests in
 * flight never hold another's. With one bound for all, Partner Center's reads filled it while
 * Graph's, their tokens in hand, waited 150 ms and more at the start of a run (issue 27).
 *
 * Among the queues that could go, stride scheduling shares the partner's rate in proportion to
 * the work each has waiting: each queue carries a pass, the smallest goes, and it advances by
 * 1 / (requests waiting in it); a queue that starts joins at the virtual time, which advances by
 * 1 / (requests waiting in all) a dispatch. A customer with forty licence reads waiting is served forty times as
 * often as one with a single read, so it does not finish last, alone, at its own limit; and
 * spread that way, customers seldom reach a per-customer limit at all.
 */
import { BusyTime, type Clock } from "../clock.js";
import type { Lane } from "./lane.js";

interface Waiter {
  /** Narrowest first; the last is the partner's. */
  lanes: readonly Lane[];
  weight: number;
  resolve: () => void;
}

/** When a lane lets a request of `weight` start (the budget's view: it judges 429s due first). */
export type ReadyAt = (lane: Lane, now: number, weight: number) => number;

export class Scheduler {
  private readonly queues = new Map<string, Waiter[]>();
  /** Each queue's pass; a queue that starts joins at the virtual time. */
  private readonly pass = new Map<string, number>();
  /** The partner lanes the queues draw from, each with how many queues do. */
  private readonly hosts = new Map<Lane, number>();
  /** Requests a queue's caller said are still to come (`expect`), counted down as it goes. */
  private readonly ahead = new Map<string, number>();
  /** Advances by 1 / (requests waiting) a dispatch, so a queue that keeps starting afresh cannot stay ahead of the others. */
  private vtime = 0;
  /** Requests on the wire, per host (partner lane). */
  private readonly active = new Map<Lane, number>();
  private activeTotal = 0;
  private waiting = 0;
  private running = false;
  private wake: (() => void) | undefined;
  /** Wall time with some request waiting. */
  private readonly waited = new BusyTime();

  constructor(
    private readonly clock: Clock,
    private readonly maxInFlight: number,
    private readonly readyAt: ReadyAt,
  ) {
    if (!(maxInFlight >= 1)) throw new RangeError(`requests in flight must be >= 1, got ${maxInFlight}`);
  }

  /** Resolves when the request may be sent (its lanes' tokens taken); call `done` once its attempt is over. */
  wait(queue: string, lanes: readonly Lane[], weight: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let q = this.queues.get(queue);
      if (!q) {
        this.queues.set(queue, (q = []));
        this.pass.set(queue, this.vtime);
        const host = lanes[lanes.length - 1];
        this.hosts.set(host, (this.hosts.get(host) ?? 0) + 1);
      } else {
        this.reweigh(queue, this.weightOf(queue, q.length), this.weightOf(queue, q.length + 1));
      }
      q.push({ lanes, weight, resolve });
      this.waiting++;
      this.waited.start(this.clock.now());
      this.kick();
    });
  }

  /**
   * The queue's caller will send about `requests` more (a customer whose users are to be read
   * one by one): its share is reckoned on them, not only on what waits now. A customer whose reads
   * go one after another (its users pages) otherwise waits a whole turn of every other queue for
   * each, and the one with the most work ends the run alone, at its own limit (issue 27).
   */
  expect(queue: string, requests: number): void {
    const before = this.weightOf(queue, this.queues.get(queue)?.length ?? 0);
    if (requests > 0) this.ahead.set(queue, requests);
    else this.ahead.delete(queue);
    const q = this.queues.get(queue);
    if (q) this.reweigh(queue, before, this.weightOf(queue, q.length));
  }

  /** An attempt to `host` (its partner lane) is over: its place on the wire is free. */
  done(host: Lane): void {
    const n = this.active.get(host) ?? 0;
    if (n <= 0) return;
    if (n > 1) this.active.set(host, n - 1);
    else this.active.delete(host);
    this.activeTotal--;
    this.kick();
  }

  /** Requests sent and not yet answered, all hosts together. */
  get inFlight(): number {
    return this.activeTotal;
  }

  /** Requests waiting to be sent. */
  get queued(): number {
    return this.waiting;
  }

  /** Wall time during which at least one request was waiting (ms). */
  waitedWallMs(now: number): number {
    return this.waited.ms(now);
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
        const woken = new Promise<void>((resolve) => (this.wake = resolve));
        const now = this.clock.now();
        const next = this.pick(now);
        if (typeof next === "number") {
          await (Number.isFinite(next) ? Promise.race([this.clock.sleep(Math.max(1, next - now)), woken]) : woken);
          continue;
        }
        this.wake = undefined;
        for (const lane of next.lanes) lane.take(now, next.weight);
        const host = next.lanes[next.lanes.length - 1];
        this.active.set(host, (this.active.get(host) ?? 0) + 1);
        this.activeTotal++;
        this.waiting--;
        this.waited.stop(now);
        next.resolve();
      }
    } finally {
      this.running = false;
      this.wake = undefined;
    }
  }

  /**
   * A queue's share changed from `before` to `after` requests waiting: what is left of its
   * stride shrinks in proportion (stride scheduling's change of tickets). Without it, a queue
   * that last went with little waiting keeps that long stride while its work grows: a customer
   * whose user page went with one read behind it, then found 32 licence reads, waited as if it
   * still had one, behind 2,600 requests, about 3 s at 400 requests/s (issue 27).
   */
  private reweigh(queue: string, before: number, after: number): void {
    const pass = this.pass.get(queue) ?? this.vtime;
    // Only what is left ahead of the virtual time shrinks: a queue behind it keeps its place.
    this.pass.set(queue, Math.min(pass, this.vtime + ((pass - this.vtime) * before) / after));
  }

  /** The head of the queue with the smallest pass that could go now (removed), else when one could. */
  private pick(now: number): Waiter | number {
    let earliest = Number.POSITIVE_INFINITY;
    let best: { key: string; q: Waiter[]; pass: number } | undefined;
    // The partner lane is asked once per pick for single requests: every queue of a host shares it.
    const partners = new Map<Lane, number>();
    // No host with a token for even one request: none of the queues can go, so none is looked at
    // (at the budget's rate most picks are such; scanning every customer's queue for each was a
    // tenth of a 300-customer run's CPU).
    let open = false;
    for (const host of this.hosts.keys()) {
      // A host with every place on the wire taken opens when one of its requests is answered (`done`).
      const full = this.full(host);
      const at = full ? Number.POSITIVE_INFINITY : this.readyAt(host, now, 1);
      partners.set(host, at);
      if (full) continue;
      if (at > now) {
        host.heldAt = now;
        earliest = Math.min(earliest, at);
      } else open = true;
    }
    if (!open) return earliest;
    earliest = Number.POSITIVE_INFINITY;
    for (const [key, q] of this.queues) {
      const pass = this.pass.get(key) ?? 0;
      if (best && pass >= best.pass) continue;
      const head = q[0];
      const at = this.headReadyAt(head, now, partners);
      if (at > now) earliest = Math.min(earliest, at);
      else best = { key, q, pass };
    }
    if (!best) return earliest;
    const head = best.q.shift() as Waiter;
    this.vtime = Math.max(this.vtime, best.pass) + 1 / this.waiting;
    this.pass.set(best.key, best.pass + 1 / this.weightOf(best.key, best.q.length + 1));
    const ahead = this.ahead.get(best.key);
    if (ahead !== undefined) {
      if (ahead > 1) this.ahead.set(best.key, ahead - 1);
      else this.ahead.delete(best.key);
    }
    if (best.q.length === 0) {
      this.queues.delete(best.key);
      this.pass.delete(best.key);
      const host = head.lanes[head.lanes.length - 1];
      const left = (this.hosts.get(host) ?? 1) - 1;
      if (left > 0) this.hosts.set(host, left);
      else this.hosts.delete(host);
    }
    return head;
  }

  /** A queue's tickets: what waits in it, or what its caller said is to come if more. */
  private weightOf(queue: string, waiting: number): number {
    return Math.max(waiting, this.ahead.get(queue) ?? 0);
  }

  private full(host: Lane): boolean {
    return (this.active.get(host) ?? 0) >= this.maxInFlight;
  }

  /** When every lane of `head` lets it go; a lane that holds it back is told so. */
  private headReadyAt(head: Waiter, now: number, partners: Map<Lane, number>): number {
    const partner = head.lanes[head.lanes.length - 1];
    if (this.full(partner)) return Number.POSITIVE_INFINITY;
    let partnerAt = head.weight === 1 ? partners.get(partner) : undefined;
    if (partnerAt === undefined) {
      partnerAt = this.readyAt(partner, now, head.weight);
      if (head.weight === 1) partners.set(partner, partnerAt);
      if (partnerAt > now) partner.heldAt = now;
    }
    if (partnerAt > now) return partnerAt;
    let at = now;
    for (let i = 0; i < head.lanes.length - 1; i++) {
      const lane = head.lanes[i];
      const ready = this.readyAt(lane, now, head.weight);
      if (ready > now) lane.heldAt = now;
      at = Math.max(at, ready);
    }
    return at;
  }
}

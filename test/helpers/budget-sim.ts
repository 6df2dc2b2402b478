/**
 * A simulated clock and a simulated throttling service for the request budget's unit tests:
 * no sockets and no real time, so convergence can be checked over minutes of traffic in
 * milliseconds, deterministically. The service keeps token buckets the way the sandbox does
 * (src/sandbox/faults.ts: burst = one second, Retry-After in whole seconds ≥ 1); the client
 * loop does what transport.ts does around the budget (acquire → send → success or 429 →
 * wait Retry-After → retry).
 */
import { RequestBudget, type RequestBudgetOptions } from "../../src/partner-center/request-budget.js";
import type { Scope } from "../../src/partner-center/rate-scopes.js";

export class VirtualClock {
  private t = 0;
  private seq = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];

  readonly now = (): number => this.t;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve });
    });

  /** Runs timers in time order until `done` settles (every microtask chain runs out between timers). */
  async run<T>(done: Promise<T>): Promise<T> {
    let finished = false;
    const result = done.finally(() => {
      finished = true;
    });
    while (!finished) {
      await new Promise((r) => setImmediate(r));
      if (finished) break;
      if (this.timers.length === 0) throw new Error("simulation stalled: nothing scheduled and the work is not done");
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      this.t = next.at;
      next.resolve();
    }
    return result;
  }
}

/** A token bucket of `rate` requests/s holding one second (at least one request). */
class Bucket {
  private tokens: number;
  private last: number;
  constructor(
    public rate: number,
    now: number,
  ) {
    this.tokens = Math.max(1, rate);
    this.last = now;
  }
  take(now: number): number | undefined {
    const cap = Math.max(1, this.rate);
    this.tokens = Math.min(cap, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.rate)) * 1000;
  }
}

export interface SimServiceOptions {
  /** Partner-wide limit (requests/s); 0 = none. May be changed while running. */
  partnerRps: number;
  /** Per-tenant limit (requests/s); 0 = none. */
  tenantRps?: number;
}

export class SimService {
  private partner: Bucket | undefined;
  private readonly tenants = new Map<string, Bucket>();
  readonly log: { at: number; tenant?: string; status: 200 | 429 }[] = [];

  constructor(
    private readonly clock: VirtualClock,
    private readonly opts: SimServiceOptions,
  ) {
    if (opts.partnerRps > 0) this.partner = new Bucket(opts.partnerRps, clock.now());
  }

  setPartnerRps(rps: number): void {
    this.partner = new Bucket(rps, this.clock.now());
  }

  /** 429 with its Retry-After (ms), or undefined when accepted. */
  arrive(tenant: string | undefined): number | undefined {
    const now = this.clock.now();
    let retry = this.partner?.take(now);
    if (retry === undefined && tenant !== undefined && (this.opts.tenantRps ?? 0) > 0) {
      let b = this.tenants.get(tenant);
      if (!b) this.tenants.set(tenant, (b = new Bucket(this.opts.tenantRps!, now)));
      retry = b.take(now);
    }
    this.log.push({ at: now, ...(tenant === undefined ? {} : { tenant }), status: retry === undefined ? 200 : 429 });
    return retry;
  }

  /** Accepted requests per second over [from, to) ms. */
  acceptedRate(from: number, to: number): number {
    return (this.log.filter((e) => e.status === 200 && e.at >= from && e.at < to).length * 1000) / (to - from);
  }

  get throttled(): number {
    return this.log.filter((e) => e.status === 429).length;
  }
}

export function simBudget(clock: VirtualClock, extra: Partial<RequestBudgetOptions> = {}): RequestBudget {
  return new RequestBudget({ now: clock.now, sleep: clock.sleep, ...extra });
}

/** One logical request as transport.ts makes it: budget, one-way latency each way, 429 → wait → again. */
export async function simRequest(clock: VirtualClock, budget: RequestBudget, service: SimService, scopes: readonly Scope[], latencyMs = 20): Promise<void> {
  const tenant = scopes.find((s) => s.kind === "tenant")?.tenant;
  for (;;) {
    const grant = await budget.acquire(scopes);
    await clock.sleep(latencyMs / 2);
    const retryAfter = service.arrive(tenant);
    await clock.sleep(latencyMs / 2);
    budget.release();
    if (retryAfter === undefined) {
      budget.onSuccess(grant);
      return;
    }
    const until = budget.onThrottled(grant, retryAfter);
    await clock.sleep(Math.max(0, until - clock.now()));
  }
}

/** `workers` loops sending requests made by `next` until it returns undefined. */
export async function simWorkers(workers: number, next: () => (() => Promise<void>) | undefined): Promise<void> {
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let job = next(); job; job = next()) await job();
    }),
  );
}

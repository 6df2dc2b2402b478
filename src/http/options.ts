/**
 * What the adapters' options have in common: numbers checked once, the clock (a whole `Clock`, or
 * a `now` and a `sleep` given apart, as tests do), and the request budget of a run, which
 * Partner Center's and Graph's requests share.
 */
import { RequestBudget } from "./budget/request-budget.js";
import { systemClock, type Clock } from "./clock.js";
import type { ClientEvent } from "./events.js";

export interface ClockOptions {
  clock?: Clock;
  /** Clock for the budget and Retry-After dates (ms). Default the system's. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface BudgetOptions extends ClockOptions {
  /** A cap on the partner-wide request rate (requests/s). Default none: the budget finds the service's limit. */
  maxRps?: number;
  /** Where the partner rate starts before anything is known. Default 10 requests/s. */
  initialRps?: number;
  /** Requests on the wire at once, per host. Default 32. */
  maxInFlight?: number;
  onEvent?: (e: ClientEvent) => void;
}

export function clockFrom(o: ClockOptions): Clock {
  if (o.clock) return o.clock;
  if (!o.now && !o.sleep) return systemClock;
  return { now: o.now ?? systemClock.now, sleep: o.sleep ?? systemClock.sleep, timeout: systemClock.timeout };
}

/** `value` (or `fallback`) when it is a finite number ≥ `min`; a RangeError naming the option otherwise. */
export function positive(name: string, value: number | undefined, fallback: number, min = 0): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < min) throw new RangeError(`${name} must be a number >= ${min}, got ${String(value)}`);
  return v;
}

/** The request budget of a run; its rate cuts become `rate` events. */
export function createRequestBudget(opts: BudgetOptions): RequestBudget {
  const onEvent = opts.onEvent;
  return new RequestBudget({
    clock: clockFrom(opts),
    ...(opts.maxRps === undefined ? {} : { maxRps: positive("maxRps", opts.maxRps, 0, 0.001) }),
    initialRps: positive("initialRps", opts.initialRps, 10, 0.001),
    maxInFlight: Math.floor(positive("maxInFlight", opts.maxInFlight, 32, 1)),
    onCut: (c) => {
      try {
        onEvent?.({ type: "rate", scope: c.scope, kind: c.kind, rps: c.rps, acceptedRps: c.acceptedRps });
      } catch {
        // A listener's failure must not break a call.
      }
    },
  });
}

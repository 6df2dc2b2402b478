/**
 * The run's own time limit (`--timeout`, issue 22 §4): one deadline for everything a command
 * waits on — requests on the wire, retries' backoff, the request budget, an order provisioning.
 * Once it passes, nothing more is started: a read in flight is abandoned, a write in flight is
 * let finish (its attempt line is already in the audit log, a purchase in the journal), every
 * wait ends, and the run fails with `RUN_TIMEOUT` naming what it was waiting on.
 */
import { PcplanError } from "../errors.js";

/** The run's time is up: what it was waiting on, and how long it had. */
export class RunTimeoutError extends PcplanError {
  constructor(
    readonly limitMs: number,
    readonly waitingOn: string,
    why: string,
  ) {
    super(
      "RUN_TIMEOUT",
      `the run's time is up (--timeout ${Math.round(limitMs / 1000)} s${why ? `, ${why}` : ""}) while waiting on ${waitingOn}; ` +
        "nothing more was started, and what was done is kept (the audit log and the purchase journal have it): run it again, or give a longer --timeout",
    );
  }
}

export interface RunDeadline {
  /** Aborted once the time is up. */
  readonly signal: AbortSignal;
  expired(): boolean;
  /**
   * Calls `fn` once the time is up (not if it already is); returns what stops that. Where many
   * requests wait at once, prefer this to a listener on `signal`: Node's EventTarget checks every
   * listener on each add and remove, so thousands of waiters cost their square.
   */
  onExpire(fn: () => void): () => void;
  /** The error for `waitingOn` (the caller throws it). */
  error(waitingOn: string): RunTimeoutError;
  /** The first error made once the time was up: what the run was waiting on then. */
  first(): RunTimeoutError | undefined;
  /** Throws the error for `waitingOn` once the time is up. */
  check(waitingOn: string): void;
  /** `work`, or the error for `waitingOn` as soon as the time is up, whichever comes first. */
  race<T>(work: Promise<T>, waitingOn: string): Promise<T>;
  /** Adds to the limit (a default limit grows once the work is known); `why` says how it came about now. */
  extend(ms: number, why?: string): void;
  /** Stops the timer (the run is over). */
  close(): void;
}

export interface DeadlineOptions {
  limitMs: number;
  /** How the limit came about, for the message (`the default for 3 customers: …`). */
  why?: string;
  /** The test knob (PCPLAN_TEST_TIME_SCALE): the timer fires after `scale` of the limit. */
  scale?: number;
}

export function runDeadline(o: DeadlineOptions): RunDeadline {
  const controller = new AbortController();
  // Every request in flight and every wait is one of these: a Set, so adding and removing one is O(1).
  const waiters = new Set<() => void>();
  controller.signal.addEventListener("abort", () => {
    for (const fn of [...waiters]) fn();
    waiters.clear();
  });
  const onExpire = (fn: () => void) => {
    if (controller.signal.aborted) return () => undefined;
    const once = () => void (waiters.delete(once), fn());
    waiters.add(once);
    return () => void waiters.delete(once);
  };
  const started = Date.now();
  const scale = o.scale ?? 1;
  let limitMs = o.limitMs;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    const left = Math.max(0, started + limitMs * scale - Date.now());
    // Its timer does not keep the process alive: a run ends when its work does.
    timer = setTimeout(() => controller.abort(), left).unref();
  };
  arm();
  let why = o.why ?? "";
  let first: RunTimeoutError | undefined;
  const error = (waitingOn: string) => {
    const e = new RunTimeoutError(limitMs, waitingOn, why);
    first ??= e;
    return e;
  };
  const d: RunDeadline = {
    signal: controller.signal,
    expired: () => controller.signal.aborted,
    onExpire,
    error,
    first: () => first,
    check(waitingOn) {
      if (controller.signal.aborted) throw error(waitingOn);
    },
    race(work, waitingOn) {
      if (controller.signal.aborted) return Promise.reject(error(waitingOn));
      let off = () => undefined as void;
      const up = new Promise<never>((_, reject) => (off = onExpire(() => reject(error(waitingOn)))));
      up.catch(() => undefined);
      return Promise.race([work, up]).finally(() => off());
    },
    extend(ms, because) {
      if (controller.signal.aborted || ms <= 0) return;
      limitMs += ms;
      if (because !== undefined) why = because;
      arm();
    },
    close: () => clearTimeout(timer),
  };
  return d;
}

/** The base of the default `--timeout`: ten minutes. */
export const TIMEOUT_BASE_S = 600;
/** What the default `--timeout` adds per planned customer, and (apply) per change. */
export const TIMEOUT_PER_CUSTOMER_S = 10;
export const TIMEOUT_PER_CHANGE_S = 10;

/**
 * The default `--timeout`, sized to the work: 600 s + 10 s a planned customer; `apply` adds 10 s
 * a change and its `--provisioning-timeout` once the plan is known (docs/partner-center.md, "Time limits").
 */
export function defaultTimeoutS(customers: number): number {
  return TIMEOUT_BASE_S + TIMEOUT_PER_CUSTOMER_S * customers;
}

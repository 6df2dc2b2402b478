/**
 * Time for the HTTP layer: every wait, every timeout and every reading of the time in
 * `src/http/` goes through an injected `Clock`, so the request budget, the retries and the
 * transport run the same on a simulated clock (tests) as on the system's. `systemClock` is the
 * only place that reads the real time or sets a timer.
 */

export interface Clock {
  /** Milliseconds since the epoch (Retry-After dates are read against it). */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** A signal that aborts with a `TimeoutError` after `ms` (one attempt's time limit). */
  timeout: (ms: number) => AbortSignal;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  // Its timer does not keep the process alive: a run ends when its work does.
  timeout: (ms) => AbortSignal.timeout(ms),
};

/**
 * Wall time during which something was going on (some request waiting for the budget, some
 * waiting out a 429), however many overlapped: not summed over them.
 */
export class BusyTime {
  private busy = 0;
  private since = 0;
  private total = 0;

  start(now: number): void {
    if (this.busy++ === 0) this.since = now;
  }

  stop(now: number): void {
    if (this.busy === 0) return;
    if (--this.busy === 0) this.total += now - this.since;
  }

  ms(now: number): number {
    return this.total + (this.busy > 0 ? now - this.since : 0);
  }
}

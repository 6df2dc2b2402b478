/**
 * The rate one class of scopes may send at, learned from the answers alone — the scheme of the
 * AWS SDKs' "adaptive" retry mode (a token bucket whose rate follows the throttling signals, cut
 * on a throttle and grown back along a cubic curve, as TCP CUBIC does), with TCP's slow start in
 * front of it so a run starts conservatively and finds a high limit in seconds:
 *
 * - **Slow start**: from `initialRps`, every success of a request that had to wait for this
 *   budget adds `slowStartGain` (default 32) requests/s: the rate grows exponentially (about
 *   doubling every round trip of 40 ms) while it is what holds the requests back, and not at all
 *   while something else does.
 * - **Throttle**: `wMax` := what the service accepted lately (at most the rate sent), and the
 *   rate drops to `beta × wMax` (default 0.7), or to `measuredBeta × wMax` (0.9) when what it
 *   accepts was measured rather than estimated. Slow start ends.
 * - **Climb**: along a cubic curve back to `plateau × wMax` (default 0.95) in
 *   `recoverySeconds` (default 4), level there, then probe beyond it, slowly once the limit was
 *   measured between two throttles — so it settles just under what the service allows and still
 *   notices when it allows more. Accepted well past `wMax` since the cut: that limit is gone
 *   (raised, or a storm of 429s passed); slow start finds the new one.
 *
 * Pure: every method takes the time; nothing here sleeps.
 */

export interface RateControlOptions {
  /** Starting rate (requests/s); `Infinity` = no limit until the first throttle. */
  initialRps: number;
  /** A cap the rate never exceeds (`--max-rps`). Default none. */
  maxRps?: number;
  /** Floor after cuts. Default 0.5 requests/s. */
  minRps?: number;
  /** Cut factor on a throttle. Default 0.7 (CUBIC's and the AWS SDKs'). */
  beta?: number;
  /** Cut factor when what the service accepts was measured (its refill read off the requests after a 429), not estimated. Default 0.9. */
  measuredBeta?: number;
  /** Where the climb levels off, as a fraction of the last throttled rate. Default 0.95. */
  plateau?: number;
  /** Seconds from a cut to the plateau. Default 4. */
  recoverySeconds?: number;
  /** Requests/s added per success in slow start. Default 32: about doubling every round trip of 40 ms, as TCP's does. */
  slowStartGain?: number;
}

/** Beyond a measured limit the curve climbs this much slower than it recovered: probing is cautious. */
const PROBE_PACE = 1 / 8;

/** Accepted past this multiple of the last throttled rate (on average since the cut): slow start resumes. */
const REDISCOVER = 1.25;

export class RateControl {
  private current: number;
  private readonly cap: number;
  private readonly minRps: number;
  private readonly beta: number;
  private readonly measuredBeta: number;
  private readonly plateau: number;
  private readonly recoveryMs: number;
  private readonly gain: number;
  private slowStart = true;
  /** The rate of the last throttle, the rate cut to, and when. */
  private wMax = 0;
  private cutTo = 0;
  private cutAt = 0;
  private throttles = 0;
  /** The highest limit measured since the last collapse (0: none). */
  private best = 0;
  /** After a collapse below half of `best`: the limit to climb back to fast (0: none). */
  private recoverTo = 0;

  constructor(opts: RateControlOptions) {
    this.cap = opts.maxRps ?? Number.POSITIVE_INFINITY;
    this.minRps = Math.min(opts.minRps ?? 0.5, this.cap);
    this.current = Math.min(opts.initialRps, this.cap);
    this.beta = opts.beta ?? 0.7;
    this.measuredBeta = Math.max(opts.measuredBeta ?? 0.9, this.beta);
    this.plateau = Math.max(opts.plateau ?? 0.95, this.measuredBeta);
    this.recoveryMs = (opts.recoverySeconds ?? 4) * 1000;
    this.gain = opts.slowStartGain ?? 32;
  }

  /** Requests per second allowed now (`Infinity` while unlimited). */
  get rps(): number {
    return this.current;
  }

  /** Whether a throttle has been seen (a limit is known). */
  get limited(): boolean {
    return this.throttles > 0;
  }

  /** The rate of the last throttle (0 before the first). */
  get ceiling(): number {
    return this.wMax;
  }

  /**
   * A success. `waited`: the request had to wait for this budget (the budget is what limits).
   * `sendingRps`: what the scope sent in the last second; while the budget is not what limits,
   * the rate grows no further than twice that (as in the AWS SDKs): a rate nobody uses would
   * only turn into a burst later. `acceptedSinceCutRps`: the average the service accepted since
   * the last cut.
   */
  onSuccess(now: number, waited: boolean, sendingRps: number, acceptedSinceCutRps = 0): void {
    if (!Number.isFinite(this.current)) return;
    if (this.slowStart || (this.recoverTo > 0 && now - this.cutAt >= this.recoveryMs / 4)) {
      if (waited) this.current = Math.min(this.cap, this.current + this.gain);
      if (this.recoverTo > 0 && this.current >= this.recoverTo / 2) this.climbTo(now, this.recoverTo);
      return;
    }
    const cubic = this.cubic(now);
    const next = waited ? cubic : Math.min(cubic, Math.max(this.current, 2 * sendingRps));
    this.current = Math.min(this.cap, Math.max(this.minRps, next));
    if (acceptedSinceCutRps > REDISCOVER * this.wMax && now - this.cutAt > this.recoveryMs) this.slowStart = true;
  }

  /**
   * A throttle. `acceptedRps`: what the service accepts (NaN: unknown, the rate sent stands in);
   * `measured`: read off the service's refill after the throttle, not estimated — the cut is
   * then milder (`measuredBeta`). Returns the new rate.
   */
  onThrottle(now: number, acceptedRps: number, measured = false): number {
    const known = Number.isFinite(acceptedRps);
    const sending = Number.isFinite(this.current) ? this.current : known ? acceptedRps : this.minRps;
    const estimate = known ? Math.min(sending, acceptedRps) : sending;
    // Out of slow start the estimate stands (slow start overshoots); later one throttle halves
    // at most, as TCP's loss does: a limit that really fell further is found by the next ones.
    this.wMax = Math.max(this.minRps, this.slowStart ? estimate : Math.max(estimate, sending / 2));
    this.slowStart = false;
    this.throttles++;
    this.cutAt = now;
    this.cutTo = Math.min(this.cap, Math.max(this.minRps, (measured ? this.measuredBeta : this.beta) * this.wMax));
    this.current = this.cutTo;
    // Fallen below half of the limit measured before (a storm of 429s): once requests pass
    // again, climb back fast (slow start) to half of it, then carefully to it — TCP's slow start
    // after a timeout, up to its threshold. Once: if the limit really fell, the next throttles
    // find it, and their measure is the new best.
    if (this.wMax < this.best / 2) {
      this.recoverTo = this.best;
      this.best = 0;
    } else if (measured) {
      this.best = Math.max(this.best, this.wMax);
    }
    return this.current;
  }

  /** The climb (from where the rate is now) towards `plateau × limit`, as after a cut. */
  private climbTo(now: number, limit: number): void {
    this.wMax = limit;
    this.cutAt = now;
    this.cutTo = this.current;
    this.recoverTo = 0;
  }

  /** `plateau·wMax + c·(t − K)³`, through the rate cut to at the cut and `plateau·wMax` at K. */
  private cubic(now: number): number {
    const k = this.recoveryMs / 1000;
    const t = (now - this.cutAt) / 1000;
    const top = this.plateau * this.wMax;
    const c = Math.max(0, top - this.cutTo) / k ** 3;
    // Beyond a measured limit, probe cautiously; beyond the first estimate, find the limit.
    return top + (t < k || this.throttles < 2 ? c : c * PROBE_PACE) * (t - k) ** 3;
  }
}

/**
 * The rate one class of scopes may send at, learned from the answers alone — the scheme of the
 * AWS SDKs' "adaptive" retry mode (a token bucket whose rate follows the throttling signals, cut
 * on a throttle and grown back along a cubic curve, as TCP CUBIC does), with TCP's slow start in
 * front of it so a run starts conservatively and finds a high limit in seconds:
 *
 * - **Slow start**: from `initialRps`, every success of a request that had to wait for this
 *   budget adds `slowStartGain` (default 4) requests/s: the rate grows exponentially while it
 *   is what holds the requests back, and not at all while something else does.
 * - **Throttle**: `wMax` := what the service accepted lately (at most the rate sent), and the
 *   rate drops to `beta × wMax` (default 0.7). Slow start ends.
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
  /** Where the climb levels off, as a fraction of the last throttled rate. Default 0.95. */
  plateau?: number;
  /** Seconds from a cut to the plateau. Default 4. */
  recoverySeconds?: number;
  /** Requests/s added per success in slow start. Default 4. */
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
  private readonly plateau: number;
  private readonly recoveryMs: number;
  private readonly gain: number;
  private slowStart = true;
  private wMax = 0;
  private cutAt = 0;
  private throttles = 0;

  constructor(opts: RateControlOptions) {
    this.cap = opts.maxRps ?? Number.POSITIVE_INFINITY;
    this.minRps = Math.min(opts.minRps ?? 0.5, this.cap);
    this.current = Math.min(opts.initialRps, this.cap);
    this.beta = opts.beta ?? 0.7;
    this.plateau = Math.max(opts.plateau ?? 0.95, this.beta);
    this.recoveryMs = (opts.recoverySeconds ?? 4) * 1000;
    this.gain = opts.slowStartGain ?? 4;
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

  /** The last throttled rate once it was measured between two throttles (0 until then; a first one is only an estimate). */
  get measuredCeiling(): number {
    return this.throttles >= 2 ? this.wMax : 0;
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
    if (this.slowStart) {
      if (waited) this.current = Math.min(this.cap, this.current + this.gain);
      return;
    }
    const cubic = this.cubic(now);
    const next = waited ? cubic : Math.min(cubic, Math.max(this.current, 2 * sendingRps));
    this.current = Math.min(this.cap, Math.max(this.minRps, next));
    if (acceptedSinceCutRps > REDISCOVER * this.wMax && now - this.cutAt > this.recoveryMs) this.slowStart = true;
  }

  /**
   * A throttle. `acceptedRps`: what the service was estimated to accept (NaN: unknown, the rate
   * sent stands in). Returns the new rate.
   */
  onThrottle(now: number, acceptedRps: number): number {
    const known = Number.isFinite(acceptedRps);
    const sending = Number.isFinite(this.current) ? this.current : known ? acceptedRps : this.minRps;
    const estimate = known ? Math.min(sending, acceptedRps) : sending;
    // Out of slow start the estimate stands (slow start overshoots); later one throttle halves
    // at most, as TCP's loss does: a limit that really fell further is found by the next ones.
    this.wMax = Math.max(this.minRps, this.slowStart ? estimate : Math.max(estimate, sending / 2));
    this.cutAt = now;
    this.slowStart = false;
    this.throttles++;
    this.current = Math.min(this.cap, Math.max(this.minRps, this.beta * this.wMax));
    return this.current;
  }

  /** `plateau·wMax + c·(t − K)³`, through `beta·wMax` at the cut and `plateau·wMax` at K. */
  private cubic(now: number): number {
    const k = this.recoveryMs / 1000;
    const t = (now - this.cutAt) / 1000;
    const top = this.plateau * this.wMax;
    const c = ((this.plateau - this.beta) * this.wMax) / k ** 3;
    // Beyond a measured limit, probe cautiously; beyond the first estimate, find the limit.
    return top + (t < k || this.throttles < 2 ? c : c * PROBE_PACE) * (t - k) ** 3;
  }
}

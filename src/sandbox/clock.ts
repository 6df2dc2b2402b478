/**
 * The sandbox clock: starts at a chosen instant and runs in real time from there, plus what
 * `skew` adds since the clock started (the time shortened test waits skipped, when pcplan and the
 * sandbox share a process: SandboxOptions.clockSkew).
 */
export class Clock {
  private offsetMs = 0;
  /** The instant the clock was started at (or last set to), in ms: what a fixture's relative dates are read against. */
  startMs: number;
  private readonly skew: () => number;

  constructor(start?: string, skew?: () => number) {
    const base = skew?.() ?? 0;
    this.skew = skew ? () => skew() - base : () => 0;
    this.startMs = Date.now();
    if (start !== undefined) this.set(start);
  }

  set(iso: string): void {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) throw new RangeError(`not an ISO date-time: ${iso}`);
    this.offsetMs = t - Date.now() - this.skew();
    this.startMs = t;
  }

  nowMs(): number {
    return Date.now() + this.offsetMs + this.skew();
  }

  iso(): string {
    return new Date(this.nowMs()).toISOString();
  }
}

/** The sandbox clock: starts at a chosen instant and runs in real time from there. */
export class Clock {
  private offsetMs = 0;
  /** The instant the clock was started at (or last set to), in ms: what a fixture's relative dates are read against. */
  startMs: number;

  constructor(start?: string) {
    this.startMs = Date.now();
    if (start !== undefined) this.set(start);
  }

  set(iso: string): void {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) throw new RangeError(`not an ISO date-time: ${iso}`);
    this.offsetMs = t - Date.now();
    this.startMs = t;
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  iso(): string {
    return new Date(this.nowMs()).toISOString();
  }
}

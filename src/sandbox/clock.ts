/** The sandbox clock: starts at a chosen instant and runs in real time from there. */
export class Clock {
  private offsetMs = 0;

  constructor(start?: string) {
    if (start !== undefined) this.set(start);
  }

  set(iso: string): void {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) throw new RangeError(`not an ISO date-time: ${iso}`);
    this.offsetMs = t - Date.now();
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  iso(): string {
    return new Date(this.nowMs()).toISOString();
  }
}

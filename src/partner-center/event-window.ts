/** Timestamps of recent events (sends, successes) of one scope, to count those of the last second. */

export const WINDOW_MS = 1000;

export class EventWindow {
  private times: number[] = [];
  private head = 0;

  add(now: number): void {
    this.times.push(now);
    this.trim(now);
  }

  /** Events in the last `WINDOW_MS` up to `now`. */
  count(now: number): number {
    this.trim(now);
    return this.times.length - this.head;
  }

  /** Time of the latest event, or -Infinity. */
  get last(): number {
    return this.times.length > this.head ? (this.times[this.times.length - 1] ?? Number.NEGATIVE_INFINITY) : Number.NEGATIVE_INFINITY;
  }

  private trim(now: number): void {
    const from = now - WINDOW_MS;
    while (this.head < this.times.length && (this.times[this.head] ?? 0) <= from) this.head++;
    // Compact now and then so the array does not grow with the run.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}

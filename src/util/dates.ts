const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (negative when `to` is earlier), by UTC calendar date. */
export function daysBetween(from: string, to: string): number {
  const a = Date.parse(from.slice(0, 10));
  const b = Date.parse(to.slice(0, 10));
  return Math.round((b - a) / DAY_MS);
}

/** The date `days` days after an ISO instant, as YYYY-MM-DD. */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The earliest parseable date of a list, as given; undefined when none parses. */
export function earliest(dates: readonly (string | undefined)[]): string | undefined {
  let best: string | undefined;
  let bestMs = Infinity;
  for (const d of dates) {
    const ms = d === undefined ? NaN : Date.parse(d);
    if (!Number.isNaN(ms) && ms < bestMs) {
      best = d;
      bestMs = ms;
    }
  }
  return best;
}

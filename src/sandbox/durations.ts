/** ISO 8601 durations the service uses (terms P1M/P1Y/P3Y, the 7-day cancellation window P7D) on ISO instants. */

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/i;

function parts(duration: string): [number, number, number] {
  const m = DURATION.exec(duration.trim());
  if (!m || duration.trim().toUpperCase() === "P") throw new RangeError(`not a supported ISO 8601 duration: ${duration}`);
  return [Number(m[1] ?? 0), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

/** Month arithmetic clamps to the month's last day (Jan 31 + P1M = Feb 28), then days are added. */
function shift(iso: string, sign: 1 | -1, [years, months, days]: [number, number, number]): string {
  const t = new Date(iso);
  const day = t.getUTCDate();
  t.setUTCDate(1);
  t.setUTCFullYear(t.getUTCFullYear() + sign * years, t.getUTCMonth() + sign * months);
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  t.setUTCDate(Math.min(day, last) + sign * days);
  return t.toISOString();
}

/** `iso` plus a duration like `P1M`, `P1Y`, `P3Y` or `P7D`. */
export function addDuration(iso: string, duration: string): string {
  return shift(iso, 1, parts(duration));
}

/** `iso` minus a duration (a creation date from a term end). */
export function subtractDuration(iso: string, duration: string): string {
  return shift(iso, -1, parts(duration));
}

/** Partner Center's new-commerce cancellation window: 7 days after purchase or renewal. */
export const CANCELLATION_WINDOW = "P7D";

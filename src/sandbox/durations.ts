/**
 * ISO 8601 durations on ISO instants: the service's terms (P1M, P1Y, P3Y) and cancellation window
 * (P7D), and the fixture's dates relative to the sandbox clock (`today+P127D`, `now-PT10M`).
 */

const DURATION = /^P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i;

interface Parts {
  years: number;
  months: number;
  days: number;
  /** The time part (hours, minutes, seconds), in milliseconds. */
  ms: number;
}

function parts(duration: string): Parts {
  const m = DURATION.exec(duration.trim());
  if (!m) throw new RangeError(`not a supported ISO 8601 duration: ${duration}`);
  const n = (i: number) => Number(m[i] ?? 0);
  return { years: n(1), months: n(2), days: n(3) * 7 + n(4), ms: ((n(5) * 60 + n(6)) * 60 + n(7)) * 1000 };
}

/** Month arithmetic clamps to the month's last day (Jan 31 + P1M = Feb 28), then days, then the time part are added. */
function shift(iso: string, sign: 1 | -1, p: Parts): string {
  const t = new Date(iso);
  const day = t.getUTCDate();
  t.setUTCDate(1);
  t.setUTCFullYear(t.getUTCFullYear() + sign * p.years, t.getUTCMonth() + sign * p.months);
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  t.setUTCDate(Math.min(day, last) + sign * p.days);
  return new Date(t.getTime() + sign * p.ms).toISOString();
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

/** A fixture date relative to the sandbox clock: `today` or `now`, optionally `+` or `-` an ISO 8601 duration. */
export const RELATIVE_DATE = /^(today|now)(?:([+-])(P\S+))?$/;

/**
 * A fixture date as an instant: an ISO date-time is kept as written; `now` is the sandbox clock's
 * instant (`nowMs`), `today` midnight UTC of its day, each optionally shifted by a duration
 * (`today+P127D`, `today-P3DT15H`, `now+PT20M`). Written without milliseconds, as the service
 * writes its dates.
 */
export function resolveDate(value: string, nowMs: number): string {
  const m = RELATIVE_DATE.exec(value);
  if (!m) return value;
  const now = new Date(nowMs);
  const anchor = m[1] === "today" ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())) : now;
  const base = anchor.toISOString();
  const at = m[3] === undefined ? base : m[2] === "-" ? subtractDuration(base, m[3]) : addDuration(base, m[3]);
  return at.replace(/\.000Z$/, "Z");
}

/**
 * Partner Center dates are ISO-8601 but loosely so: 0–7 fractional digits (`.0966728Z`),
 * `Z` or an offset (`-07:00`, `+00:00`), and the reference even shows
 * `"2015-11-25T06: 41: 12Z"` (spaces after the colons). `parsePcDate` accepts all of those
 * and returns `undefined` for anything else (never an Invalid Date).
 */

const PC_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function parsePcDate(s: string | null | undefined): Date | undefined {
  if (typeof s !== "string") return undefined;
  // Drop the stray whitespace the reference puts after colons (`06: 41: 12Z`).
  const text = s.trim().replace(/:\s+/g, ":");
  const m = PC_DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = "0", mi = "0", sec = "0", frac = "", zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(sec);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Number((frac + "000").slice(0, 3));
  let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC maps years 0–99 to 1900–1999; set the full year explicitly.
  const probe = new Date(t);
  probe.setUTCFullYear(year);
  t = probe.getTime();
  const check = new Date(t);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined; // e.g. 2021-02-30
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const offH = Number(digits.slice(0, 2));
    const offM = Number(digits.slice(2, 4) || "0");
    if (offH > 23 || offM > 59) return undefined;
    t -= sign * (offH * 60 + offM) * 60_000;
  }
  return new Date(t);
}

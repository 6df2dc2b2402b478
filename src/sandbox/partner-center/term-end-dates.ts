/**
 * Custom term end dates (https://learn.microsoft.com/partner-center/developer/custom-term-end-dates):
 * `GET /customers/{id}/subscriptions/customTermEndDates?term_duration=P1Y[&term_start_date=]
 * [&target_coterm_subscription_id=]` lists the end dates a new-commerce purchase of that term may
 * be given — "end dates that align with the end of the calendar month or that co-term with
 * existing customer subscriptions" — as `{ allowedCustomTermEndDateType: calendarMonthAligned |
 * subscriptionAligned, allowedCustomTermEndDate: "2023-07-31T00:00:00", cotermSubscriptionIds? }`.
 * A cart line's `customTermEndDate` must be one of them ("the first term will be prorated to end on
 * this date", cart-resources). The sandbox's rules, where the reference says no more: a date lies
 * after the purchase day and no later than the full term's end; the calendar month's end is the
 * last one not after it; the subscriptions co-termed with are the customer's active new-commerce
 * ones (a P1Y or P3Y purchase not with a monthly one, as partners' guides describe co-terming).
 */
import type { CustomTermEndDate } from "../../partner-center/types.js";
import { addDuration } from "../durations.js";
import { ErrorCode, badRequest } from "../http-error.js";
import { isNce } from "../state.js";
import type { WorldCustomer } from "../types.js";
import { route, type RouteDef } from "./context.js";
import { requireCustomer } from "./lookup.js";
import { collection, link } from "./wire.js";

const TERMS = ["P1M", "P1Y", "P3Y"];
const day = (iso: string) => iso.slice(0, 10);
/** As the reference writes the dates. */
const asWire = (d: string) => `${d}T00:00:00`;

/** The end dates a purchase of `term` made on `start` (an ISO instant) may be given, earliest first. */
export function allowedTermEnds(c: WorldCustomer, term: string, start: string): CustomTermEndDate[] {
  const first = day(start);
  const last = day(addDuration(start, term));
  const out: CustomTermEndDate[] = [];
  const monthEnd = lastMonthEndBy(last);
  if (monthEnd > first) out.push({ allowedCustomTermEndDateType: "calendarMonthAligned", allowedCustomTermEndDate: asWire(monthEnd) });
  const byDay = new Map<string, string[]>();
  for (const s of c.subscriptions) {
    if (s.status !== "active" || !isNce(s)) continue;
    if (term !== "P1M" && (s.termDuration ?? "").toUpperCase() === "P1M") continue;
    const end = day(s.commitmentEndDate);
    if (end > first && end <= last) byDay.set(end, [...(byDay.get(end) ?? []), s.id]);
  }
  for (const [d, ids] of byDay)
    out.push({ allowedCustomTermEndDateType: "subscriptionAligned", cotermSubscriptionIds: ids, allowedCustomTermEndDate: asWire(d) });
  return out.sort((a, b) => a.allowedCustomTermEndDate.localeCompare(b.allowedCustomTermEndDate));
}

/** The last day of a calendar month on or before `d` (YYYY-MM-DD). */
function lastMonthEndBy(d: string): string {
  const [y, m, dd] = d.split("-").map(Number) as [number, number, number];
  const endOfMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const end = dd === endOfMonth ? new Date(Date.UTC(y, m - 1, dd)) : new Date(Date.UTC(y, m - 1, 0));
  return end.toISOString().slice(0, 10);
}

/** Whether `date` (as a cart line sends it) is, by its day, one the customer may buy `term` with now. */
export function isAllowedTermEnd(c: WorldCustomer, term: string, now: string, date: string): boolean {
  return allowedTermEnds(c, term, now).some((a) => day(a.allowedCustomTermEndDate) === day(date));
}

export const termEndRoutes: RouteDef[] = [
  // Listed before `…/subscriptions/:subscriptionId`, which the path would otherwise match.
  route("GET", "/customers/:customerId/subscriptions/customTermEndDates", "read", "reading custom term end dates", (ctx) => {
    const c = requireCustomer(ctx);
    const term = (ctx.query.get("term_duration") ?? "").toUpperCase();
    if (!TERMS.includes(term)) throw badRequest(ErrorCode.invalidInput, "term_duration is required: P1M, P1Y or P3Y.");
    const now = ctx.clock.iso();
    const start = ctx.query.get("term_start_date") ?? now;
    if (Number.isNaN(Date.parse(start))) throw badRequest(ErrorCode.invalidInput, "term_start_date is not a date.");
    if (day(start) < day(now)) throw badRequest(ErrorCode.invalidInput, "term_start_date can't be in the past.");
    const target = ctx.query.get("target_coterm_subscription_id")?.toLowerCase();
    const items = allowedTermEnds(c, term, start).filter(
      (a) => target === undefined || (a.cotermSubscriptionIds ?? []).some((id) => id.toLowerCase() === target),
    );
    return { status: 200, body: collection(items, { self: link(`/customers/${c.id}/subscriptions/customTermEndDates?${ctx.query.toString()}`) }) };
  }),
];

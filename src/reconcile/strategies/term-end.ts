/**
 * Co-terming a purchase (`purchase.termEnd`): where a new-commerce purchase's first term ends.
 * Partner Center lists the end dates it allows for a term — the end of a calendar month, or the
 * term end of the customer's existing subscriptions (custom-term-end-dates,
 * https://learn.microsoft.com/partner-center/developer/custom-term-end-dates) — and a cart line's
 * `customTermEndDate` must be one of them ("the first term will be prorated to end on this date",
 * cart-resources). Pure: the dates were read with the customer; only a listed date is chosen,
 * otherwise the purchase keeps its full term and the reason is said.
 */
import type { AllowedTermEnd } from "../../model/live-state.js";
import type { TermEnd } from "../../plan-file/types.js";
import type { LiveSubscription, Note, PurchaseAction } from "../types.js";

export type PurchaseTermEnd = NonNullable<Extract<PurchaseAction, { commerce: "new" }>["termEnd"]>;

export interface TermEndFacts {
  wanted: Exclude<TermEnd, "none">;
  commerce: PurchaseAction["commerce"];
  term: string;
  /** The allowed dates read for that term; undefined when not read. */
  allowed: readonly AllowedTermEnd[] | undefined;
  /** The customer's active source subscriptions. */
  sources: readonly LiveSubscription[];
}

/** The end date to buy with, or why the purchase keeps its full term. */
export function chooseTermEnd(f: TermEndFacts): { termEnd: PurchaseTermEnd } | { fallback: string } {
  if (f.commerce === "legacy") return { fallback: "a legacy order has no custom term end (Partner Center co-terms new-commerce purchases only)" };
  if (!f.allowed) return { fallback: `the term end dates Partner Center allows for a ${f.term} term were not read` };
  return f.wanted === "source" ? withSource(f, f.allowed) : calendarMonth(f, f.allowed);
}

/** The latest date Partner Center lists as a source subscription's term end (several sources may end apart). */
function withSource(f: TermEndFacts, allowed: readonly AllowedTermEnd[]): { termEnd: PurchaseTermEnd } | { fallback: string } {
  if (f.sources.length === 0) return { fallback: "no active source subscription to end with" };
  const ids = new Set(f.sources.map((s) => s.id));
  const offered = allowed.filter((a) => a.aligned === "subscription" && a.subscriptionIds.some((id) => ids.has(id)));
  const best = latest(offered);
  if (best) return { termEnd: { date: best.date, aligned: "source" } };
  const ends = f.sources.map((s) => `subscription ${s.id}${s.commerce === "legacy" ? " (legacy)" : ""} ends ${day(s.commitmentEndDate)}`).join("; ");
  return { fallback: `Partner Center offers no ${f.term} term ending with the source's (${ends})` };
}

function calendarMonth(f: TermEndFacts, allowed: readonly AllowedTermEnd[]): { termEnd: PurchaseTermEnd } | { fallback: string } {
  const best = latest(allowed.filter((a) => a.aligned === "calendar-month"));
  if (best) return { termEnd: { date: best.date, aligned: "calendar-month" } };
  return { fallback: `Partner Center offers no calendar-month end for a ${f.term} term` };
}

function latest(list: readonly AllowedTermEnd[]): AllowedTermEnd | undefined {
  return [...list].sort((a, b) => Date.parse(b.date) - Date.parse(a.date) || a.date.localeCompare(b.date))[0];
}

/** The note of a purchase that keeps its full term although the plan asked to co-term it. */
export function termEndFallbackNote(wanted: Exclude<TermEnd, "none">, reason: string): Note {
  return { level: "info", code: "term-end-fallback", message: `no co-terming (termEnd: ${wanted}), buying the full term instead: ${reason}` };
}

const day = (iso: string | undefined) => iso?.slice(0, 10) ?? "on no known date";

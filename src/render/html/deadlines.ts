import { daysBetween } from "../../util/dates.js";
import type { CustomerStatus, PlanStatus, SourceSubscription, StatusReport } from "../../status/types.js";
import { isoDate, relativeDays } from "./format.js";

/**
 * What happens on a deadline, in the words the customer table uses: a cancellation window closes
 * (pcplan cancels before it), a term ends after pcplan turns auto-renew off, a term ends whose
 * auto-renew is already off, a term ends and renews (auto-renew on), a suspended subscription is
 * deprovisioned.
 */
export type DeadlineKind = "cancel-window" | "renew-off-end" | "ends" | "converts" | "term-end" | "deprovision";
export type Urgency = "past" | "soon" | "later";

/** One dated event of a customer's source subscriptions, for the timeline and its text list. */
export interface Deadline {
  /** YYYY-MM-DD */
  date: string;
  kind: DeadlineKind;
  /** Whole days from the report's `now` (negative once past). */
  days: number;
  urgency: Urgency;
  customerId: string;
  customerName: string;
  planName: string;
  sourceSku: string;
}

/** Lanes of the timeline, top to bottom, and the order of same-day deadlines. */
export const DEADLINE_KINDS: readonly DeadlineKind[] = ["cancel-window", "renew-off-end", "ends", "converts", "term-end", "deprovision"];

export const KIND_LABEL: Record<DeadlineKind, string> = {
  "cancel-window": "Cancellation window closes",
  "renew-off-end": "Ends once pcplan turns auto-renew off",
  ends: "Term ends, auto-renew off",
  converts: "Renews as the target (scheduled)",
  "term-end": "Term ends, auto-renew on",
  deprovision: "Deprovisioned after suspension",
};

export function urgencyOf(days: number, warnDays: number): Urgency {
  return days < 0 ? "past" : days <= warnDays ? "soon" : "later";
}

/**
 * The lane of an active subscription's term end: pcplan turning auto-renew off first, or it
 * being off already, or on (the term renews unless pcplan retires the source before).
 */
export function termEndKind(s: Pick<SourceSubscription, "autoRenew" | "retirement" | "convertsTo">): DeadlineKind {
  if (s.autoRenew === false) return "ends";
  if (s.convertsTo !== undefined) return "converts";
  return s.retirement === "no-renew" ? "renew-off-end" : "term-end";
}

function customerDates(c: CustomerStatus): [DeadlineKind, string | undefined][] {
  const out: [DeadlineKind, string | undefined][] = [];
  const subs = c.sourceSubscriptions;
  for (const s of subs ?? []) {
    // A window that closed, or one pcplan will not use, is no deadline.
    if (s.status === "active" && s.retirement === "cancel") out.push(["cancel-window", s.cancellationAllowedUntil]);
    if (s.status === "active") out.push([termEndKind(s), s.commitmentEndDate]);
    out.push(["deprovision", s.deprovisionOn]);
  }
  if (c.source.state === "suspended") out.push(["deprovision", c.source.deprovisionOn]);
  // A status without its subscriptions (an older JSON) still has the customer's term end.
  if (subs === undefined && c.source.state === "active") out.push(["term-end", c.source.endDate]);
  return out;
}

/**
 * Every known date of every customer, in date order: each active source subscription's
 * cancellation window (when pcplan cancels) and term end (in the lane of what happens then), and
 * the deprovisioning of a suspended one. One marker per customer, kind and date.
 */
export function collectDeadlines(report: StatusReport, warnDays: number): Deadline[] {
  const out = new Map<string, Deadline>();
  const add = (p: PlanStatus, c: CustomerStatus, kind: DeadlineKind, when: string | undefined) => {
    if (when === undefined || Number.isNaN(Date.parse(when))) return;
    const date = isoDate(when);
    const days = daysBetween(report.now, date);
    out.set(`${c.customerId}|${kind}|${date}`, {
      date,
      kind,
      days,
      urgency: urgencyOf(days, warnDays),
      customerId: c.customerId,
      customerName: c.name,
      planName: p.name,
      sourceSku: p.source,
    });
  };
  for (const p of report.plans) for (const c of p.customers) for (const [kind, when] of customerDates(c)) add(p, c, kind, when);
  const order = (k: DeadlineKind) => DEADLINE_KINDS.indexOf(k);
  return [...out.values()].sort((a, b) => a.date.localeCompare(b.date) || order(a.kind) - order(b.kind) || a.customerName.localeCompare(b.customerName));
}

/** "MCOIMP term ends, auto-renew on", "suspended MCOIMP deprovisioned", … */
export function deadlineEvent(d: Deadline): string {
  const past = d.days < 0;
  switch (d.kind) {
    case "cancel-window":
      return past ? `${d.sourceSku} cancellation window closed` : `last day to cancel ${d.sourceSku}`;
    case "renew-off-end":
      return past ? `${d.sourceSku} term ended, auto-renew still on` : `${d.sourceSku} ends once pcplan turns auto-renew off`;
    case "ends":
      return past ? `${d.sourceSku} term ended, auto-renew off` : `${d.sourceSku} term ends, auto-renew off`;
    case "converts":
      return past ? `${d.sourceSku} renewal due, scheduled to become the target` : `${d.sourceSku} renews as the target (scheduled)`;
    case "term-end":
      return past ? `${d.sourceSku} term ended, auto-renew on` : `${d.sourceSku} term ends, auto-renew on`;
    case "deprovision":
      return past ? `suspended ${d.sourceSku} deprovisioning due` : `suspended ${d.sourceSku} deprovisioned`;
  }
}

/** "Woodgrove Bank: MCOIMP term ends, auto-renew off 2026-12-15 (in 21 days)". */
export function describeDeadline(d: Deadline): string {
  return `${d.customerName}: ${deadlineEvent(d)} ${d.date} (${relativeDays(d.days)})`;
}

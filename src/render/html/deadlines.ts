import { daysBetween } from "../../util/dates.js";
import type { CustomerStatus, PlanStatus, StatusReport } from "../../status/types.js";
import { isoDate, relativeDays } from "./format.js";

export type DeadlineKind = "term-end" | "cancel-window" | "renew-off-end" | "deprovision";
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
export const DEADLINE_KINDS: readonly DeadlineKind[] = ["term-end", "cancel-window", "renew-off-end", "deprovision"];

export const KIND_LABEL: Record<DeadlineKind, string> = {
  "term-end": "Source term ends",
  "cancel-window": "Cancellation window closes",
  "renew-off-end": "Ends, auto-renew off",
  deprovision: "Deprovisioned after suspension",
};

export function urgencyOf(days: number, warnDays: number): Urgency {
  return days < 0 ? "past" : days <= warnDays ? "soon" : "later";
}

/**
 * Every known date of every customer, in date order: the source term end (active sources),
 * the end of an NCE cancellation window, the end of a subscription whose renewal is off, and
 * the deprovisioning of a suspended one. Draws whatever dates the status carries.
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
  for (const p of report.plans) {
    for (const c of p.customers) {
      const subs = c.sourceSubscriptions ?? [];
      const renewOff = new Set<string>();
      for (const s of subs) {
        // A window that closed, or one pcplan will not use, is no deadline.
        if (s.status === "active" && s.retirement === "cancel" && s.cancellationAllowedUntil) add(p, c, "cancel-window", s.cancellationAllowedUntil);
        if (s.status === "active" && s.retirement === "no-renew" && s.retirementDate) {
          add(p, c, "renew-off-end", s.retirementDate);
          renewOff.add(isoDate(s.retirementDate));
        }
        if (s.deprovisionOn) add(p, c, "deprovision", s.deprovisionOn);
      }
      if (c.source.state === "suspended" && c.source.deprovisionOn) add(p, c, "deprovision", c.source.deprovisionOn);
      // The term end of a subscription whose renewal pcplan turned off is that marker already.
      if (c.source.state === "active" && c.source.endDate && !renewOff.has(isoDate(c.source.endDate))) add(p, c, "term-end", c.source.endDate);
    }
  }
  const order = (k: DeadlineKind) => DEADLINE_KINDS.indexOf(k);
  return [...out.values()].sort((a, b) => a.date.localeCompare(b.date) || order(a.kind) - order(b.kind) || a.customerName.localeCompare(b.customerName));
}

/** "MCOIMP term ends", "suspended MCOIMP deprovisioned", … */
export function deadlineEvent(d: Deadline): string {
  const past = d.days < 0;
  switch (d.kind) {
    case "term-end":
      return past ? `${d.sourceSku} term ended` : `${d.sourceSku} term ends`;
    case "cancel-window":
      return past ? `${d.sourceSku} cancellation window closed` : `last day to cancel ${d.sourceSku}`;
    case "renew-off-end":
      return past ? `${d.sourceSku} ended (auto-renew off)` : `${d.sourceSku} ends (auto-renew off)`;
    case "deprovision":
      return past ? `suspended ${d.sourceSku} deprovisioning due` : `suspended ${d.sourceSku} deprovisioned`;
  }
}

/** "Woodgrove Bank: MCOIMP term ends 2026-12-15 (in 21 days)". */
export function describeDeadline(d: Deadline): string {
  return `${d.customerName}: ${deadlineEvent(d)} ${d.date} (${relativeDays(d.days)})`;
}

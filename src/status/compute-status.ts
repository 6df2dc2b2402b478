import { countKinds } from "../actions/registry.js";
import type { DecommissionMethod, MigrationPlan } from "../plan-file/types.js";
import { addDays, daysBetween } from "../util/dates.js";
import { DEPROVISION_AFTER_DAYS } from "../partner-center/lifecycle.js";
import type { CustomerPlan, LiveCustomer, LiveState } from "../reconcile/types.js";
import type { Refusal } from "./audit-log.js";
import type { Attention, CustomerStatus, LastChange, PlanStatus, PlanStatusTotals, Progress, SourceState, StatusReport } from "./types.js";

import { licenceErrorsOf } from "./licence-errors.js";
import { sourceSubscriptions, type Retiring } from "./source-subscriptions.js";

export interface StatusOptions {
  now: string;
  /** Subscription id (lowercase) → when pcplan suspended it (from the audit log). */
  suspensions?: ReadonlyMap<string, string>;
  /** Customer id (lowercase) → its latest write in the audit log. */
  lastChanges?: ReadonlyMap<string, LastChange>;
  /** Customer id (lowercase) → the latest refusal of an apply (audit log). */
  refusals?: ReadonlyMap<string, Refusal>;
}

/**
 * How far each plan's migration is, per customer: users on target / still to move, the source
 * subscription's state and deprovisioning date, and the actions still pending. Pure: built from
 * the same reconcile result and live state `plan` uses.
 */
export function computeStatus(plans: readonly MigrationPlan[], customers: readonly CustomerPlan[], live: LiveState, opts: StatusOptions): StatusReport {
  const byPlan = new Map<string, CustomerPlan[]>();
  for (const c of customers) byPlan.set(c.planName, [...(byPlan.get(c.planName) ?? []), c]);
  return {
    formatVersion: 1,
    now: opts.now,
    plans: plans.map((p): PlanStatus => {
      const decommission = new Map(p.customers.map((pc) => [pc.id, pc.decommission]));
      const rows = (byPlan.get(p.name) ?? []).map((c): CustomerStatus => {
        const lc = live.customers.get(c.customerId);
        const lastChange = opts.lastChanges?.get(c.customerId);
        return {
          ...customerStatus(c, lc, opts),
          ...(lc
            ? { sourceSubscriptions: sourceSubscriptions(c.source.skuId, lc, retiredAs(c, decommission.get(c.customerId)), opts.now, opts.suspensions) }
            : {}),
          ...(lastChange ? { lastChange } : {}),
          ...attentionOf(c, lc, opts),
        };
      });
      return {
        name: p.name,
        file: p.file,
        source: p.source.skuPartNumber,
        target: p.target.skuPartNumber,
        customers: rows,
        totals: totalsOf(rows),
      };
    }),
  };
}

/** Excluded users keep the source: it is not retired, whatever the plan's method; a transition converts it instead. */
function retiredAs(c: CustomerPlan, method: DecommissionMethod | undefined): Retiring {
  const decommission = method ?? "auto";
  if (c.counts.excluded > 0) return { decommission, keptBecause: "excluded-users" };
  if (c.actions.some((a) => a.kind === "transition")) return { decommission, keptBecause: "transition" };
  if (c.actions.some((a) => a.kind === "schedule") || c.notes.some((n) => n.code === "scheduled")) return { decommission, keptBecause: "at-renewal" };
  return { decommission };
}

/**
 * A refusal the audit log recorded stands until a later write for the customer (lastChange) shows
 * it was overcome; licence assignment errors stand while the live state shows them.
 */
function attentionOf(c: CustomerPlan, lc: LiveCustomer | undefined, opts: StatusOptions): { attention?: Attention[] } {
  const refusal = opts.refusals?.get(c.customerId);
  const last = opts.lastChanges?.get(c.customerId);
  const refused = refusal && !(last && Date.parse(last.time) > Date.parse(refusal.time));
  const attention: Attention[] = [
    ...(refused ? [{ kind: "access-refused" as const, time: refusal.time, message: refusal.message }] : []),
    ...(lc ? licenceErrorsOf(c, lc) : []),
  ];
  return attention.length > 0 ? { attention } : {};
}

export function customerStatus(c: CustomerPlan, lc: LiveCustomer | undefined, opts: StatusOptions): CustomerStatus {
  const pending = countKinds(c.actions);
  const consumed = (skuId: string) => lc?.skus.filter((k) => k.skuId === skuId).reduce((n, k) => n + k.consumedUnits, 0) ?? 0;
  const usersOnSource = consumed(c.source.skuId);
  const usersOnTarget = consumed(c.target.skuId);
  const targetSeats = lc?.skus.filter((k) => k.skuId === c.target.skuId).reduce((n, k) => n + k.totalUnits, 0) ?? 0;
  const excluded = c.counts.excluded;
  const source = lc ? sourceState(c, lc, opts) : ({ state: "unknown" } as const);
  const targetActive = lc?.subscriptions.some((s) => s.skuId === c.target.skuId && s.status === "active") ?? false;
  let progress: Progress;
  // Unread is not absent: a customer whose reads failed is blocked (its error says why), never "not found".
  if (!lc) progress = c.notes.some((n) => n.code === "read-failed") ? "blocked" : "not-found";
  else if (c.notes.some((n) => n.level === "error")) progress = "blocked";
  // Seats bought and provisioning: under way, though nothing is to be done until they arrive.
  else if (c.notes.some((n) => n.code === "awaiting-provisioning")) progress = "in-progress";
  // A change at renewal is scheduled: nothing to do until that date, and not done either.
  else if (c.notes.some((n) => n.code === "scheduled")) progress = "scheduled";
  else if (c.actions.length === 0) progress = "done";
  else if (targetActive || usersOnTarget > 0 || source.state !== "active") progress = "in-progress";
  else progress = "not-started";
  return {
    customerId: c.customerId,
    name: c.name,
    target: c.target.skuPartNumber,
    progress,
    usersOnTarget,
    usersOnSource,
    excluded,
    usersToMove: Math.max(0, usersOnSource - excluded),
    ...(progress === "scheduled" && c.sourceEndDate ? { scheduledOn: c.sourceEndDate } : {}),
    targetSeats,
    seatsToBuy: seatsToBuy(c),
    source,
    pending,
    // Licence assignment errors are named one by one in `attention`, not twice.
    notes: c.notes.filter((n) => n.level !== "info" && n.code !== "license-errors"),
  };
}

/** Seats the pending purchases and resizes add to the target. */
function seatsToBuy(c: CustomerPlan): number {
  return c.actions.reduce((n, a) => n + (a.kind === "purchase" ? a.quantity : a.kind === "resize" ? Math.max(0, a.to - a.from) : 0), 0);
}

function sourceState(c: CustomerPlan, lc: LiveCustomer, opts: StatusOptions): SourceState {
  const subs = lc.subscriptions.filter((s) => s.skuId === c.source.skuId);
  const active = subs.filter((s) => s.status === "active");
  if (active.length > 0) return { state: "active", subscriptions: active.length, endDate: c.sourceEndDate, daysLeft: c.daysLeft };
  const suspended = subs.filter((s) => s.status === "suspended");
  if (suspended.length > 0) {
    // The latest suspension decides when the last one is deprovisioned; unknown if any is unknown.
    const times = suspended.map((s) => opts.suspensions?.get(s.id));
    const known = times.every((t): t is string => t !== undefined);
    const suspendedAt = known ? times.reduce<string | undefined>((a, t) => (a === undefined || Date.parse(t) > Date.parse(a) ? t : a), undefined) : undefined;
    const deprovisionOn = suspendedAt === undefined ? undefined : addDays(suspendedAt, DEPROVISION_AFTER_DAYS);
    return {
      state: "suspended",
      subscriptions: suspended.length,
      suspendedAt,
      deprovisionOn,
      daysToDeprovision: deprovisionOn === undefined ? undefined : daysBetween(opts.now, deprovisionOn),
    };
  }
  if (subs.length > 0) return { state: "deprovisioned", subscriptions: subs.length };
  return { state: "none" };
}

/** Every total at 0, to add up. */
export function zeroTotals(): PlanStatusTotals {
  return {
    customers: 0,
    done: 0,
    inProgress: 0,
    scheduled: 0,
    notStarted: 0,
    blocked: 0,
    notFound: 0,
    usersOnTarget: 0,
    usersToMove: 0,
    excluded: 0,
    targetSeats: 0,
    seatsToBuy: 0,
  };
}

function totalsOf(rows: readonly CustomerStatus[]): PlanStatusTotals {
  const t: PlanStatusTotals = { ...zeroTotals(), customers: rows.length };
  for (const r of rows) {
    if (r.progress === "done") t.done++;
    else if (r.progress === "in-progress") t.inProgress++;
    else if (r.progress === "scheduled") t.scheduled++;
    else if (r.progress === "not-started") t.notStarted++;
    else if (r.progress === "blocked") t.blocked++;
    else t.notFound++;
    t.usersOnTarget += r.usersOnTarget;
    t.usersToMove += r.usersToMove;
    t.excluded += r.excluded;
    t.targetSeats += r.targetSeats;
    t.seatsToBuy += r.seatsToBuy;
  }
  return t;
}

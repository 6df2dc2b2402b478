/** Status reports built by hand for the report's tests: each fix gets the world that shows it. */
import { zeroCounts } from "../../src/actions/registry.js";
import type { SkuRef } from "../../src/plan-file/types.js";
import type { CustomerPlan } from "../../src/reconcile/types.js";
import type { ReportMeta } from "../../src/render/html/index.js";
import type { CustomerStatus, PlanStatus, PlanStatusTotals, StatusReport } from "../../src/status/types.js";

export const NOW = "2026-11-24T00:00:00Z";
export const META: ReportMeta = { generatedAt: "2026-11-24T09:30:00Z", plansHash: "ab".repeat(32), version: "9.8.7", warnDays: 30 };

export const SKYPE: SkuRef = { skuId: "b8b749f8-a4ef-4887-9539-c95b1eaa5db7", skuPartNumber: "MCOIMP", displayName: "Skype for Business Online (Plan 1)" };
export const F3: SkuRef = { skuId: "4b585984-651b-448a-9e53-3b10f069cf7f", skuPartNumber: "DESKLESSPACK", displayName: "Office 365 F3" };

/** Customer "a"'s plan (Skype → F3, no actions, no notes) as reconcile gives it to status; the test sets what it is about. */
export function customerPlan(extra: Partial<CustomerPlan> = {}): CustomerPlan {
  return {
    customerId: "a",
    name: "A",
    planName: "retire-skype",
    source: SKYPE,
    target: F3,
    sourceEndDate: "2027-03-31T00:00:00Z",
    daysLeft: 127,
    actions: [],
    notes: [],
    counts: { sourceHolders: 0, onTarget: 0, excluded: 0 },
    ...extra,
  };
}

/** A customer with nothing in particular: every field present, the test sets what it is about. */
export function customerStatus(id: string, name: string, extra: Partial<CustomerStatus> = {}): CustomerStatus {
  return {
    customerId: id,
    name,
    target: "DESKLESSPACK",
    progress: "not-started",
    usersOnTarget: 0,
    usersOnSource: 0,
    excluded: 0,
    usersToMove: 0,
    targetSeats: 0,
    seatsToBuy: 0,
    source: { state: "none" },
    pending: zeroCounts(),
    notes: [],
    ...extra,
  };
}

/** Totals as computeStatus adds them up. */
export function totalsOf(customers: readonly CustomerStatus[]): PlanStatusTotals {
  const by = (p: CustomerStatus["progress"]) => customers.filter((c) => c.progress === p).length;
  const sum = (f: (c: CustomerStatus) => number) => customers.reduce((n, c) => n + f(c), 0);
  return {
    customers: customers.length,
    done: by("done"),
    inProgress: by("in-progress"),
    scheduled: by("scheduled"),
    notStarted: by("not-started"),
    blocked: by("blocked"),
    notFound: by("not-found"),
    usersOnTarget: sum((c) => c.usersOnTarget),
    usersToMove: sum((c) => c.usersToMove),
    excluded: sum((c) => c.excluded),
    targetSeats: sum((c) => c.targetSeats),
    seatsToBuy: sum((c) => c.seatsToBuy),
  };
}

export function planStatus(name: string, customers: CustomerStatus[], extra: Partial<PlanStatus> = {}): PlanStatus {
  return { name, file: `plans/${name}.yaml`, source: "MCOIMP", target: "DESKLESSPACK", customers, totals: totalsOf(customers), ...extra };
}

export function report(...plans: PlanStatus[]): StatusReport {
  return { formatVersion: 1, now: NOW, plans };
}

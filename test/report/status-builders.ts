/** Status reports built by hand for the report's tests: each fix gets the world that shows it. */
import { zeroCounts } from "../../src/actions/registry.js";
import type { ReportMeta } from "../../src/render/html/index.js";
import type { CustomerStatus, PlanStatus, PlanStatusTotals, StatusReport } from "../../src/status/types.js";

export const NOW = "2026-11-24T00:00:00Z";
export const META: ReportMeta = { generatedAt: "2026-11-24T09:30:00Z", plansHash: "ab".repeat(32), version: "9.8.7", warnDays: 30 };

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

import type { ActionKind, CustomerPlan } from "./types.js";

export interface PlanSummary {
  purchase: number;
  resize: number;
  reassign: number;
  suspend: number;
  changedCustomers: number;
  unchangedCustomers: number;
  errors: number;
  warnings: number;
}

export function summarize(customers: readonly CustomerPlan[]): PlanSummary {
  const s: PlanSummary = { purchase: 0, resize: 0, reassign: 0, suspend: 0, changedCustomers: 0, unchangedCustomers: 0, errors: 0, warnings: 0 };
  for (const c of customers) {
    for (const a of c.actions) s[a.kind satisfies ActionKind]++;
    if (c.actions.length > 0) s.changedCustomers++;
    else s.unchangedCustomers++;
    for (const n of c.notes) {
      if (n.level === "error") s.errors++;
      else if (n.level === "warning") s.warnings++;
    }
  }
  return s;
}

export function totalChanges(s: PlanSummary): number {
  return s.purchase + s.resize + s.reassign + s.suspend;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The one-line verdict every format shares. */
export function summaryLine(s: PlanSummary): string {
  if (totalChanges(s) === 0) {
    return s.errors > 0 ? `No changes can be made: ${count(s.errors, "error", "errors")}.` : "No changes. Live state matches the plans.";
  }
  const parts = [
    count(s.purchase, "purchase", "purchases"),
    count(s.resize, "resize", "resizes"),
    count(s.reassign, "reassignment", "reassignments"),
    count(s.suspend, "suspension", "suspensions"),
  ].join(", ");
  const errors = s.errors > 0 ? `; ${count(s.errors, "error", "errors")}` : "";
  return `Plan: ${parts} across ${count(s.changedCustomers, "customer", "customers")} (${s.unchangedCustomers} unchanged)${errors}.`;
}

import { ACTION_KINDS, describeCounts, kindOf, totalOf, zeroCounts, type ActionKindName } from "../actions/registry.js";
import { plural } from "../util/plural.js";
import type { CustomerPlan } from "./types.js";

/** Actions per kind (every registered kind, 0 when none), plus customers and notes. */
export type PlanSummary = Record<ActionKindName, number> & {
  changedCustomers: number;
  /** Customers with nothing to do and no error: a customer an error blocks is counted by its error, never as unchanged too. */
  unchangedCustomers: number;
  /** Customers waiting for a change scheduled at their renewal (`strategy: at-renewal`): work remains. Absent when none. */
  scheduled?: number;
  errors: number;
  warnings: number;
};

/** The kinds the one-line summary always names; others only when present. */
const ALWAYS_NAMED: readonly ActionKindName[] = ACTION_KINDS.filter((k) => kindOf(k)?.alwaysInSummary);

export function summarize(customers: readonly CustomerPlan[]): PlanSummary {
  const s: PlanSummary = { ...zeroCounts(), changedCustomers: 0, unchangedCustomers: 0, errors: 0, warnings: 0 };
  for (const c of customers) {
    for (const a of c.actions) s[a.kind]++;
    if (c.actions.length > 0) s.changedCustomers++;
    else if (c.notes.some((n) => n.code === "scheduled")) s.scheduled = (s.scheduled ?? 0) + 1;
    else if (!c.notes.some((n) => n.level === "error")) s.unchangedCustomers++;
    for (const n of c.notes) {
      if (n.level === "error") s.errors++;
      else if (n.level === "warning") s.warnings++;
    }
  }
  return s;
}

export function totalChanges(s: PlanSummary): number {
  return totalOf(s);
}

/** Work remains: changes to make now, or customers waiting for a change scheduled at renewal (`plan --detailed-exitcode` exits 2). */
export function workRemains(s: PlanSummary): boolean {
  return totalChanges(s) > 0 || (s.scheduled ?? 0) > 0;
}

/** The one-line verdict every format shares. */
export function summaryLine(s: PlanSummary): string {
  const scheduled = s.scheduled ? `${plural(s.scheduled, "customer", "customers")} scheduled to change at renewal` : "";
  if (totalChanges(s) === 0 && scheduled)
    return `No changes now; ${scheduled} (work remains after that date)${s.errors > 0 ? `; ${plural(s.errors, "error", "errors")}` : ""}.`;
  if (totalChanges(s) === 0) {
    return s.errors > 0 ? `No changes can be made: ${plural(s.errors, "error", "errors")}.` : "No changes. Live state matches the plans.";
  }
  const parts = describeCounts(s, ALWAYS_NAMED);
  const errors = s.errors > 0 ? `; ${plural(s.errors, "error", "errors")}` : "";
  return `Plan: ${parts} across ${plural(s.changedCustomers, "customer", "customers")} (${s.unchangedCustomers} unchanged${scheduled ? `, ${scheduled}` : ""})${errors}.`;
}

import type { CheckedPlan } from "./check-plan.js";
import type { Diagnostic, SourcePosition } from "./types.js";

const where = (p: SourcePosition) => `${p.file}:${p.line}:${p.col}`;

/**
 * Plan names and customers must be unique across all plans: two plans moving one customer
 * would race each other. Plans are visited in file order; the later occurrence is the error.
 * Returns the plans that gained an error here.
 */
export function checkAcrossPlans(plans: readonly CheckedPlan[], out: Diagnostic[]): Set<CheckedPlan> {
  const failed = new Set<CheckedPlan>();
  const names = new Map<string, CheckedPlan>();
  const customers = new Map<string, { plan: CheckedPlan; at: SourcePosition }>();
  for (const plan of plans) {
    const other = names.get(plan.name);
    if (other) {
      out.push({
        severity: "error",
        code: "duplicate-plan-name",
        ...plan.nameAt,
        path: "metadata.name",
        message: `plan name "${plan.name}" is already used at ${where(other.nameAt)}`,
      });
      failed.add(plan);
    } else names.set(plan.name, plan);

    plan.customers.forEach((c, i) => {
      const first = customers.get(c.id);
      if (!first) customers.set(c.id, { plan, at: c.at });
      else if (first.plan !== plan) {
        out.push({
          severity: "error",
          code: "duplicate-customer",
          ...c.at,
          path: `spec.customers[${i}].id`,
          message: `customer ${c.id} is already in plan "${first.plan.name}" (${where(first.at)})`,
        });
        failed.add(plan);
      }
    });
  }
  return failed;
}

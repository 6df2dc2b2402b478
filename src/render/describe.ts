import type { Action, CustomerPlan, Note } from "../reconcile/types.js";

/** Shared wording of actions and notes, so text, markdown and show agree. */
export const MARKER: Record<Action["kind"], string> = { purchase: "+", resize: "~", reassign: "~", suspend: "-" };

export function describeAction(a: Action): string {
  switch (a.kind) {
    case "purchase":
      return `purchase ${a.sku.skuPartNumber} × ${a.quantity} (offer ${a.offerName}, ${a.offerId})`;
    case "resize":
      return `resize ${a.sku.skuPartNumber} subscription ${a.subscriptionId}: ${a.from} → ${a.to} seats`;
    case "reassign":
      return a.assign
        ? `reassign ${a.upn}: ${a.remove.skuPartNumber} → ${a.assign.skuPartNumber}`
        : `reassign ${a.upn}: remove ${a.remove.skuPartNumber} (already holds the target)`;
    case "suspend":
      return `suspend ${a.sku.skuPartNumber} subscription ${a.subscriptionId} (${a.quantity} seats; deprovisioned 120 days after suspension)`;
  }
}

export function describeNote(n: Note): string {
  return `${n.level}: ${n.message}`;
}

export function deadlineText(c: CustomerPlan): string | undefined {
  if (c.sourceEndDate === undefined || c.daysLeft === undefined) return undefined;
  const date = c.sourceEndDate.slice(0, 10);
  if (c.daysLeft < 0) return `source ended ${date} (${-c.daysLeft} days ago)`;
  return `source ends ${date} (${c.daysLeft} day${c.daysLeft === 1 ? "" : "s"} left)`;
}

export function customerHeading(c: CustomerPlan): string {
  return `${c.name} (${c.customerId})`;
}

export function planLine(c: CustomerPlan): string {
  const deadline = deadlineText(c);
  return `plan ${c.planName}: ${c.source.skuPartNumber} → ${c.target.skuPartNumber}${deadline ? ` · ${deadline}` : ""}`;
}

/** Customers worth showing: those with actions or with something to say. */
export function shown(customers: readonly CustomerPlan[]): CustomerPlan[] {
  return customers.filter((c) => c.actions.length > 0 || c.notes.some((n) => n.level !== "info"));
}

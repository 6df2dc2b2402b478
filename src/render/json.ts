import { summarize, summaryLine, type PlanSummary } from "../reconcile/summary.js";
import { kindOf, type ActionKindName } from "../actions/registry.js";
import type { Action, CustomerPlan, LicenceAccess, Note } from "../reconcile/types.js";

/** `--format json`, documented in docs/json-format.md. Bump formatVersion on breaking changes. */
export interface JsonPreview {
  formatVersion: 1;
  summary: PlanSummary & { line: string };
  customers: {
    id: string;
    name: string;
    plan: string;
    source: string;
    target: string;
    sourceEndDate: string | null;
    daysLeft: number | null;
    notes: Note[];
    /** What the credential may do with the customer's licences and how pcplan knows (docs/json-format.md); null where not asked. */
    access: LicenceAccess | null;
    actions: JsonAction[];
  }[];
}

/** One action as documented per kind in docs/json-format.md; each kind writes its own (src/actions/). */
export type JsonAction = { kind: ActionKindName } & Record<string, unknown>;

export function toJsonPreview(customers: readonly CustomerPlan[]): JsonPreview {
  const summary = summarize(customers);
  return {
    formatVersion: 1,
    summary: { ...summary, line: summaryLine(summary) },
    customers: customers.map((c) => ({
      id: c.customerId,
      name: c.name,
      plan: c.planName,
      source: c.source.skuPartNumber,
      target: c.target.skuPartNumber,
      sourceEndDate: c.sourceEndDate ?? null,
      daysLeft: c.daysLeft ?? null,
      notes: c.notes,
      access: c.access ?? null,
      actions: c.actions.map(jsonAction),
    })),
  };
}

/** One action in its documented JSON form (each kind writes its own, src/actions/). */
export function jsonAction(a: Action): JsonAction {
  return kindOf(a).toJson(a);
}

export function renderJson(customers: readonly CustomerPlan[]): string {
  return JSON.stringify(toJsonPreview(customers), null, 2) + "\n";
}

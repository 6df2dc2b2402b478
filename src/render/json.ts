import { summarize, summaryLine, type PlanSummary } from "../reconcile/summary.js";
import type { Action, CustomerPlan, Note } from "../reconcile/types.js";

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
    actions: JsonAction[];
  }[];
}

export type JsonAction =
  | { kind: "purchase"; offerId: string; offerName: string; sku: string; skuId: string; quantity: number }
  | { kind: "resize"; subscriptionId: string; sku: string; skuId: string; from: number; to: number }
  | { kind: "reassign"; userId: string; userPrincipalName: string; assign: string | null; assignSkuId: string | null; remove: string; removeSkuId: string }
  | { kind: "suspend"; subscriptionId: string; sku: string; skuId: string; quantity: number; commitmentEndDate: string | null };

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
      actions: c.actions.map(jsonAction),
    })),
  };
}

function jsonAction(a: Action): JsonAction {
  switch (a.kind) {
    case "purchase":
      return { kind: a.kind, offerId: a.offerId, offerName: a.offerName, sku: a.sku.skuPartNumber, skuId: a.sku.skuId, quantity: a.quantity };
    case "resize":
      return { kind: a.kind, subscriptionId: a.subscriptionId, sku: a.sku.skuPartNumber, skuId: a.sku.skuId, from: a.from, to: a.to };
    case "reassign":
      return {
        kind: a.kind,
        userId: a.userId,
        userPrincipalName: a.upn,
        assign: a.assign?.skuPartNumber ?? null,
        assignSkuId: a.assign?.skuId ?? null,
        remove: a.remove.skuPartNumber,
        removeSkuId: a.remove.skuId,
      };
    case "suspend":
      return { kind: a.kind, subscriptionId: a.subscriptionId, sku: a.sku.skuPartNumber, skuId: a.sku.skuId, quantity: a.quantity, commitmentEndDate: a.commitmentEndDate ?? null };
  }
}

export function renderJson(customers: readonly CustomerPlan[]): string {
  return JSON.stringify(toJsonPreview(customers), null, 2) + "\n";
}

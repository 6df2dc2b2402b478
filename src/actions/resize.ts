import type { SkuRef } from "../plan-file/types.js";
import { constant, count, lowercaseGuid, objectOf, positive } from "../util/json-schema.js";
import { skuRef } from "./shapes.js";
import type { ActionKind } from "./types.js";

/** Raise the seats of the target subscription the customer already has (never buy a second one). */
export interface ResizeAction {
  kind: "resize";
  subscriptionId: string;
  sku: SkuRef;
  from: number;
  to: number;
}

export const resizeKind: ActionKind<ResizeAction> = {
  kind: "resize",
  step: "seats",
  marker: "~",
  noun: { one: "resize", many: "resizes" },
  alwaysInSummary: true,
  permission: "commerce",
  liveFields: ["id", "skuId", "status", "quantity"],
  describe: (a) => `resize ${a.sku.skuPartNumber} subscription ${a.subscriptionId}: ${a.from} → ${a.to} seats`,
  toJson: (a) => ({ kind: a.kind, subscriptionId: a.subscriptionId, sku: a.sku.skuPartNumber, skuId: a.sku.skuId, from: a.from, to: a.to }),
  shape: objectOf<ResizeAction>({ kind: constant("resize"), subscriptionId: lowercaseGuid, sku: skuRef, from: count, to: positive }),
  subject: (a) => a.subscriptionId,
  applyToLive: (lc, a) => ({ ...lc, subscriptions: lc.subscriptions.map((s) => (s.id === a.subscriptionId ? { ...s, quantity: a.to } : s)) }),
};

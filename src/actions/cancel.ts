import type { SkuRef } from "../plan-file/types.js";
import { constant, count, lowercaseGuid, objectOf, text } from "../util/json-schema.js";
import { skuRef } from "./shapes.js";
import type { ActionKind } from "./types.js";

/**
 * Cancel a new-commerce source subscription nobody holds, inside its cancellation window
 * (7 days after purchase or renewal): it ends now with a prorated refund. After the window the
 * service refuses; the diff then turns auto-renew off instead (decommission: auto).
 */
export interface CancelAction {
  kind: "cancel";
  subscriptionId: string;
  sku: SkuRef;
  quantity: number;
  cancellationAllowedUntil: string;
}

export const cancelKind: ActionKind<CancelAction> = {
  kind: "cancel",
  step: "retire",
  marker: "-",
  noun: { one: "cancellation", many: "cancellations" },
  permission: "commerce",
  liveFields: ["id", "skuId", "status", "commerce", "cancellationAllowedUntil"],
  describe: (a) =>
    `cancel ${a.sku.skuPartNumber} subscription ${a.subscriptionId} (${a.quantity} seats; ends now with a prorated refund: its cancellation window is open until ${a.cancellationAllowedUntil.slice(0, 16).replace("T", " ")} UTC)`,
  toJson: (a) => ({
    kind: a.kind,
    subscriptionId: a.subscriptionId,
    sku: a.sku.skuPartNumber,
    skuId: a.sku.skuId,
    quantity: a.quantity,
    cancellationAllowedUntil: a.cancellationAllowedUntil,
  }),
  shape: objectOf<CancelAction>({ kind: constant("cancel"), subscriptionId: lowercaseGuid, sku: skuRef, quantity: count, cancellationAllowedUntil: text }),
  subject: (a) => a.subscriptionId,
  applyToLive: (lc, a) => ({ ...lc, subscriptions: lc.subscriptions.map((s) => (s.id === a.subscriptionId ? { ...s, status: "deleted" } : s)) }),
};

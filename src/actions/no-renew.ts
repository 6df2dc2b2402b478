import type { SkuRef } from "../plan-file/types.js";
import { constant, count, lowercaseGuid, nullable, objectOf, text } from "../util/json-schema.js";
import { skuRef } from "./shapes.js";
import type { ActionKind } from "./types.js";

/**
 * Turn auto-renew off on a source subscription nobody holds: it runs (and is billed) to the end
 * of its term, then ends. What `decommission: auto` does to a new-commerce source once its
 * cancellation window has closed (suspending it would stop the service but not the bill).
 */
export interface NoRenewAction {
  kind: "no-renew";
  subscriptionId: string;
  sku: SkuRef;
  quantity: number;
  commitmentEndDate: string | null;
}

export const noRenewKind: ActionKind<NoRenewAction> = {
  kind: "no-renew",
  step: "retire",
  marker: "-",
  noun: { one: "auto-renew turned off", many: "auto-renews turned off" },
  permission: "commerce",
  liveFields: ["id", "skuId", "status", "autoRenewEnabled", "commitmentEndDate"],
  describe: (a) => {
    const end = a.commitmentEndDate?.slice(0, 10);
    return `turn off auto-renew of ${a.sku.skuPartNumber} subscription ${a.subscriptionId} (${a.quantity} seats; ${end ? `ends ${end}, billed until then` : "ends at its term end, billed until then"})`;
  },
  toJson: (a) => ({
    kind: a.kind,
    subscriptionId: a.subscriptionId,
    sku: a.sku.skuPartNumber,
    skuId: a.sku.skuId,
    quantity: a.quantity,
    commitmentEndDate: a.commitmentEndDate,
  }),
  shape: objectOf<NoRenewAction>({
    kind: constant("no-renew"),
    subscriptionId: lowercaseGuid,
    sku: skuRef,
    quantity: count,
    commitmentEndDate: nullable(text),
  }),
  subject: (a) => a.subscriptionId,
  applyToLive: (lc, a) => ({ ...lc, subscriptions: lc.subscriptions.map((s) => (s.id === a.subscriptionId ? { ...s, autoRenewEnabled: false } : s)) }),
};

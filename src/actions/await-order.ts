import type { SkuRef } from "../plan-file/types.js";
import type { LiveCustomer } from "../model/live-state.js";
import { arrayOf, constant, count, nullable, objectOf, text } from "../util/json-schema.js";
import { skuRef } from "./shapes.js";
import { comingSubscription, withSubscription } from "./purchase.js";
import type { ActionKind } from "./types.js";

/**
 * Wait for orders placed earlier (by another run, another runner without this folder's journal,
 * or a person) until they settle, as `apply` waits for its own: an order in flight is work not
 * done, never "no changes". `sku` and `quantity`: the target seats they bring, when every line is
 * of the customer's target (the later steps are planned on them); `sku` null when they buy
 * something else (the plan's target changed) or their lines are unknown — then nothing else is
 * planned for the customer until they settle, and no purchase of any SKU is made before.
 */
export interface AwaitOrderAction {
  kind: "await";
  orderIds: string[];
  sku: SkuRef | null;
  quantity: number;
}

export const awaitOrderKind: ActionKind<AwaitOrderAction> = {
  kind: "await",
  step: "seats",
  marker: "~",
  noun: { one: "order awaited", many: "orders awaited" },
  permission: "commerce",
  liveFields: ["id", "offerId", "skuId", "status", "quantity"],
  describe: (a) => {
    const orders = `order${a.orderIds.length === 1 ? "" : "s"} ${a.orderIds.join(", ")}`;
    return a.sku
      ? `await ${orders} (${a.sku.skuPartNumber} × ${a.quantity}), placed earlier and still provisioning`
      : `await ${orders}, placed earlier and not settled yet: nothing is bought for this customer until it settles`;
  },
  toJson: (a) => ({ kind: a.kind, orderIds: a.orderIds, sku: a.sku?.skuPartNumber ?? null, skuId: a.sku?.skuId ?? null, quantity: a.quantity }),
  shape: objectOf<AwaitOrderAction>({ kind: constant("await"), orderIds: arrayOf(text), sku: nullable(skuRef), quantity: count }),
  subject: (a) => a.orderIds.join(","),
  applyToLive: (lc, a): LiveCustomer =>
    a.sku
      ? withSubscription(
          lc,
          a.sku,
          // What the order's lines will be sold as is not known here: only the SKU and seats matter.
          comingSubscription({
            id: "(awaited)",
            offerId: "",
            skuId: a.sku.skuId,
            commerce: "legacy",
            quantity: a.quantity,
            termDuration: undefined,
            billingCycle: "monthly",
          }),
        )
      : lc,
};

import { PcplanError } from "../errors.js";
import type { SkuRef } from "../plan-file/types.js";
import { commerceBasis } from "../reconcile/commerce-basis.js";
import type { LiveCustomer } from "../reconcile/types.js";
import { object, oneOf, positive, skuRef, str } from "../util/shape-check.js";
import { derivedGuid } from "./request-id.js";
import type { ActionKind } from "./types.js";

/** Buy the target: `quantity` new seats in a new subscription (only when no target subscription exists). */
export interface PurchaseAction {
  kind: "purchase";
  commerce: "legacy";
  /** The legacy offer that provisions the target SKU. */
  offerId: string;
  offerName: string;
  sku: SkuRef;
  quantity: number;
}

export const purchaseKind: ActionKind<PurchaseAction> = {
  kind: "purchase",
  step: "seats",
  marker: "+",
  noun: { one: "purchase", many: "purchases" },
  permission: "commerce",
  liveFields: ["id", "offerId", "skuId", "status", "quantity"],
  describe: (a) => `purchase ${a.sku.skuPartNumber} × ${a.quantity} (offer ${a.offerName}, ${a.offerId})`,
  toJson: (a) => ({ kind: a.kind, commerce: a.commerce, offerId: a.offerId, offerName: a.offerName, sku: a.sku.skuPartNumber, skuId: a.sku.skuId, quantity: a.quantity }),
  shape: object({ kind: str, commerce: oneOf("legacy"), offerId: str, offerName: str, sku: skuRef, quantity: positive }),
  subject: (a) => a.offerId,
  applyToLive: (lc, a): LiveCustomer => ({
    ...lc,
    subscriptions: [...lc.subscriptions, newSubscription(a)],
    skus: lc.skus.some((k) => k.skuId === a.sku.skuId)
      ? lc.skus
      : [...lc.skus, { skuId: a.sku.skuId, skuPartNumber: a.sku.skuPartNumber, consumedUnits: 0, totalUnits: 0 }],
  }),
  // Same customer, offer, seats and subscriptions → same id: a run that died after the service
  // took the order sends the same id again, and the service replays the order.
  derivedRequestId: (customerId, a, basis) => derivedGuid("pcplan/purchase", customerId, a.offerId, String(a.quantity), basis),
  async precheck(ctx) {
    // Another run (or a person) may have bought since this customer was read: the decision
    // rests on the customer's subscriptions, so they must be what they were.
    const now = commerceBasis(await ctx.api.listSubscriptions(ctx.customerId));
    if (now !== ctx.basis) {
      throw new PcplanError("STALE", "the customer's subscriptions changed since they were read (another run or a person may have bought); nothing was bought. Run plan again");
    }
  },
  async perform(ctx, a) {
    await ctx.api.createOrder(
      ctx.customerId,
      { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: a.offerId, quantity: a.quantity, friendlyName: a.offerName }] },
      { requestId: ctx.requestId },
    );
  },
};

function newSubscription(a: PurchaseAction): LiveCustomer["subscriptions"][number] {
  return {
    id: "(new)",
    offerId: a.offerId,
    skuId: a.sku.skuId,
    commerce: a.commerce,
    quantity: a.quantity,
    status: "active",
    autoRenewEnabled: true,
    commitmentEndDate: undefined,
    creationDate: undefined,
    cancellationAllowedUntil: undefined,
  };
}

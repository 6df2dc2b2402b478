import type { BillingCycle, SkuRef, Term } from "../plan-file/types.js";
import type { LiveCustomer } from "../model/live-state.js";
import { constant, objectOf, positive, taggedUnion, text } from "../util/json-schema.js";
import { billing, skuRef, term } from "./shapes.js";
import { derivedGuid } from "./request-id.js";
import type { ActionKind } from "./types.js";

/**
 * Buy the target: `quantity` seats in a new subscription (only when the customer has no target
 * subscription). Through new commerce, a cart of the catalog item with the plan's term and
 * billing, checked out, then waited on until provisioned; through a legacy order where the
 * catalog does not offer the target.
 */
export type PurchaseAction = { kind: "purchase"; sku: SkuRef; quantity: number } & (
  | { commerce: "legacy"; offerId: string; offerName: string }
  | { commerce: "new"; catalogItem: string; title: string; term: Term; billing: BillingCycle; country: string }
);

/** What a purchase buys, as one string: the legacy offer, or the catalog item with its term, billing and country. */
const itemOf = (a: PurchaseAction): string => (a.commerce === "legacy" ? a.offerId : `${a.catalogItem}|${a.term}|${a.billing}|${a.country}`);

type LegacyPurchase = Extract<PurchaseAction, { commerce: "legacy" }>;
type NewCommercePurchase = Extract<PurchaseAction, { commerce: "new" }>;

export const purchaseKind: ActionKind<PurchaseAction> = {
  kind: "purchase",
  step: "seats",
  marker: "+",
  noun: { one: "purchase", many: "purchases" },
  alwaysInSummary: true,
  permission: "commerce",
  liveFields: ["id", "offerId", "skuId", "status", "quantity"],
  describe: (a) =>
    a.commerce === "legacy"
      ? `purchase ${a.sku.skuPartNumber} × ${a.quantity} (legacy offer ${a.offerName}, ${a.offerId})`
      : `purchase ${a.sku.skuPartNumber} × ${a.quantity} (new commerce: ${a.title}, ${a.catalogItem}, ${a.term} billed ${a.billing}, ${a.country})`,
  toJson: (a) =>
    a.commerce === "legacy"
      ? { kind: a.kind, commerce: a.commerce, offerId: a.offerId, offerName: a.offerName, sku: a.sku.skuPartNumber, skuId: a.sku.skuId, quantity: a.quantity }
      : {
          kind: a.kind,
          commerce: a.commerce,
          catalogItem: a.catalogItem,
          title: a.title,
          term: a.term,
          billing: a.billing,
          country: a.country,
          sku: a.sku.skuPartNumber,
          skuId: a.sku.skuId,
          quantity: a.quantity,
        },
  shape: taggedUnion<PurchaseAction, "commerce">("commerce", {
    legacy: objectOf<LegacyPurchase>({
      kind: constant("purchase"),
      commerce: constant("legacy"),
      offerId: text,
      offerName: text,
      sku: skuRef,
      quantity: positive,
    }),
    new: objectOf<NewCommercePurchase>({
      kind: constant("purchase"),
      commerce: constant("new"),
      catalogItem: text,
      title: text,
      term,
      billing,
      country: text,
      sku: skuRef,
      quantity: positive,
    }),
  }),
  subject: (a) => (a.commerce === "legacy" ? a.offerId : a.catalogItem),
  applyToLive: (lc, a): LiveCustomer => ({
    ...lc,
    subscriptions: [...lc.subscriptions, newSubscription(a)],
    skus: lc.skus.some((k) => k.skuId === a.sku.skuId)
      ? lc.skus
      : [...lc.skus, { skuId: a.sku.skuId, skuPartNumber: a.sku.skuPartNumber, consumedUnits: 0, totalUnits: 0 }],
  }),
  // Same customer, item, seats and subscriptions → same id: a run that died after the service
  // took the order (or the cart) sends the same id again, and the service replays it.
  derivedRequestId: (customerId, a, basis) => derivedGuid("pcplan/purchase", customerId, itemOf(a), String(a.quantity), basis),
};

function newSubscription(a: PurchaseAction): LiveCustomer["subscriptions"][number] {
  return {
    id: "(new)",
    offerId: a.commerce === "legacy" ? a.offerId : a.catalogItem,
    skuId: a.sku.skuId,
    unmapped: undefined,
    commerce: a.commerce === "legacy" ? "legacy" : "nce",
    quantity: a.quantity,
    status: "active",
    autoRenewEnabled: true,
    commitmentEndDate: undefined,
    creationDate: undefined,
    cancellationAllowedUntil: undefined,
    termDuration: a.commerce === "new" ? a.term : undefined,
    billingCycle: a.commerce === "new" ? a.billing : "monthly",
  };
}

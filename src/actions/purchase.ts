import type { BillingCycle, SkuRef, Term } from "../plan-file/types.js";
import type { LiveCustomer } from "../model/live-state.js";
import { constant, objectOf, oneOf, positive, taggedUnion, text, withOptional } from "../util/json-schema.js";
import { billing, skuRef, term } from "./shapes.js";
import { derivedGuid, stateOf } from "./request-id.js";
import type { ActionKind } from "./types.js";

/**
 * Buy the target: `quantity` seats in a new subscription (only when the customer has no target
 * subscription). Through new commerce, a cart of the catalog item with the plan's term and
 * billing, checked out, then waited on until provisioned; through a legacy order where the
 * catalog does not offer the target.
 */
export type PurchaseAction = { kind: "purchase"; sku: SkuRef; quantity: number } & (
  | { commerce: "legacy"; offerId: string; offerName: string }
  | {
      commerce: "new";
      catalogItem: string;
      title: string;
      term: Term;
      billing: BillingCycle;
      country: string;
      /**
       * The first term's end when co-termed (`purchase.termEnd`): a date Partner Center allows
       * (custom-term-end-dates), sent as the cart line's `customTermEndDate`; absent: the full term.
       */
      termEnd?: { date: string; aligned: "source" | "calendar-month" };
    }
);

/**
 * What a purchase buys, as one string: the legacy offer, or the catalog item with its term,
 * billing, country and (when co-termed) its first term's end — another end date is another purchase.
 */
const itemOf = (a: PurchaseAction): string =>
  a.commerce === "legacy" ? a.offerId : `${a.catalogItem}|${a.term}|${a.billing}|${a.country}${a.termEnd ? `|${a.termEnd.date}` : ""}`;

/** The preview's words for a co-termed first term, or nothing. */
const endsOn = (a: NewCommercePurchase): string =>
  a.termEnd === undefined
    ? ""
    : `; first term ends ${a.termEnd.date.slice(0, 10)}, ${a.termEnd.aligned === "source" ? "with the source's" : "a calendar month's end"}`;

/** Whether a subscription (or order line) of this offer id is of what the purchase buys: the legacy offer, or any availability of the catalog item. */
export function buys(a: PurchaseAction, offerId: string): boolean {
  return a.commerce === "legacy" ? offerId.toLowerCase() === a.offerId.toLowerCase() : offerId.toUpperCase().startsWith(`${a.catalogItem.toUpperCase()}:`);
}

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
      : `purchase ${a.sku.skuPartNumber} × ${a.quantity} (new commerce: ${a.title}, ${a.catalogItem}, ${a.term} billed ${a.billing}, ${a.country}${endsOn(a)})`,
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
          ...(a.termEnd ? { termEnd: { date: a.termEnd.date, aligned: a.termEnd.aligned } } : {}),
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
    new: withOptional<NewCommercePurchase, Pick<NewCommercePurchase, "termEnd">>(
      objectOf<Omit<NewCommercePurchase, "termEnd">>({
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
      { termEnd: objectOf<NonNullable<NewCommercePurchase["termEnd"]>>({ date: text, aligned: oneOf("source", "calendar-month") }) },
    ),
  }),
  subject: (a) => (a.commerce === "legacy" ? a.offerId : a.catalogItem),
  applyToLive: (lc, a) => withSubscription(lc, a.sku, newSubscription(a)),
  // Same customer, item, seats and subscriptions of that item → same id: a run that died after the
  // service took the order (or the cart) sends the same id again, and the service replays it. Only
  // the item's own subscriptions count: an unrelated change to another subscription of the
  // customer (while the bought one is not listed yet) must not make a repeat look like a new purchase.
  derivedRequestId: (customerId, a, subscriptions) =>
    derivedGuid("pcplan/purchase", customerId, itemOf(a), String(a.quantity), stateOf(subscriptions.filter((s) => buys(a, s.offerId)))),
};

/** The live customer with one more subscription of the SKU (and the SKU among its subscribed SKUs). */
export function withSubscription(lc: LiveCustomer, sku: SkuRef, subscription: LiveCustomer["subscriptions"][number]): LiveCustomer {
  return {
    ...lc,
    subscriptions: [...lc.subscriptions, subscription],
    skus: lc.skus.some((k) => k.skuId === sku.skuId)
      ? lc.skus
      : [...lc.skus, { skuId: sku.skuId, skuPartNumber: sku.skuPartNumber, consumedUnits: 0, totalUnits: 0 }],
  };
}

type LiveSub = LiveCustomer["subscriptions"][number];

/** A subscription that will exist once bought: active, renewing, without dates yet. */
export function comingSubscription(s: Pick<LiveSub, "id" | "offerId" | "skuId" | "commerce" | "quantity" | "termDuration" | "billingCycle">): LiveSub {
  return {
    ...s,
    unmapped: undefined,
    status: "active",
    autoRenewEnabled: true,
    commitmentEndDate: undefined,
    creationDate: undefined,
    cancellationAllowedUntil: undefined,
  };
}

function newSubscription(a: PurchaseAction): LiveSub {
  return comingSubscription({
    id: "(new)",
    offerId: a.commerce === "legacy" ? a.offerId : a.catalogItem,
    skuId: a.sku.skuId,
    commerce: a.commerce === "legacy" ? "legacy" : "nce",
    quantity: a.quantity,
    termDuration: a.commerce === "new" ? a.term : undefined,
    billingCycle: a.commerce === "new" ? a.billing : "monthly",
  });
}

import { failedCarts, openCart } from "../apply/purchase-journal.js";
import { PcplanError } from "../errors.js";
import { purchasableAvailability } from "../live/read-catalog.js";
import { assertCartAccepted, assertCheckoutSucceeded } from "../partner-center/commerce-errors.js";
import type { Cart } from "../partner-center/types.js";
import type { BillingCycle, SkuRef, Term } from "../plan-file/types.js";
import { commerceBasis } from "../reconcile/commerce-basis.js";
import type { LiveCustomer } from "../reconcile/types.js";
import { object, oneOf, positive, skuRef, str, type Check } from "../util/shape-check.js";
import { awaitProvisioning } from "./provisioning.js";
import { derivedGuid } from "./request-id.js";
import type { ActionKind, PerformContext } from "./types.js";

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

const shapes: Record<PurchaseAction["commerce"], Check> = {
  legacy: object({ kind: str, commerce: str, offerId: str, offerName: str, sku: skuRef, quantity: positive }),
  new: object({
    kind: str,
    commerce: str,
    catalogItem: str,
    title: str,
    term: oneOf("P1M", "P1Y", "P3Y"),
    billing: oneOf("monthly", "annual", "triennial"),
    country: str,
    sku: skuRef,
    quantity: positive,
  }),
};

export const purchaseKind: ActionKind<PurchaseAction> = {
  kind: "purchase",
  step: "seats",
  marker: "+",
  noun: { one: "purchase", many: "purchases" },
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
  shape: (v, p) => {
    const commerce = (v as { commerce?: unknown }).commerce;
    return commerce === "legacy" || commerce === "new" ? shapes[commerce](v, p) : `${p}.commerce: must be one of legacy, new`;
  },
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
  async precheck(ctx, a) {
    // Another run (or a person) may have bought since this customer was read: the decision
    // rests on the customer's subscriptions and on no order for the target being in flight.
    const [subscriptions, orders] = await Promise.all([ctx.api.listSubscriptions(ctx.customerId), ctx.api.listOrders(ctx.customerId)]);
    if (commerceBasis(subscriptions) !== ctx.basis) {
      throw new PcplanError(
        "STALE",
        "the customer's subscriptions changed since they were read (another run or a person may have bought); nothing was bought. Run plan again",
      );
    }
    const buys = (offerId: string) => (a.commerce === "legacy" ? offerId.toLowerCase() === a.offerId : offerId.toUpperCase().startsWith(`${a.catalogItem}:`));
    const inFlight = orders.find(
      (o) =>
        String(o.status ?? "")
          .trim()
          .toLowerCase() === "pending" && o.lineItems.some((l) => buys(l.offerId)),
    );
    if (inFlight)
      throw new PcplanError("STALE", `order ${inFlight.id} for ${a.sku.skuPartNumber} is still provisioning; nothing was bought. Run plan again once it has`);
  },
  async perform(ctx, a) {
    if (a.commerce === "legacy") {
      await ctx.api.createOrder(
        ctx.customerId,
        { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: a.offerId, quantity: a.quantity, friendlyName: a.offerName }] },
        { requestId: ctx.requestId },
      );
      return;
    }
    await buyThroughCart(ctx, a);
  },
};

/**
 * Cart → checkout → provisioned. A cart this customer already has for the same item and seats
 * (a run died before its checkout) is checked out again rather than a new one made: checkout is
 * idempotent per cart, so the service answers with the first result if it had taken it.
 */
async function buyThroughCart(ctx: PerformContext, a: Extract<PurchaseAction, { commerce: "new" }>): Promise<void> {
  const { api, customerId, commerce } = ctx;
  const journal = commerce.journal;
  const entries = await journal.entries(customerId);
  let cartId = openCart(entries, a.catalogItem, a.quantity);
  const failed = { customerId, item: a.catalogItem, quantity: a.quantity, phase: "failed" } as const;
  let cart: Cart;
  if (cartId) {
    cart = await api.getCart(customerId, cartId);
  } else {
    const [productId = "", skuId = ""] = a.catalogItem.split(":");
    // Availability ids change over time: resolved now, just before buying, never stored.
    const availability = purchasableAvailability(await api.listAvailabilities(productId, skuId, a.country), a.term, a.billing);
    if (!availability)
      throw new PcplanError(
        "CATALOG",
        `no purchasable availability of ${a.catalogItem} in ${a.country} sells a ${a.term} term billed ${a.billing} any more; nothing was bought`,
      );
    const retries = failedCarts(entries, a.catalogItem, a.quantity);
    const requestId = retries === 0 ? ctx.requestId : derivedGuid("pcplan/cart-after-failures", ctx.requestId, String(retries));
    if (requestId !== ctx.requestId) await ctx.auditWrite(a.catalogItem, requestId);
    cart = await api.createCart(
      customerId,
      { lineItems: [{ id: 0, catalogItemId: availability.catalogItemId, quantity: a.quantity, billingCycle: a.billing, termDuration: a.term }] },
      { requestId },
    );
    if (cart.lineItems?.some((li) => li.error != null)) await journal.append({ ...failed, cartId: cart.id });
    assertCartAccepted(customerId, cart);
    cartId = cart.id;
    await journal.append({ customerId, item: a.catalogItem, quantity: a.quantity, cartId, phase: "cart" });
  }
  const checkoutId = derivedGuid("pcplan/checkout", customerId, cartId);
  await ctx.auditWrite(cartId, checkoutId);
  const result = await api.checkoutCart(customerId, cartId, { requestId: checkoutId });
  if (result.orders.length === 0) await journal.append({ ...failed, cartId });
  assertCheckoutSucceeded(customerId, cart, result);
  const orderIds = result.orders.map((o) => o.id);
  await journal.append({ customerId, item: a.catalogItem, quantity: a.quantity, cartId, orderIds, phase: "ordered" });
  await awaitProvisioning(api, commerce, customerId, orderIds);
}

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

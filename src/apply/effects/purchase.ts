import type { PurchaseAction } from "../../actions/purchase.js";
import { derivedGuid } from "../../actions/request-id.js";
import { PcplanError } from "../../errors.js";
import { failedCarts, openCart } from "../../journal/purchase-journal.js";
import { purchasableAvailability } from "../../live/read-catalog.js";
import { assertCartAccepted, assertCheckoutSucceeded } from "../../partner-center/commerce-errors.js";
import { BusinessRuleError } from "../../partner-center/errors.js";
import type { Cart } from "../../partner-center/types.js";
import { commerceBasis } from "../../reconcile/commerce-basis.js";
import { awaitProvisioning } from "./provisioning.js";
import type { Effect, PerformContext } from "./types.js";

type NewCommercePurchase = Extract<PurchaseAction, { commerce: "new" }>;

/** A legacy order, or a new-commerce cart checked out and waited on until provisioned. */
export const purchaseEffect: Effect<PurchaseAction> = {
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
      await ctx.api
        .createOrder(
          ctx.customerId,
          { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: a.offerId, quantity: a.quantity, friendlyName: a.offerName }] },
          { requestId: ctx.requestId },
        )
        .catch((err: unknown) => {
          throw legacyRefused(a, err);
        });
      return;
    }
    await buyThroughCart(ctx, a);
  },
};

/**
 * Legacy offers can no longer be bought since new commerce (SPEC §9; pcplan buys one only where the
 * catalog has no new-commerce offer of the target): a business-rule refusal of the order says so
 * and what to do, with Microsoft's own words after it.
 */
function legacyRefused(a: Extract<PurchaseAction, { commerce: "legacy" }>, err: unknown): unknown {
  if (!(err instanceof BusinessRuleError) || !["2085", "2091"].includes(err.pcCode ?? "")) return err;
  return new PcplanError(
    "LEGACY_REFUSED",
    `Microsoft refused the legacy order of ${a.offerName} (offer ${a.offerId}): legacy offers are no longer sold to most partners; ` +
      `buy the target through new commerce (set purchase.catalogItem to its productId:skuId if the catalog does not map it) or keep the source; nothing was bought. ${err.message}`,
    true,
    { cause: err },
  );
}

/**
 * Cart → checkout → provisioned. A cart this customer already has for the same item and seats
 * (a run died before its checkout) is checked out again rather than a new one made: checkout is
 * idempotent per cart, so the service answers with the first result if it had taken it.
 */
async function buyThroughCart(ctx: PerformContext, a: NewCommercePurchase): Promise<void> {
  const { api, customerId, commerce } = ctx;
  const journal = commerce.journal;
  const entries = await journal.entries(customerId);
  const open = openCart(entries, a.catalogItem, a.quantity);
  const cart = open ? await api.getCart(customerId, open) : await newCart(ctx, a, failedCarts(entries, a.catalogItem, a.quantity));
  const cartId = cart.id;
  const checkoutId = derivedGuid("pcplan/checkout", customerId, cartId);
  await ctx.auditWrite(cartId, checkoutId);
  const result = await api.checkoutCart(customerId, cartId, { requestId: checkoutId });
  if (result.orders.length === 0) await journal.append({ ...failedEntry(customerId, a), cartId });
  assertCheckoutSucceeded(customerId, cart, result);
  const orderIds = result.orders.map((o) => o.id);
  await journal.append({ customerId, item: a.catalogItem, quantity: a.quantity, cartId, orderIds, phase: "ordered" });
  await awaitProvisioning(api, commerce, customerId, orderIds);
}

/**
 * A cart of the item's purchasable availability, recorded in the journal once the service took
 * its line. After `retries` failed carts for the same item and seats its request id is a new one:
 * a cart made with a failed cart's id would be that failed cart again.
 */
async function newCart(ctx: PerformContext, a: NewCommercePurchase, retries: number): Promise<Cart> {
  const { api, customerId } = ctx;
  const [productId = "", skuId = ""] = a.catalogItem.split(":");
  // Availability ids change over time: resolved now, just before buying, never stored.
  const availability = purchasableAvailability(await api.listAvailabilities(productId, skuId, a.country), a.term, a.billing);
  if (!availability)
    throw new PcplanError(
      "CATALOG",
      `no purchasable availability of ${a.catalogItem} in ${a.country} sells a ${a.term} term billed ${a.billing} any more; nothing was bought`,
    );
  const requestId = retries === 0 ? ctx.requestId : derivedGuid("pcplan/cart-after-failures", ctx.requestId, String(retries));
  if (requestId !== ctx.requestId) await ctx.auditWrite(a.catalogItem, requestId);
  const cart = await api.createCart(
    customerId,
    { lineItems: [{ id: 0, catalogItemId: availability.catalogItemId, quantity: a.quantity, billingCycle: a.billing, termDuration: a.term }] },
    { requestId },
  );
  if (cart.lineItems?.some((li) => li.error != null)) await ctx.commerce.journal.append({ ...failedEntry(customerId, a), cartId: cart.id });
  assertCartAccepted(customerId, cart);
  await ctx.commerce.journal.append({ customerId, item: a.catalogItem, quantity: a.quantity, cartId: cart.id, phase: "cart" });
  return cart;
}

const failedEntry = (customerId: string, a: NewCommercePurchase) => ({ customerId, item: a.catalogItem, quantity: a.quantity, phase: "failed" }) as const;

import type { PurchaseAction } from "../../actions/purchase.js";
import { derivedGuid } from "../../actions/request-id.js";
import { PcplanError } from "../../errors.js";
import { failedCarts, openCart, unsettledOrders } from "../../journal/purchase-journal.js";
import { purchasableAvailability } from "../../live/read-catalog.js";
import { ORDER_LAG_WINDOW_MS, readPendingOrders } from "../../live/read-orders.js";
import { assertCartAccepted, assertCheckoutSucceeded } from "../../partner-center/commerce-errors.js";
import { BusinessRuleError, PartnerCenterError } from "../../partner-center/errors.js";
import type { Cart } from "../../partner-center/types.js";
import { commerceBasis } from "../../reconcile/commerce-basis.js";
import { unbounded } from "../../util/limit.js";
import { OrderCancelledError, awaitOrders } from "./provisioning.js";
import type { Effect, PerformContext } from "./types.js";

type NewCommercePurchase = Extract<PurchaseAction, { commerce: "new" }>;

/** A legacy order, or a new-commerce cart checked out and waited on until provisioned. */
export const purchaseEffect: Effect<PurchaseAction> = {
  async precheck(ctx, a) {
    // Another run (or a person) may have bought since this customer was read: the decision
    // rests on the customer's subscriptions and on no order of the customer being in flight —
    // whatever it buys (a plan whose target changed while the first order provisions, or another
    // working folder's plan, must not buy a second SKU): pending in Partner Center's orders list,
    // or placed by pcplan (its journal) and not yet seen settled.
    const { api, customerId } = ctx;
    const [subscriptions, entries] = await Promise.all([api.listSubscriptions(customerId), ctx.commerce.journal.entries(customerId)]);
    if (commerceBasis(subscriptions) !== ctx.basis) {
      throw new PcplanError(
        "STALE",
        "the customer's subscriptions changed since they were read (another run or a person may have bought); nothing was bought. Run plan again",
      );
    }
    const listed = new Set(subscriptions.map((s) => s.id.toLowerCase()));
    const lagSince = ctx.commerce.now() - ORDER_LAG_WINDOW_MS;
    const inFlight = await readPendingOrders(api, unbounded, customerId, unsettledOrders(entries), listed, () => Promise.resolve(undefined), lagSince);
    if (inFlight.length > 0)
      throw new PcplanError(
        "STALE",
        `order ${inFlight.map((o) => o.id).join(", ")} of this customer is not settled yet; nothing was bought (${a.sku.skuPartNumber}). Run plan again once it has`,
      );
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
 * idempotent per cart, so the service answers with the first result if it had taken it. A cart
 * expired (7 days after creation) is never checked out again: it is journalled as failed and a
 * new cart (a new request id) is made. A refused checkout, and an order Microsoft cancelled, are
 * journalled as failed.
 */
async function buyThroughCart(ctx: PerformContext, a: NewCommercePurchase): Promise<void> {
  const { api, customerId, commerce } = ctx;
  const journal = commerce.journal;
  const cart = await liveCart(ctx, a);
  const cartId = cart.id;
  const checkoutId = derivedGuid("pcplan/checkout", customerId, cartId);
  await ctx.auditWrite(cartId, checkoutId);
  const result = await api.checkoutCart(customerId, cartId, { requestId: checkoutId }).catch(async (err: unknown) => {
    if (refused(err)) await journal.append({ ...failedEntry(customerId, a), cartId, reason: "refused" });
    throw err;
  });
  if (result.orders.length === 0) await journal.append({ ...failedEntry(customerId, a), cartId, reason: "refused" });
  assertCheckoutSucceeded(customerId, cart, result);
  const orderIds = result.orders.map((o) => o.id);
  await journal.append({ customerId, item: a.catalogItem, skuId: a.sku.skuId, quantity: a.quantity, cartId, orderIds, phase: "ordered" });
  try {
    await awaitOrders(api, commerce, customerId, orderIds);
  } catch (err) {
    if (err instanceof OrderCancelledError) await journal.append({ ...failedEntry(customerId, a), cartId, orderIds: [...err.orderIds], reason: "cancelled" });
    throw err;
  }
}

/**
 * The cart to check out: the journal's open one for the same item and seats while it has not
 * expired, else a new one. An expired cart (or one the service no longer finds) is journalled as
 * failed, which also gives the next cart a request id of its own; a cart the service hands back
 * already expired (a replay of an old request) is treated the same, at most twice.
 */
async function liveCart(ctx: PerformContext, a: NewCommercePurchase): Promise<Cart> {
  const { api, customerId, commerce } = ctx;
  const open = openCart(await commerce.journal.entries(customerId), a.catalogItem, a.quantity);
  let cart = open === undefined ? undefined : await api.getCart(customerId, open).catch(orGone);
  // A cart made for another first-term end (the plan's termEnd changed since) is not this purchase: a new cart is.
  if (cart && !endsAsPlanned(cart, a)) return newCart(ctx, a, failedCarts(await commerce.journal.entries(customerId), a.catalogItem, a.quantity));
  for (let tries = 0; ; tries++) {
    if (cart && !expired(cart, commerce.now())) return cart;
    const gone = cart?.id ?? open;
    if (gone !== undefined) await commerce.journal.append({ ...failedEntry(customerId, a), cartId: gone, reason: "expired" });
    if (tries === 2) throw new PcplanError("STALE", `cart ${gone ?? "(none)"} expired before its checkout; nothing was bought. Run apply again`);
    cart = await newCart(ctx, a, failedCarts(await commerce.journal.entries(customerId), a.catalogItem, a.quantity));
  }
}

/** Whether every line of the cart ends its first term where the purchase does (the same day, or both the full term). */
function endsAsPlanned(cart: Cart, a: NewCommercePurchase): boolean {
  // Not checked by the response schema (a service may write null for "none"): anything but a date is the full term.
  const day = (d: unknown) => (typeof d === "string" ? d.slice(0, 10) : undefined);
  return cart.lineItems.every((li) => day(li.customTermEndDate) === day(a.termEnd?.date));
}

/** Carts expire 7 days after creation (create-a-cart): past `expirationTimestamp` one is never checked out. */
function expired(cart: Cart, nowMs: number): boolean {
  const at = cart.expirationTimestamp === undefined ? NaN : Date.parse(cart.expirationTimestamp);
  return !Number.isNaN(at) && at <= nowMs;
}

/** A cart the service no longer finds (404: gone, or expired as the sandbox answers it) is undefined; any other error stands. */
function orGone(err: unknown): undefined {
  if (err instanceof PartnerCenterError && err.status === 404) return undefined;
  throw err;
}

/** Partner Center answered the checkout with a refusal (4xx but a throttle or a timeout): that cart will not be checked out. */
const refused = (err: unknown) =>
  err instanceof PartnerCenterError && err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;
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
    {
      lineItems: [
        {
          id: 0,
          catalogItemId: availability.catalogItemId,
          quantity: a.quantity,
          billingCycle: a.billing,
          termDuration: a.term,
          // Co-termed: the first term is prorated to end on this date (cart-resources; a date custom-term-end-dates allowed when planned).
          ...(a.termEnd ? { customTermEndDate: a.termEnd.date } : {}),
        },
      ],
    },
    { requestId },
  );
  if (cart.lineItems?.some((li) => li.error != null)) await ctx.commerce.journal.append({ ...failedEntry(customerId, a), cartId: cart.id, reason: "refused" });
  assertCartAccepted(customerId, cart);
  await ctx.commerce.journal.append({ customerId, item: a.catalogItem, skuId: a.sku.skuId, quantity: a.quantity, cartId: cart.id, phase: "cart" });
  return cart;
}

const failedEntry = (customerId: string, a: NewCommercePurchase) =>
  ({ customerId, item: a.catalogItem, skuId: a.sku.skuId, quantity: a.quantity, phase: "failed" }) as const;

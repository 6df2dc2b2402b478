/**
 * Carts and checkout (create-a-cart, checkout-a-cart, cart-resources). A checkout places one
 * order per billing cycle (the line's `orderGroup`); checking out the same cart again returns the
 * first result unchanged, so a retried checkout never buys twice.
 */
import type { CartCheckoutResult, CartLineItem } from "../../partner-center/types.js";
import { addDuration } from "../durations.js";
import { ErrorCode, badRequest, notFound } from "../http-error.js";
import { asObject } from "../body.js";
import { route, type RequestContext, type RouteDef } from "./context.js";
import type { WorldCart, WorldCustomer } from "../types.js";
import { readCartLines } from "./cart-lines.js";
import { requireCustomer } from "./lookup.js";
import { placeOrder } from "./order-placement.js";
import { toOrder } from "./order-wire.js";
import { refuseBlockedPurchase } from "./orders.js";
import { link } from "./wire.js";

/**
 * "Carts expire 7 days from the initial creation" (learn.microsoft.com/partner-center/developer/create-a-cart),
 * on the sandbox clock, as their `expirationTimestamp` says. The reference publishes no error code
 * for an expired cart; the sandbox answers it as one it cannot retrieve (404 800008) — a read as
 * well as a checkout. A cart already checked out keeps answering with its first result.
 */
const CART_LIFETIME = "P7D";

/**
 * create-a-cart's request carries the partner-of-record attestation (`PartnerOnRecordAttestationAccepted`,
 * the .NET SDK's Cart.PartnerOnRecordAttestationAccepted); cart-resources lists 10012
 * AttestationNotAccepted among the cart line errors. The reference's examples mix casings: both are read.
 */
const ATTESTATION_NOT_ACCEPTED = { errorCode: 10012, errorDescription: "AttestationNotAccepted: the partner-of-record attestation was not accepted." };
const attested = (body: Record<string, unknown>) => body.PartnerOnRecordAttestationAccepted === true || body.partnerOnRecordAttestationAccepted === true;

function toCart(c: WorldCustomer, cart: WorldCart) {
  return {
    id: cart.id,
    creationTimestamp: cart.creationTimestamp,
    lastModifiedTimestamp: cart.lastModifiedTimestamp,
    expirationTimestamp: cart.expirationTimestamp,
    lastModifiedUser: "00000000-0000-0000-0000-000000000000",
    status: cart.status,
    lineItems: cart.lineItems,
    links: { self: link(`/customers/${c.id}/carts/${cart.id}`) },
    attributes: { objectType: "Cart" },
  };
}

function requireCart(ctx: RequestContext, c: WorldCustomer): WorldCart {
  const id = ctx.params.cartId ?? "";
  const cart = c.carts.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!cart) throw notFound(`Cart ${id} of customer ${c.id}`, ErrorCode.cartNotFound);
  if (!cart.checkoutResult && Date.parse(cart.expirationTimestamp) < ctx.clock.nowMs())
    throw notFound(`Cart ${cart.id} (expired ${cart.expirationTimestamp}) of customer ${c.id}`, ErrorCode.cartNotFound);
  return cart;
}

function groupByBillingCycle(lines: CartLineItem[]): Map<string, CartLineItem[]> {
  const groups = new Map<string, CartLineItem[]>();
  for (const li of lines) groups.set(li.billingCycle, [...(groups.get(li.billingCycle) ?? []), li]);
  return groups;
}

function checkout(ctx: RequestContext, c: WorldCustomer, cart: WorldCart): CartCheckoutResult {
  const groups = [...groupByBillingCycle(cart.lineItems).entries()];
  if (c.checkoutOrderError) {
    const e = c.checkoutOrderError;
    return { orders: [], orderErrors: groups.map(([, lines]) => ({ orderGroupId: lines[0].orderGroup ?? "0", code: e.code, description: e.description })) };
  }
  const orders = groups.map(([billingCycle, lines]) =>
    placeOrder(ctx, c, {
      id: ctx.state.newOrderId(),
      billingCycle,
      commerce: "nce",
      lineItems: lines.map((li, n) => ({
        lineItemNumber: n,
        offerId: li.catalogItemId,
        quantity: li.quantity,
        friendlyName: li.friendlyName ?? ctx.state.catalog.skuOfItem(li.catalogItemId)?.sku.title ?? li.catalogItemId,
        termDuration: li.termDuration ?? "P1Y",
        ...(li.customTermEndDate !== undefined ? { customTermEndDate: li.customTermEndDate } : {}),
      })),
    }),
  );
  return { orders: orders.map((o) => toOrder(c, o)), orderErrors: [], attributes: { objectType: "CartCheckoutResult" } };
}

export const cartRoutes: RouteDef[] = [
  route("POST", "/customers/:customerId/carts", "commerce", "creating a cart", (ctx) => {
    const c = requireCustomer(ctx);
    const body = asObject(ctx.body, "a Cart");
    const lines = readCartLines(ctx, c, body.lineItems).map((l) => (l.error || attested(body) ? l : { ...l, error: ATTESTATION_NOT_ACCEPTED }));
    const cycles = [...new Set(lines.map((l) => l.billingCycle))];
    const now = ctx.clock.iso();
    const cart: WorldCart = {
      id: ctx.state.newId(),
      creationTimestamp: now,
      lastModifiedTimestamp: now,
      expirationTimestamp: addDuration(now, CART_LIFETIME),
      status: "Active",
      lineItems: lines.map((l) => ({ ...l, orderGroup: String(cycles.indexOf(l.billingCycle)) })),
    };
    c.carts.push(cart);
    ctx.record({
      kind: "cart",
      customerId: c.id,
      cartId: cart.id,
      lineItems: lines.length,
      refusedLines: lines.filter((l) => l.error).length,
    });
    return { status: 201, body: toCart(c, cart) };
  }),
  route("GET", "/customers/:customerId/carts/:cartId", "read", "reading a cart", (ctx) => {
    const c = requireCustomer(ctx);
    return { status: 200, body: toCart(c, requireCart(ctx, c)) };
  }),
  route("POST", "/customers/:customerId/carts/:cartId/checkout", "commerce", "checking out a cart", (ctx) => {
    const c = requireCustomer(ctx);
    const cart = requireCart(ctx, c);
    if (cart.checkoutResult) return { status: 201, body: cart.checkoutResult };
    refuseBlockedPurchase(c, ctx.state.world.partner.id);
    const refused = cart.lineItems.filter((l) => l.error);
    if (refused.length > 0) {
      throw badRequest(ErrorCode.cartItemErrors, `Error in Cart item(s): line(s) ${refused.map((l) => l.id).join(", ")} of cart ${cart.id}.`);
    }
    const result = checkout(ctx, c, cart);
    cart.status = "Ordered";
    cart.lastModifiedTimestamp = ctx.clock.iso();
    cart.checkoutResult = result;
    ctx.record({
      kind: "checkout",
      customerId: c.id,
      cartId: cart.id,
      orderIds: result.orders.map((o) => o.id),
      orderErrors: result.orderErrors.length,
    });
    return { status: 201, body: result };
  }),
];

/**
 * Orders: legacy `POST /customers/{id}/orders` (every line validated first, then one subscription
 * per line, at once or after the provisioning delay), the orders list (after the appearance
 * delay), one order, and its provisioning status (get-order-provisioning-status).
 */
import type { FixtureOffer, WorldCustomer, WorldOrder } from "../types.js";
import { BUSINESS_RULE_403, ErrorCode, HttpError, badRequest, notFound } from "../http-error.js";
import { asObject } from "../body.js";
import { route, type RequestContext, type RouteDef } from "./context.js";
import { requireCustomer } from "./lookup.js";
import { placeOrder, visibleOrders } from "./order-placement.js";
import { toOrder, toProvisioningStatus } from "./order-wire.js";
import { collection, link } from "./wire.js";

interface ValidLine {
  lineItemNumber: number;
  offer: FixtureOffer;
  quantity: number;
  friendlyName?: string;
}

function validateLines(raw: unknown, lookup: (id: string) => FixtureOffer | undefined): ValidLine[] {
  if (!Array.isArray(raw) || raw.length === 0) throw badRequest(ErrorCode.invalidInput, "An order needs at least one line item (lineItems).");
  return raw.map((item, i): ValidLine => {
    const li = asObject(item, `lineItems[${i}]`);
    const at = `lineItems[${i}]`;
    if (typeof li.offerId !== "string" || li.offerId === "") throw badRequest(ErrorCode.invalidProperty, `${at}.offerId is required.`);
    const offer = lookup(li.offerId);
    if (!offer) throw badRequest(ErrorCode.invalidProperty, `${at}: offer ${li.offerId} was not found in the catalog.`);
    if (!offer.isAvailableForPurchase) {
      // 403 as published: a business rule, which clients tell from a missing role by its code.
      throw new HttpError(403, ErrorCode.offerNotAvailable, `The offer is no longer available for purchase: ${at} names offer ${offer.id} (${offer.name}).`);
    }
    const q = li.quantity;
    if (typeof q !== "number" || !Number.isInteger(q) || q < offer.minimumQuantity || q > offer.maximumQuantity) {
      throw badRequest(
        ErrorCode.quantityOutOfRange,
        `${at}.quantity must be an integer between ${offer.minimumQuantity} and ${offer.maximumQuantity} for offer ${offer.id}.`,
      );
    }
    const n = li.lineItemNumber;
    return {
      lineItemNumber: typeof n === "number" && Number.isInteger(n) ? n : i,
      offer,
      quantity: q,
      ...(typeof li.friendlyName === "string" ? { friendlyName: li.friendlyName } : {}),
    };
  });
}

/** A customer the fixture makes refuse purchases answers the published business-rule 403. */
export function refuseBlockedPurchase(c: WorldCustomer, partnerId: string): void {
  if (c.commerceBlock === undefined) return;
  const description = (BUSINESS_RULE_403[c.commerceBlock] ?? "Forbidden").replace("{0}", partnerId).replace("{1}", c.id);
  throw new HttpError(403, c.commerceBlock, description);
}

function requireOrder(ctx: RequestContext, c: WorldCustomer): WorldOrder {
  const id = ctx.params.orderId ?? "";
  const o = c.orders.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!o) throw notFound(`Order ${id} of customer ${c.id}`, ErrorCode.orderNotFound);
  return o;
}

export const orderRoutes: RouteDef[] = [
  route("POST", "/customers/:customerId/orders", "commerce", "placing an order", (ctx) => {
    const c = requireCustomer(ctx);
    const body = asObject(ctx.body, "an Order");
    const billingCycle = typeof body.billingCycle === "string" && body.billingCycle !== "" ? body.billingCycle : "monthly";
    const lines = validateLines(body.lineItems, (id) => ctx.state.offer(id));
    refuseBlockedPurchase(c, ctx.state.world.partner.id);
    const order = placeOrder(ctx, c, {
      id: ctx.state.newId().toUpperCase(),
      billingCycle,
      lineItems: lines.map((l) => ({
        lineItemNumber: l.lineItemNumber,
        offerId: l.offer.id,
        quantity: l.quantity,
        friendlyName: l.friendlyName ?? l.offer.name,
      })),
    });
    return { status: 201, body: toOrder(c, order) };
  }),
  route("GET", "/customers/:customerId/orders", "read", "listing orders", (ctx) => {
    const c = requireCustomer(ctx);
    const items = visibleOrders(ctx, c).map((o) => toOrder(c, o));
    return { status: 200, body: collection(items, { self: link(`/customers/${c.id}/orders`) }) };
  }),
  route("GET", "/customers/:customerId/orders/:orderId", "read", "reading an order", (ctx) => {
    const c = requireCustomer(ctx);
    return { status: 200, body: toOrder(c, requireOrder(ctx, c)) };
  }),
  route("GET", "/customers/:customerId/orders/:orderId/provisioningstatus", "provisioning", "reading an order's provisioning status", (ctx) => {
    const c = requireCustomer(ctx);
    return { status: 200, body: collection(toProvisioningStatus(requireOrder(ctx, c))) };
  }),
];

/**
 * Placing an order, shared by legacy `POST …/orders` and cart checkout: the order is stored,
 * provisioned at once when no provisioning delay is set, else scheduled for the sandbox clock
 * (`fulfillAt`) — or, for a customer whose orders Microsoft cancels, cancelled then instead;
 * with an appearance delay it is listed in `GET …/orders` only later.
 */
import { cancelOrder, provisionOrder } from "../provision.js";
import type { RequestContext } from "./context.js";
import type { WorldCustomer, WorldOrder, WorldOrderLine } from "../types.js";

export interface PlaceOrder {
  id: string;
  billingCycle: string;
  lineItems: WorldOrderLine[];
  commerce?: "nce";
}

export function placeOrder(ctx: RequestContext, c: WorldCustomer, o: PlaceOrder): WorldOrder {
  const now = ctx.clock.nowMs();
  const order: WorldOrder = {
    id: o.id,
    creationDate: new Date(now).toISOString(),
    billingCycle: o.billingCycle,
    status: "pending",
    lineItems: o.lineItems,
    ...(o.commerce ? { commerce: o.commerce } : {}),
    ...(ctx.delays.orderAppearanceMs > 0 ? { visibleAt: new Date(now + ctx.delays.orderAppearanceMs).toISOString() } : {}),
  };
  c.orders.push(order);
  const due = new Date(now + ctx.delays.provisioningMs).toISOString();
  if (c.ordersCancelled) {
    // Cancelled when it would have provisioned: at once without a provisioning delay.
    if (ctx.delays.provisioningMs > 0) order.cancelAt = due;
    else cancelOrder(order);
  } else if (ctx.delays.provisioningMs > 0) order.fulfillAt = due;
  else provisionOrder(ctx.state, c, order);
  for (const line of order.lineItems) {
    ctx.record({
      kind: "order",
      customerId: c.id,
      orderId: order.id,
      subscriptionIds: line.subscriptionId !== undefined ? [line.subscriptionId] : [],
      offerId: line.offerId,
      quantity: line.quantity,
    });
  }
  return order;
}

/** Orders `GET …/orders` lists now: those whose appearance delay has passed. */
export function visibleOrders(ctx: RequestContext, c: WorldCustomer): WorldOrder[] {
  const now = ctx.clock.nowMs();
  return c.orders.filter((o) => o.visibleAt === undefined || Date.parse(o.visibleAt) <= now);
}

/**
 * Provisioning: an order's lines become subscriptions. Immediate when no provisioning delay is
 * set (as legacy orders always were), else when the sandbox clock passes the order's `fulfillAt`;
 * until then there is no subscription and no licence to assign (docs/new-commerce.md).
 */
import { isCatalogItemId } from "./catalog-index.js";
import { CANCELLATION_WINDOW, addDuration } from "./durations.js";
import type { WorldState } from "./state.js";
import type { WorldCustomer, WorldOrder, WorldOrderLine, WorldSubscription } from "./types.js";

function subscriptionFor(state: WorldState, order: WorldOrder, line: WorldOrderLine): WorldSubscription {
  const nce = isCatalogItemId(line.offerId);
  const termDuration = line.termDuration ?? "P1Y";
  const created = order.creationDate;
  const item = nce ? state.catalog.item(line.offerId) : undefined;
  const offer = nce ? undefined : state.offer(line.offerId);
  return {
    id: state.newId(),
    offerId: line.offerId,
    friendlyName: line.friendlyName ?? item?.sku.title ?? offer?.name ?? line.offerId,
    quantity: line.quantity,
    status: "active",
    autoRenewEnabled: nce ? item?.availability.isRenewable !== false : true,
    // Co-termed: "the first term will be prorated to end on this date" (cart-resources, CartLineItem.CustomTermEndDate).
    commitmentEndDate: line.customTermEndDate !== undefined ? `${line.customTermEndDate.slice(0, 10)}T00:00:00Z` : addDuration(created, termDuration),
    creationDate: created,
    suspensionReasons: [],
    orderId: order.id,
    billingCycle: order.billingCycle,
    termDuration,
    ...(nce ? { cancellationAllowedUntilDate: addDuration(created, CANCELLATION_WINDOW) } : {}),
    version: 1,
  };
}

/** Microsoft cancelled the order: no subscription, status `cancelled` (order-resources, OrderStatus). */
export function cancelOrder(order: WorldOrder): void {
  order.status = "cancelled";
  delete order.fulfillAt;
  delete order.cancelAt;
}

/** Creates the subscriptions of every line not yet provisioned; the order becomes `completed`. */
export function provisionOrder(state: WorldState, c: WorldCustomer, order: WorldOrder): string[] {
  const ids: string[] = [];
  for (const line of order.lineItems) {
    if (line.subscriptionId !== undefined) continue;
    const sub = subscriptionFor(state, order, line);
    c.subscriptions.push(sub);
    line.subscriptionId = sub.id;
    ids.push(sub.id);
  }
  order.status = "completed";
  delete order.fulfillAt;
  return ids;
}

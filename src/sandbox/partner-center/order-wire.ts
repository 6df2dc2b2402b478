/**
 * Orders and their provisioning status as the reference shows them: a legacy order as
 * create-an-order answers it; a new-commerce one with a 12-hex-digit id, currency, transaction
 * types and product/SKU/availability links (create-an-order, checkout-a-cart,
 * get-order-provisioning-status). A line has `subscriptionId` only once provisioned.
 */
import type { Link, Order, OrderLineItem, OrderLineItemProvisioningStatus } from "../../partner-center/types.js";
import type { WorldCustomer, WorldOrder, WorldOrderLine } from "../types.js";
import { link } from "./wire.js";

function lineLinks(c: WorldCustomer, o: WorldOrder, l: WorldOrderLine): Record<string, Link> {
  const links: Record<string, Link> = {};
  if (o.commerce === "nce") {
    const [p = "", s = "", a = ""] = l.offerId.split(":");
    const cc = c.country;
    links.product = link(`/products/${p}?country=${cc}`);
    links.sku = link(`/products/${p}/skus/${s}?country=${cc}`);
    links.availability = link(`/products/${p}/skus/${s}/availabilities/${a}?country=${cc}`);
  }
  if (l.subscriptionId !== undefined) links.subscription = link(`/customers/${c.id}/subscriptions/${l.subscriptionId}`);
  return links;
}

export function toOrder(c: WorldCustomer, o: WorldOrder): Order & Record<string, unknown> {
  const nce = o.commerce === "nce";
  const lineItems: OrderLineItem[] = o.lineItems.map((l) => ({
    lineItemNumber: l.lineItemNumber,
    offerId: l.offerId,
    ...(l.subscriptionId !== undefined ? { subscriptionId: l.subscriptionId } : {}),
    ...(nce ? { termDuration: l.termDuration ?? "P1Y", transactionType: "New" } : {}),
    ...(l.friendlyName !== undefined ? { friendlyName: l.friendlyName } : {}),
    quantity: l.quantity,
    links: lineLinks(c, o, l),
  }));
  return {
    id: o.id,
    ...(nce ? { alternateId: o.id } : {}),
    referenceCustomerId: c.id,
    billingCycle: o.billingCycle,
    ...(nce ? { currencyCode: "USD", currencySymbol: "$" } : {}),
    lineItems,
    creationDate: o.creationDate,
    status: o.status,
    ...(nce ? { transactionType: "UserPurchase" } : {}),
    links: {
      self: link(`/customers/${c.id}/orders/${o.id}`),
      provisioningStatus: link(`/customers/${c.id}/orders/${o.id}/provisioningstatus`),
    },
    attributes: { objectType: "Order" },
  };
}

/**
 * A line's provisioning status as order-resources' OrderLineItemProvisioningStatus table gives it
 * (learn.microsoft.com/partner-center/developer/order-resources): `fulfilled` once its
 * subscription exists; `unfulfilled` only when it was cancelled ("Not fulfilled due to
 * cancellation"); `prefulfillmentPending` while it is still processing. Cased as the reference's
 * example writes `fulfilled` (camelCase enum names); clients compare without case.
 */
export function toProvisioningStatus(o: WorldOrder): OrderLineItemProvisioningStatus[] {
  return o.lineItems.map((l) => {
    const status = l.subscriptionId !== undefined ? "fulfilled" : o.status === "cancelled" ? "unfulfilled" : "prefulfillmentPending";
    return {
      orderLineItemId: l.lineItemNumber,
      lineItemNumber: l.lineItemNumber,
      status,
      quantityProvisioningInformation: [{ quantity: l.quantity, status }],
    };
  });
}

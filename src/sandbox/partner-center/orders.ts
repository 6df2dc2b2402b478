/** POST /customers/{id}/orders: validate every line first, then create one active subscription per line. */
import type { Order, OrderLineItem } from "../../partner-center/types.js";
import type { FixtureOffer, WorldSubscription } from "../types.js";
import { ErrorCode, badRequest } from "../http-error.js";
import { asObject } from "../body.js";
import type { RouteDef } from "../router.js";
import { requireCustomer } from "./lookup.js";
import { link } from "./wire.js";

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
      throw badRequest(
        ErrorCode.offerNotAvailable,
        `${at}: offer ${offer.id} (${offer.name}) is no longer available for purchase.`,
      );
    }
    const q = li.quantity;
    if (typeof q !== "number" || !Number.isInteger(q) || q < offer.minimumQuantity || q > offer.maximumQuantity) {
      throw badRequest(
        ErrorCode.invalidProperty,
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

function plusOneYear(iso: string): string {
  const d = new Date(iso);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString();
}

export const orderRoutes: RouteDef[] = [
  {
    method: "POST",
    path: "/customers/:customerId/orders",
    access: "commerce",
    operation: "placing an order",
    handle(ctx) {
      const c = requireCustomer(ctx);
      const body = asObject(ctx.body, "an Order");
      const billingCycle = typeof body.billingCycle === "string" && body.billingCycle !== "" ? body.billingCycle : "monthly";
      const lines = validateLines(body.lineItems, (id) => ctx.state.offer(id));

      const now = ctx.clock.iso();
      const orderId = ctx.state.newId().toUpperCase();
      const lineItems: OrderLineItem[] = [];
      for (const line of lines) {
        const sub: WorldSubscription = {
          id: ctx.state.newId(),
          offerId: line.offer.id,
          friendlyName: line.friendlyName ?? line.offer.name,
          quantity: line.quantity,
          status: "active",
          autoRenewEnabled: true,
          commitmentEndDate: plusOneYear(now),
          creationDate: now,
          suspensionReasons: [],
          orderId,
          billingCycle,
          version: 1,
        };
        c.subscriptions.push(sub);
        lineItems.push({
          lineItemNumber: line.lineItemNumber,
          offerId: line.offer.id,
          subscriptionId: sub.id,
          friendlyName: sub.friendlyName,
          quantity: line.quantity,
          links: { subscription: link(`/customers/${c.id}/subscriptions/${sub.id}`) },
        });
        ctx.record({
          kind: "order",
          customerId: c.id,
          orderId,
          subscriptionIds: [sub.id],
          offerId: line.offer.id,
          quantity: line.quantity,
          ...(ctx.requestId !== undefined ? { requestId: ctx.requestId } : {}),
        });
      }
      const order: Order = {
        id: orderId,
        referenceCustomerId: c.id,
        billingCycle,
        lineItems,
        creationDate: now,
        status: "completed",
        links: { self: link(`/customers/${c.id}/orders/${orderId}`) },
        attributes: { objectType: "Order" },
      };
      c.orders.push(order);
      return { status: 201, body: order };
    },
  },
];

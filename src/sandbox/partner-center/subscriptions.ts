/** Subscriptions (list, get, PATCH) and the subscribed-SKU license counts. */
import { subscribedSkus } from "../licenses.js";
import type { RouteDef } from "./context.js";
import { requireCustomer, requireSubscription } from "./lookup.js";
import { patchSubscription } from "./subscription-patch.js";
import { collection, link, toSubscribedSku, toSubscription } from "./wire.js";

export const subscriptionRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/customers/:customerId/subscriptions",
    access: "read",
    operation: "listing subscriptions",
    handle(ctx) {
      const c = requireCustomer(ctx);
      const items = c.subscriptions.map((s) => toSubscription(ctx.state, c, s));
      return { status: 200, body: collection(items, { self: link(`/customers/${c.id}/subscriptions`) }) };
    },
  },
  {
    method: "GET",
    path: "/customers/:customerId/subscriptions/:subscriptionId",
    access: "read",
    operation: "reading a subscription",
    handle(ctx) {
      const c = requireCustomer(ctx);
      return { status: 200, body: toSubscription(ctx.state, c, requireSubscription(ctx, c)) };
    },
  },
  {
    method: "PATCH",
    path: "/customers/:customerId/subscriptions/:subscriptionId",
    access: "commerce",
    operation: "changing a subscription",
    handle: patchSubscription,
  },
  {
    method: "GET",
    path: "/customers/:customerId/subscribedskus",
    access: "directory",
    operation: "listing subscribed SKUs",
    handle(ctx) {
      const c = requireCustomer(ctx);
      // One item per SKU the customer has live subscriptions or assigned licenses for.
      const skus = subscribedSkus(ctx.state, c);
      return { status: 200, body: collection(skus.map((sku) => toSubscribedSku(ctx.state, c, sku))) };
    },
  },
];

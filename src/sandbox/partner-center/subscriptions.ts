/** Subscriptions (list, get, PATCH) and the subscribed-SKU license counts. */
import { subscribedSkus } from "../licenses.js";
import { route, type RouteDef } from "./context.js";
import { requireCustomer, requireSubscription } from "./lookup.js";
import { patchSubscription } from "./subscription-patch.js";
import { collection, link, toSubscribedSku, toSubscription } from "./wire.js";

export const subscriptionRoutes: RouteDef[] = [
  route("GET", "/customers/:customerId/subscriptions", "read", "listing subscriptions", (ctx) => {
    const c = requireCustomer(ctx);
    const items = c.subscriptions.map((s) => toSubscription(ctx.state, c, s));
    return { status: 200, body: collection(items, { self: link(`/customers/${c.id}/subscriptions`) }) };
  }),
  route("GET", "/customers/:customerId/subscriptions/:subscriptionId", "read", "reading a subscription", (ctx) => {
    const c = requireCustomer(ctx);
    return { status: 200, body: toSubscription(ctx.state, c, requireSubscription(ctx, c)) };
  }),
  route("PATCH", "/customers/:customerId/subscriptions/:subscriptionId", "commerce", "changing a subscription", patchSubscription),
  route("GET", "/customers/:customerId/subscribedskus", "directory", "listing subscribed SKUs", (ctx) => {
    const c = requireCustomer(ctx);
    // One item per SKU the customer has live subscriptions or assigned licenses for.
    const skus = subscribedSkus(ctx.state, c);
    return { status: 200, body: collection(skus.map((sku) => toSubscribedSku(ctx.state, c, sku))) };
  }),
];

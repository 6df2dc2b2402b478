/** Path parameter → world object, or the 404 Partner Center would answer. */
import { notFound } from "../http-error.js";
import type { RequestContext } from "./context.js";
import type { FixtureUser, WorldCustomer, WorldSubscription } from "../types.js";

export function requireCustomer(ctx: RequestContext): WorldCustomer {
  const id = ctx.params.customerId ?? "";
  const c = ctx.state.customer(id);
  if (!c) throw notFound(`Customer ${id}`);
  return c;
}

export function requireSubscription(ctx: RequestContext, c: WorldCustomer): WorldSubscription {
  const id = ctx.params.subscriptionId ?? "";
  const s = ctx.state.subscription(c, id);
  if (!s) throw notFound(`Subscription ${id} of customer ${c.id}`);
  return s;
}

export function requireUser(ctx: RequestContext, c: WorldCustomer): FixtureUser {
  const id = ctx.params.userId ?? "";
  const u = ctx.state.user(c, id);
  if (!u) throw notFound(`User ${id} of customer ${c.id}`);
  return u;
}

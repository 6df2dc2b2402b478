/** Every Partner Center route the sandbox serves, under the `/v1` prefix (docs/sandbox.md). */
import { routeTable } from "../route-table.js";
import { cartRoutes } from "./carts.js";
import { catalogRoutes } from "./catalog.js";
import type { RouteDef } from "./context.js";
import { customerRoutes } from "./customers.js";
import { offerRoutes } from "./offers.js";
import { orderRoutes } from "./orders.js";
import { subscriptionRoutes } from "./subscriptions.js";
import { termEndRoutes } from "./term-end-dates.js";
import { transitionRoutes } from "./transitions.js";
import { userRoutes } from "./users.js";

export const partnerCenterRoutes: RouteDef[] = [
  ...customerRoutes,
  // Before the subscription routes: `…/subscriptions/customTermEndDates` would match `…/subscriptions/:subscriptionId`.
  ...termEndRoutes,
  ...subscriptionRoutes,
  ...transitionRoutes,
  ...orderRoutes,
  ...cartRoutes,
  ...userRoutes,
  ...offerRoutes,
  ...catalogRoutes,
];

/** Matches a path with the /v1 prefix already removed. */
export const matchRoute = routeTable(partnerCenterRoutes);

/** Every Partner Center route the sandbox serves, under the `/v1` prefix (docs/sandbox.md). */
import type { RouteDef } from "../router.js";
import { customerRoutes } from "./customers.js";
import { offerRoutes } from "./offers.js";
import { orderRoutes } from "./orders.js";
import { subscriptionRoutes } from "./subscriptions.js";
import { userRoutes } from "./users.js";

export const partnerCenterRoutes: RouteDef[] = [...customerRoutes, ...subscriptionRoutes, ...orderRoutes, ...userRoutes, ...offerRoutes];

/** GET /customers (paged) and GET /customers/{id}. */
import { route, type RouteDef } from "./context.js";
import { requireCustomer } from "./lookup.js";
import { paginate } from "./paging.js";
import { toCustomer } from "./wire.js";

export const customerRoutes: RouteDef[] = [
  route("GET", "/customers", "read", "listing customers", (ctx) => {
    const items = ctx.state.world.customers.map(toCustomer);
    // The reference's customer links carry the /v1 prefix.
    const page = paginate({ query: ctx.query, continuationToken: ctx.continuationToken }, items, {
      scope: "customers",
      linkPath: "/v1/customers",
      defaultSize: ctx.paging.defaultSize,
      maxSize: ctx.paging.maxSize,
    });
    return { status: 200, body: page };
  }),
  route("GET", "/customers/:customerId", "read", "reading a customer", (ctx) => {
    return { status: 200, body: toCustomer(requireCustomer(ctx)) };
  }),
];

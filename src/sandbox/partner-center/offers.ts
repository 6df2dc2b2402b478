/** GET /offers?country=XX and GET /offers/{offerId}?country=XX. */
import { ErrorCode, badRequest, notFound } from "../http-error.js";
import type { RequestContext, RouteDef } from "../router.js";
import { collection, link, toOffer } from "./wire.js";

function country(ctx: RequestContext): string {
  const c = ctx.query.get("country");
  if (!c || !/^[A-Za-z]{2}$/.test(c)) throw badRequest(ErrorCode.invalidInput, "The country query parameter (two letters) is required.");
  return c.toUpperCase();
}

export const offerRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/offers",
    access: "read",
    operation: "listing offers",
    handle(ctx) {
      const cc = country(ctx);
      const items = ctx.state.world.offers.filter((o) => o.country.toUpperCase() === cc).map((o) => toOffer(ctx.state, o));
      return { status: 200, body: collection(items, { self: link(`/offers?country=${cc}`) }) };
    },
  },
  {
    method: "GET",
    path: "/offers/:offerId",
    access: "read",
    operation: "reading an offer",
    handle(ctx) {
      const cc = country(ctx);
      const id = ctx.params.offerId ?? "";
      const o = ctx.state.offer(id);
      if (!o || o.country.toUpperCase() !== cc) throw notFound(`Offer ${id} in country ${cc}`);
      return { status: 200, body: toOffer(ctx.state, o) };
    },
  },
];

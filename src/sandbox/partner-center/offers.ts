/** GET /offers?country=XX and GET /offers/{offerId}?country=XX. */
import { isCatalogItemId } from "../catalog-index.js";
import { ErrorCode, badRequest, notFound } from "../http-error.js";
import { route, type RouteDef } from "./context.js";
import { countryParam as country } from "./catalog.js";
import { collection, link, toOffer } from "./wire.js";

export const offerRoutes: RouteDef[] = [
  route("GET", "/offers", "read", "listing offers", (ctx) => {
    const cc = country(ctx);
    const items = ctx.state.world.offers.filter((o) => o.country.toUpperCase() === cc).map((o) => toOffer(ctx.state, o));
    return { status: 200, body: collection(items, { self: link(`/offers?country=${cc}`) }) };
  }),
  route("GET", "/offers/:offerId", "read", "reading an offer", (ctx) => {
    const cc = country(ctx);
    const id = ctx.params.offerId ?? "";
    if (isCatalogItemId(id)) {
      throw badRequest(ErrorCode.offersApiNotSupported, `The Offers API does not support item with ID ${id}. Try using the Products and/or SKUs APIs`);
    }
    const o = ctx.state.offer(id);
    if (!o || o.country.toUpperCase() !== cc) throw notFound(`Offer ${id} in country ${cc}`);
    return { status: 200, body: toOffer(ctx.state, o) };
  }),
];

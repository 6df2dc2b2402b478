/**
 * The new-commerce catalog by country: `GET /products/{id}`, its SKUs and their availabilities
 * (get-a-product-by-id, get-a-sku-by-id, get-a-list-of-availabilities-for-a-sku). A product is
 * served in a country when one of its availabilities is; an unlisted one answers 404.
 */
import { ErrorCode, badRequest, notFound } from "../http-error.js";
import { route, type RequestContext, type RouteDef } from "./context.js";
import type { FixtureProduct, FixtureProductSku } from "../types.js";
import { toAvailability, toProduct, toSku } from "./catalog-wire.js";
import { collection, link } from "./wire.js";

export function countryParam(ctx: RequestContext): string {
  const c = ctx.query.get("country");
  if (!c || !/^[A-Za-z]{2}$/.test(c)) throw badRequest(ErrorCode.invalidInput, "The country query parameter (two letters) is required.");
  return c.toUpperCase();
}

const soldIn = (s: FixtureProductSku, cc: string) => s.availabilities.some((a) => a.countries.some((x) => x.toUpperCase() === cc));

function requireProduct(ctx: RequestContext, cc: string): FixtureProduct {
  const id = ctx.params.productId ?? "";
  const p = ctx.state.catalog.product(id);
  if (!p || !ctx.state.catalog.isListed(p) || !p.skus.some((s) => soldIn(s, cc))) throw notFound(`Product ${id} in country ${cc}`);
  return p;
}

function requireSku(ctx: RequestContext, cc: string): { p: FixtureProduct; s: FixtureProductSku } {
  const p = requireProduct(ctx, cc);
  const id = ctx.params.skuId ?? "";
  const s = p.skus.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!s || !soldIn(s, cc)) throw notFound(`SKU ${id} of product ${p.id} in country ${cc}`);
  return { p, s };
}

function availabilitiesIn(ctx: RequestContext, s: FixtureProductSku, cc: string) {
  const segment = ctx.query.get("targetSegment")?.toLowerCase();
  return s.availabilities.filter(
    (a) => a.countries.some((x) => x.toUpperCase() === cc) && (segment === undefined || (a.segment ?? "commercial").toLowerCase() === segment),
  );
}

export const catalogRoutes: RouteDef[] = [
  route("GET", "/products/:productId", "read", "reading a product", (ctx) => {
    const cc = countryParam(ctx);
    return { status: 200, body: toProduct(requireProduct(ctx, cc), cc) };
  }),
  route("GET", "/products/:productId/skus", "read", "listing a product's SKUs", (ctx) => {
    const cc = countryParam(ctx);
    const p = requireProduct(ctx, cc);
    const items = p.skus.filter((s) => soldIn(s, cc)).map((s) => toSku(p, s, cc));
    return { status: 200, body: collection(items, { self: link(`/products/${p.id}/skus?country=${cc}`) }) };
  }),
  route("GET", "/products/:productId/skus/:skuId", "read", "reading a SKU", (ctx) => {
    const cc = countryParam(ctx);
    const { p, s } = requireSku(ctx, cc);
    return { status: 200, body: toSku(p, s, cc) };
  }),
  route("GET", "/products/:productId/skus/:skuId/availabilities", "read", "listing availabilities", (ctx) => {
    const cc = countryParam(ctx);
    const { p, s } = requireSku(ctx, cc);
    const items = availabilitiesIn(ctx, s, cc).map((a) => toAvailability(p, s, a, cc));
    return { status: 200, body: collection(items, { self: link(`/products/${p.id}/skus/${s.id}/availabilities?country=${cc}`) }) };
  }),
  route("GET", "/products/:productId/skus/:skuId/availabilities/:availabilityId", "read", "reading an availability", (ctx) => {
    const cc = countryParam(ctx);
    const { p, s } = requireSku(ctx, cc);
    const id = ctx.params.availabilityId ?? "";
    const a = availabilitiesIn(ctx, s, cc).find((x) => x.id.toLowerCase() === id.toLowerCase());
    if (!a) throw notFound(`Availability ${id} of ${p.id}:${s.id} in country ${cc}`);
    return { status: 200, body: toAvailability(p, s, a, cc) };
  }),
];

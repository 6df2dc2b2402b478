/**
 * The new-commerce catalog by country: `GET /products/{id}`, its SKUs and their availabilities
 * (get-a-product-by-id, get-a-sku-by-id, get-a-list-of-availabilities-for-a-sku). A product is
 * served in a country when one of its availabilities is; an unlisted one answers 404.
 */
import { ErrorCode, badRequest, notFound } from "../http-error.js";
import type { RequestContext, RouteDef } from "./context.js";
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
  {
    method: "GET",
    path: "/products/:productId",
    access: "read",
    operation: "reading a product",
    handle(ctx) {
      const cc = countryParam(ctx);
      return { status: 200, body: toProduct(requireProduct(ctx, cc), cc) };
    },
  },
  {
    method: "GET",
    path: "/products/:productId/skus",
    access: "read",
    operation: "listing a product's SKUs",
    handle(ctx) {
      const cc = countryParam(ctx);
      const p = requireProduct(ctx, cc);
      const items = p.skus.filter((s) => soldIn(s, cc)).map((s) => toSku(p, s, cc));
      return { status: 200, body: collection(items, { self: link(`/products/${p.id}/skus?country=${cc}`) }) };
    },
  },
  {
    method: "GET",
    path: "/products/:productId/skus/:skuId",
    access: "read",
    operation: "reading a SKU",
    handle(ctx) {
      const cc = countryParam(ctx);
      const { p, s } = requireSku(ctx, cc);
      return { status: 200, body: toSku(p, s, cc) };
    },
  },
  {
    method: "GET",
    path: "/products/:productId/skus/:skuId/availabilities",
    access: "read",
    operation: "listing availabilities",
    handle(ctx) {
      const cc = countryParam(ctx);
      const { p, s } = requireSku(ctx, cc);
      const items = availabilitiesIn(ctx, s, cc).map((a) => toAvailability(p, s, a, cc));
      return { status: 200, body: collection(items, { self: link(`/products/${p.id}/skus/${s.id}/availabilities?country=${cc}`) }) };
    },
  },
  {
    method: "GET",
    path: "/products/:productId/skus/:skuId/availabilities/:availabilityId",
    access: "read",
    operation: "reading an availability",
    handle(ctx) {
      const cc = countryParam(ctx);
      const { p, s } = requireSku(ctx, cc);
      const id = ctx.params.availabilityId ?? "";
      const a = availabilitiesIn(ctx, s, cc).find((x) => x.id.toLowerCase() === id.toLowerCase());
      if (!a) throw notFound(`Availability ${id} of ${p.id}:${s.id} in country ${cc}`);
      return { status: 200, body: toAvailability(p, s, a, cc) };
    },
  },
];

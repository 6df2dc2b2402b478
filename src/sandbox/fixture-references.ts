/**
 * Cross-references of a fixture the schema cannot express: unique ids, offers and catalog items
 * that exist, SKUs that exist, GDAP entries for known customers. Errors are `path: message`.
 */
import { CatalogIndex, isCatalogItemId } from "./catalog-index.js";
import type { FixtureCustomer, SandboxFixture } from "./types.js";

const lc = (s: string) => s.toLowerCase();

function catalogErrors(f: SandboxFixture, skus: Set<string>): string[] {
  const errors: string[] = [];
  const ids = new Set<string>();
  (f.products ?? []).forEach((p, i) => {
    if (ids.has(lc(p.id))) errors.push(`/products/${i}/id: duplicate product id ${p.id}`);
    ids.add(lc(p.id));
    const skuIds = new Set<string>();
    p.skus.forEach((s, j) => {
      const at = `/products/${i}/skus/${j}`;
      if (skuIds.has(lc(s.id))) errors.push(`${at}/id: duplicate SKU id ${s.id} in product ${p.id}`);
      skuIds.add(lc(s.id));
      if (s.provisioningId !== undefined && !skus.has(lc(s.provisioningId))) errors.push(`${at}/provisioningId: unknown sku ${s.provisioningId}`);
      if (s.minimumQuantity > s.maximumQuantity) errors.push(`${at}/minimumQuantity: greater than maximumQuantity`);
      const avIds = new Set<string>();
      s.availabilities.forEach((a, k) => {
        if (avIds.has(lc(a.id))) errors.push(`${at}/availabilities/${k}/id: duplicate availability id ${a.id}`);
        avIds.add(lc(a.id));
      });
    });
  });
  return errors;
}

function customerErrors(c: FixtureCustomer, i: number, ctx: { offers: Set<string>; skus: Set<string>; catalog: CatalogIndex; subs: Set<string> }): string[] {
  const errors: string[] = [];
  const known = (offerId: string) => (isCatalogItemId(offerId) ? ctx.catalog.item(offerId) !== undefined : ctx.offers.has(lc(offerId)));
  c.subscriptions.forEach((s, j) => {
    const at = `/customers/${i}/subscriptions/${j}`;
    if (ctx.subs.has(lc(s.id))) errors.push(`${at}/id: duplicate subscription id ${s.id}`);
    ctx.subs.add(lc(s.id));
    if (!known(s.offerId)) errors.push(`${at}/offerId: unknown ${isCatalogItemId(s.offerId) ? "catalog item" : "offer"} ${s.offerId}`);
    if (s.status === "suspended" && s.suspendedAt === undefined) errors.push(`${at}: missing field "suspendedAt" (required when status is suspended)`);
    const nceOnly = (["cancellationAllowedUntilDate", "transitionEligibilities", "scheduledEligibilities"] as const).filter((k) => s[k] !== undefined);
    if (!isCatalogItemId(s.offerId)) nceOnly.forEach((k) => errors.push(`${at}/${k}: only new-commerce subscriptions have it`));
    for (const field of ["transitionEligibilities", "scheduledEligibilities"] as const) {
      (s[field] ?? []).forEach((e, k) => {
        if (!ctx.catalog.item(e.catalogItemId)) errors.push(`${at}/${field}/${k}/catalogItemId: unknown catalog item ${e.catalogItemId}`);
      });
    }
  });
  const users = new Set<string>();
  c.users.forEach((u, j) => {
    if (users.has(lc(u.id))) errors.push(`/customers/${i}/users/${j}/id: duplicate user id ${u.id}`);
    users.add(lc(u.id));
    u.licenses.forEach((l, k) => {
      if (!ctx.skus.has(lc(l))) errors.push(`/customers/${i}/users/${j}/licenses/${k}: unknown sku ${l}`);
    });
    (u.groupLicenses ?? []).forEach((g, k) => {
      if (!ctx.skus.has(lc(g.skuId))) errors.push(`/customers/${i}/users/${j}/groupLicenses/${k}/skuId: unknown sku ${g.skuId}`);
    });
  });
  (c.orders ?? []).forEach((o, j) => {
    o.lineItems.forEach((l, k) => {
      if (!known(l.offerId)) errors.push(`/customers/${i}/orders/${j}/lineItems/${k}/offerId: unknown offer or catalog item ${l.offerId}`);
    });
  });
  return errors;
}

export function fixtureReferenceErrors(f: SandboxFixture): string[] {
  const errors: string[] = [];
  const skus = new Set<string>();
  f.skus.forEach((s, i) => {
    if (skus.has(lc(s.id))) errors.push(`/skus/${i}/id: duplicate sku id ${s.id}`);
    skus.add(lc(s.id));
  });
  const offers = new Set<string>();
  f.offers.forEach((o, i) => {
    if (offers.has(lc(o.id))) errors.push(`/offers/${i}/id: duplicate offer id ${o.id}`);
    offers.add(lc(o.id));
    if (!skus.has(lc(o.skuId))) errors.push(`/offers/${i}/skuId: unknown sku ${o.skuId}`);
    if (o.minimumQuantity > o.maximumQuantity) errors.push(`/offers/${i}/minimumQuantity: greater than maximumQuantity`);
  });
  errors.push(...catalogErrors(f, skus));
  const ctx = { offers, skus, catalog: new CatalogIndex(f.products ?? []), subs: new Set<string>() };
  const customers = new Set<string>();
  f.customers.forEach((c, i) => {
    if (customers.has(lc(c.id))) errors.push(`/customers/${i}/id: duplicate customer id ${c.id}`);
    customers.add(lc(c.id));
    errors.push(...customerErrors(c, i, ctx));
  });
  const tokens = new Set<string>();
  f.credentials.forEach((c, i) => {
    if (tokens.has(c.token)) errors.push(`/credentials/${i}/token: duplicate token`);
    tokens.add(c.token);
    for (const field of ["gdap", "consents"] as const) {
      for (const k of Object.keys(c[field] ?? {})) {
        if (k !== "*" && !customers.has(lc(k))) errors.push(`/credentials/${i}/${field}/${k}: unknown customer`);
      }
    }
  });
  return errors;
}

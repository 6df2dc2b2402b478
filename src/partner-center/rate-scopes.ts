/**
 * Which request budget a call draws from. Partner Center throttles some APIs per partner tenant
 * and others per partner tenant *and* customer tenant ("API throttling guidance for partners
 * calling Partner Center APIs", learn.microsoft.com: the Subscription resource, for example,
 * allows 500 requests per minute per customer tenant). A scope is a host plus, for the
 * per-customer calls, a tenant: `api.partnercenter.microsoft.com` or
 * `api.partnercenter.microsoft.com customer 6b1a…`. Every call draws from its host's partner
 * scope; a call the table below names also draws from its tenant's scope, so a 429 there can
 * slow that one tenant instead of the whole run.
 *
 * A second API host (Microsoft Graph: throttled per app per customer tenant) adds a row whose
 * tenant comes from the request (the tenant its token was issued for) instead of the path.
 */

export type ScopeKind = "partner" | "tenant";

export interface ScopeRule {
  /** What the row covers, for docs and stats. */
  name: string;
  /** Matched against the URL path below the API base (`/customers/…`, not `/v1/customers/…`). */
  path: RegExp;
  /** Where the tenant comes from: a capture group of `path`, or the request's own `tenant`. */
  tenantFrom: "path" | "request";
}

/**
 * Partner Center calls limited per customer tenant: everything below `/customers/{id}/`.
 * The customer list, a customer by id and the offer catalog are per partner only.
 */
export const PARTNER_CENTER_TENANT_RULES: readonly ScopeRule[] = [
  { name: "customer sub-resources (subscriptions, subscribed SKUs, users, licenses, orders)", path: /^\/customers\/([^/?#]+)\/[^?#]/i, tenantFrom: "path" },
];

/**
 * Microsoft Graph throttles per app per tenant ("Microsoft Graph throttling guidance"), and the
 * tenant of a call is the one its token was issued for, not in the URL: every versioned call
 * draws from the Graph host's scope and its request's tenant's.
 */
export const GRAPH_TENANT_RULES: readonly ScopeRule[] = [{ name: "Graph calls (per app per tenant)", path: /^\/(?:v1\.0|beta)\/./i, tenantFrom: "request" }];

export interface Scope {
  /** `host` or `host tenant <id>`: one budget each. */
  key: string;
  kind: ScopeKind;
  host: string;
  /** Lowercase tenant id (customer tenant) for `tenant` scopes. */
  tenant?: string;
  /** Scopes of one class share what is learned about their limit (`host tenant`). */
  classKey: string;
}

export function partnerScope(host: string): Scope {
  const h = host.toLowerCase();
  return { key: h, kind: "partner", host: h, classKey: h };
}

export function tenantScope(host: string, tenant: string): Scope {
  const h = host.toLowerCase();
  const t = tenant.toLowerCase();
  return { key: `${h} tenant ${t}`, kind: "tenant", host: h, tenant: t, classKey: `${h} tenant` };
}

/**
 * The scopes a request draws from, narrowest first: `[tenant, partner]` or `[partner]`.
 * `basePath` is the API base's path (`/v1`), stripped before the rules are matched.
 */
export function scopesFor(url: URL, basePath: string, rules: readonly ScopeRule[], requestTenant?: string): Scope[] {
  const partner = partnerScope(url.host);
  const base = basePath.replace(/\/+$/, "").toLowerCase();
  const path = base && url.pathname.toLowerCase().startsWith(`${base}/`) ? url.pathname.slice(base.length) : url.pathname;
  for (const rule of rules) {
    const m = rule.path.exec(path);
    if (!m) continue;
    const tenant = rule.tenantFrom === "request" ? requestTenant : m[1] && decodeSegment(m[1]);
    if (tenant) return [tenantScope(url.host, tenant), partner];
  }
  return [partner];
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

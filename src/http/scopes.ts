/**
 * Which request budget a call draws from. A scope is a host, plus a tenant for the calls the
 * service limits per tenant: `api.partnercenter.microsoft.com` or
 * `api.partnercenter.microsoft.com tenant 6b1a…`. Every call draws from its host's partner
 * scope; a call an adapter's rules name also draws from its tenant's scope, so a 429 there can
 * slow that one tenant instead of the whole run. Each adapter brings its table: Partner Center
 * limits what is below `/customers/{id}/` per customer tenant (the tenant is in the path);
 * Microsoft Graph limits per app per tenant (the tenant is the one the request's token is for).
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

export interface Scope {
  /** `host` or `host tenant <id>`: one budget each. */
  key: string;
  kind: ScopeKind;
  host: string;
  /** Lowercase tenant id (customer tenant) for `tenant` scopes. */
  tenant?: string;
  /** Scopes of one class share what is learned about their limit (`host tenant`). */
  classKey: string;
  /**
   * Where a partner scope's learned rate starts (requests/s), when its service documents a limit
   * far above the budget's own start (Microsoft Graph's per app); default the budget's. Read when
   * its class is first used.
   */
  initialRps?: number;
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

/**
 * Partner Center's row of the scope table (src/http/scopes.ts). It throttles some APIs per
 * partner tenant and others per partner tenant *and* customer tenant ("API throttling guidance
 * for partners calling Partner Center APIs", learn.microsoft.com: the Subscription resource, for
 * example, allows 500 requests per minute per customer tenant).
 */
import type { ScopeRule } from "../http/scopes.js";

export { partnerScope, scopesFor, tenantScope, type Scope, type ScopeKind, type ScopeRule } from "../http/scopes.js";

/**
 * Partner Center calls limited per customer tenant: everything below `/customers/{id}/`.
 * The customer list, a customer by id and the offer catalog are per partner only.
 */
export const PARTNER_CENTER_TENANT_RULES: readonly ScopeRule[] = [
  { name: "customer sub-resources (subscriptions, subscribed SKUs, users, licenses, orders)", path: /^\/customers\/([^/?#]+)\/[^?#]/i, tenantFrom: "path" },
];

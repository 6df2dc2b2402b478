/**
 * Whose limit a group of 429s was: the partner's, or one customer tenant's. The service does
 * not say (the 429 body and Retry-After are the same), so the client judges from the 429s
 * gathered over a few round trips after the first one, and from what it has measured before:
 *
 * - The partner had been measured to allow more than it was sending (at least 1/0.85 of it,
 *   between two of its own throttles): not the partner's; the tenant's.
 * - All the 429s on one tenant, and that tenant either held at the learned tenant limit (the
 *   limit is too high) or its bucket visibly dry (hitTenantCeiling): the tenant's.
 * - Anything else — a partner-only call throttled, several tenants throttled at once, a lone
 *   429 with nothing to tell by: the partner's. Cutting the partner is the safe mistake, and a
 *   partner-wide limit throttles whatever request comes next, whichever tenant it is for.
 */
import type { Instance } from "./request-budget.js";

export interface ThrottleHit {
  /** The request's tenant scope; absent for partner-only calls. */
  tenant?: Instance;
  sentAt: number;
  /** When the service allows the request again. */
  until: number;
  /** The tenant's requests in the last second, this one included. */
  sentLastSecond: number;
  /** The tenant had to wait for a learned tenant limit within the last second. */
  heldAtTenantLimit: boolean;
  /** The partner's requests in the last second. */
  partnerSentLastSecond: number;
}

export type ThrottleVerdict = { scope: "partner" } | { scope: "tenant"; tenant: Instance };

export interface ThrottleGroup {
  hits: readonly ThrottleHit[];
  /** Successes while gathering, per throttled tenant, of its requests sent after its first 429'd one. */
  sameAccepted: ReadonlyMap<string, number>;
  /** Answers (success or 429) while gathering, per throttled tenant, of its requests sent after its first 429'd one. */
  sameAnswered: ReadonlyMap<string, number>;
  /** The partner's requests in the second before the first 429 came in. */
  partnerSent: number;
}

export interface ThrottleContext {
  /** The most any tenant of the class got accepted in a second. */
  maxTenantAccepted: number;
  /** The partner's limit as measured between two of its throttles (requests/s); 0 until then. */
  partnerCeiling: number;
}

/** Share of the busiest second any tenant had accepted that a tenant must reach to be blamed. */
const HEAVY_SHARE = 0.8;
/** Above this share of the partner's traffic, one tenant's limit cannot be told from the partner's. */
const ALONE_SHARE = 0.7;
/** Sending below this share of its measured limit, the partner is not at its limit. */
const BELOW_CEILING = 0.85;

export function decideThrottle(group: ThrottleGroup, ctx: ThrottleContext): ThrottleVerdict {
  const partner = { scope: "partner" } as const;
  const { hits } = group;
  if (hits.some((h) => !h.tenant)) return partner;
  const heaviest = [...hits].sort((a, b) => b.sentLastSecond - a.sentLastSecond)[0];
  const tenant: ThrottleVerdict = heaviest?.tenant ? { scope: "tenant", tenant: heaviest.tenant } : partner;
  if (ctx.partnerCeiling > 0 && group.partnerSent < BELOW_CEILING * ctx.partnerCeiling) return tenant;
  const tenants = new Set(hits.map((h) => h.tenant?.scope.key));
  if (tenants.size === 1 && hits.every((h) => h.heldAtTenantLimit || hitTenantCeiling(h, group, ctx))) return tenant;
  return partner;
}

/**
 * The tenant's own bucket ran dry: its other requests answered meanwhile were refused too
 * (at least two, three in four or more), it was busy (at least 3 requests in the last second
 * and 4/5 of the most any tenant got accepted in a second), and either it was not nearly all
 * the partner's traffic or the evidence is ample (four answers or more): a partner-wide limit
 * lets a share of the requests in flight through, a tenant's does not.
 */
function hitTenantCeiling(h: ThrottleHit, group: ThrottleGroup, ctx: ThrottleContext): boolean {
  if (!h.tenant) return false;
  const key = h.tenant.scope.key;
  const answered = group.sameAnswered.get(key) ?? 0;
  const refusedAlike = answered >= 2 && (group.sameAccepted.get(key) ?? 0) <= answered / 4;
  const busy = h.sentLastSecond >= 3 && h.sentLastSecond >= HEAVY_SHARE * ctx.maxTenantAccepted;
  const amongOthers = h.sentLastSecond <= ALONE_SHARE * h.partnerSentLastSecond;
  return refusedAlike && busy && (amongOthers || answered >= 4);
}

/**
 * Whose limit a group of 429s was: the partner's, or one customer tenant's. The service does
 * not say (the 429 body and Retry-After are the same), so the client judges from the 429s
 * gathered over a few round trips after the first one, and from what it has measured before:
 *
 * - The partner had been measured to allow more than it was sending (at least 1/0.85 of it,
 *   between two of its own throttles, or twice it at its last throttle, even one judged from
 *   slow start): not the partner's; the tenant's.
 * - All the 429s on one tenant, and that tenant either held at the learned tenant limit (the
 *   limit is too high) or its bucket visibly dry (hitTenantCeiling): the tenant's.
 * - Several tenants throttled at once, every one of them among the busiest (each sent at least
 *   twice what the average tenant sent in the last second): the tenants'. A partner-wide limit
 *   refuses whichever request comes next, so among several 429s some land on quiet tenants;
 *   tenants' own limits refuse only the busy ones. So too when every one of them was at the
 *   learned tenant limit (held back by it, or sent as much in the last second) while the
 *   partner sent less than it was last throttled at: a partner-wide limit would refuse tenants
 *   below it as well. With fewer tenants throttled, only if the partner's other requests kept
 *   passing meanwhile (its bucket was not empty).
 * - Anything else — a partner-only call throttled, several tenants throttled at once, a lone
 *   429 with nothing to tell by: the partner's. Cutting the partner is the safe mistake, and a
 *   partner-wide limit throttles whatever request comes next, whichever tenant it is for.
 */

export interface ThrottleHit {
  /** The request's tenant scope (its key); absent for partner-only calls. */
  tenant?: string;
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

export type ThrottleVerdict = { scope: "partner" } | { scope: "tenant"; tenant: string };

export interface ThrottleGroup {
  hits: readonly ThrottleHit[];
  /** Successes while gathering, per throttled tenant, of its requests sent after its first 429'd one. */
  sameAccepted: ReadonlyMap<string, number>;
  /** Answers (success or 429) while gathering, per throttled tenant, of its requests sent after its first 429'd one. */
  sameAnswered: ReadonlyMap<string, number>;
  /** The partner's requests in the second before the first 429 came in. */
  partnerSent: number;
  /** Answers while gathering to the partner's requests sent after the first 429'd one, and how many passed. */
  after: { passed: number; answered: number };
  /** Requests per tenant, over the tenants that sent any in the second before the first 429 (0: unknown). */
  meanTenantSent: number;
}

export interface ThrottleContext {
  /** The most any tenant of the class got accepted in a second. */
  maxTenantAccepted: number;
  /** The partner's limit as measured between two of its throttles (requests/s); 0 until then. */
  partnerCeiling: number;
  /** The rate the partner was last throttled at, measured or estimated (requests/s); 0 before its first throttle. */
  partnerLastThrottled: number;
  /** The tenant class's learned rate (requests/s); 0 while no tenant limit is known. */
  tenantRate: number;
}

/** Share of the busiest second any tenant had accepted that a tenant must reach to be blamed. */
const HEAVY_SHARE = 0.8;
/** Above this share of the partner's traffic, one tenant's limit cannot be told from the partner's. */
const ALONE_SHARE = 0.7;
/** Share of the partner's later requests passing that says its bucket was not empty. */
const KEPT_PASSING = 0.9;
/** Tenants throttled at once from which "only the busiest" is told apart from chance. */
const MANY_TENANTS = 4;
/** A busy tenant, against the average tenant's requests in the last second. */
const BUSY_FACTOR = 2;
/** Sending below this share of the rate it was last throttled at (even an estimate of it), the partner is not at its limit. */
const FAR_BELOW = 0.5;
/** Sending below this share of its measured limit, the partner is not at its limit. */
const BELOW_CEILING = 0.85;

export function decideThrottle(group: ThrottleGroup, ctx: ThrottleContext): ThrottleVerdict {
  const partner = { scope: "partner" } as const;
  const { hits } = group;
  if (hits.some((h) => !h.tenant)) return partner;
  const heaviest = [...hits].sort((a, b) => b.sentLastSecond - a.sentLastSecond)[0];
  const tenant: ThrottleVerdict = heaviest?.tenant ? { scope: "tenant", tenant: heaviest.tenant } : partner;
  if (ctx.partnerCeiling > 0 && group.partnerSent < BELOW_CEILING * ctx.partnerCeiling) return tenant;
  if (ctx.partnerLastThrottled > 0 && group.partnerSent < FAR_BELOW * ctx.partnerLastThrottled) return tenant;
  const tenants = new Set(hits.map((h) => h.tenant));
  if (tenants.size === 1 && hits.every((h) => h.heldAtTenantLimit || hitTenantCeiling(h, group, ctx))) return tenant;
  const atTenantLimit = (h: ThrottleHit) => h.heldAtTenantLimit || (ctx.tenantRate > 0 && h.sentLastSecond >= ctx.tenantRate);
  const belowPartnerLimit = group.partnerSent < ctx.partnerLastThrottled;
  if (tenants.size >= MANY_TENANTS && onlyTheBusiest(group)) return tenant;
  if (belowPartnerLimit && hits.every(atTenantLimit) && (tenants.size >= MANY_TENANTS || partnerKeptPassing(group))) return tenant;
  return partner;
}

/** Of the partner's requests sent after the first 429'd one, nearly all passed (enough of them to tell). */
function partnerKeptPassing(group: ThrottleGroup): boolean {
  return group.after.answered >= 8 && group.after.passed >= KEPT_PASSING * group.after.answered;
}

/**
 * Every throttled tenant sent at least `BUSY_FACTOR` times the average tenant's requests. Were
 * it the partner's limit, each of the 429s would land on a busy tenant with a chance no higher
 * than the busy tenants' share of the traffic; with `MANY_TENANTS` of them all busy, that
 * chance is small.
 */
function onlyTheBusiest(group: ThrottleGroup): boolean {
  if (!(group.meanTenantSent > 0)) return false;
  return group.hits.every((h) => h.sentLastSecond >= 3 && h.sentLastSecond >= BUSY_FACTOR * group.meanTenantSent);
}

/**
 * The tenant's own bucket ran dry: its other requests answered meanwhile were refused too
 * (at least two, three in four or more), it was busy (at least 3 requests in the last second
 * and 4/5 of the most any tenant got accepted in a second), and either it was not nearly all
 * the partner's traffic or the evidence is ample (four answers or more): a partner-wide limit
 * lets a share of the requests in flight through, a tenant's does not.
 */
function hitTenantCeiling(h: ThrottleHit, group: ThrottleGroup, ctx: ThrottleContext): boolean {
  const key = h.tenant;
  if (!key) return false;
  const answered = group.sameAnswered.get(key) ?? 0;
  const refusedAlike = answered >= 2 && (group.sameAccepted.get(key) ?? 0) <= answered / 4;
  const busy = h.sentLastSecond >= 3 && h.sentLastSecond >= HEAVY_SHARE * ctx.maxTenantAccepted;
  const amongOthers = h.sentLastSecond <= ALONE_SHARE * h.partnerSentLastSecond;
  return refusedAlike && busy && (amongOthers || answered >= 4);
}

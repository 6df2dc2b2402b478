/**
 * Whose limit a group of 429s was: the partner's, or customer tenants'. The service does not
 * say (the 429 body and Retry-After are the same), so the budget gathers the 429s of a few round
 * trips after the first one, and what else was answered meanwhile, and judges:
 *
 * - A partner-only call throttled: the partner's.
 * - Every 429 on a tenant held at the learned tenant limit, the partner's own limit known and
 *   the partner well under it: that tenant limit is too high. In slow start the partner runs past
 *   its limit within a few round trips, and its 429s land on whoever sends: with customers' work
 *   announced (scheduler.ts), mostly customers held at their limit (issue 27).
 * - The others kept passing: of the requests of other tenants (and partner-only calls) sent after
 *   the first 429'd one, nearly all passed — a partner-wide limit, its bucket empty, would have
 *   refused them alike.
 * - Only busy tenants throttled (each sending three requests a second or more, and twice what the
 *   average tenant sends), and then:
 *   - the partner sending less than the rate it was last throttled at, and no other's request
 *     refused meanwhile: the tenants'. A partner-wide limit refuses only once the partner sends
 *     past it; below it, the busy tenants' own limits did. (With few customers busy, the partner
 *     is seldom at its limit when they are throttled: issue 27's "4 large customers among 60
 *     small" run.) A partner limit that fell (another application of the partner using it) is
 *     below its last throttled rate too, but refuses the others' requests as well.
 *   - otherwise (no limit known yet, or the partner at it): a partner-wide limit refuses whichever
 *     request comes next, so each of its 429s lands on a busy tenant with a chance of the busy
 *     tenants' share of the traffic; all `k` of them, with that share to the power `k`. At most
 *     one in ten: the tenants'.
 * - Anything else: the partner's. Cutting the partner is the safe mistake: it slows everyone,
 *   and never overruns.
 *
 * While the partner sends near its known limit or past it, its own 429s are expected, and few pass
 * or fail to tell by (just past its limit, a partner-wide limit refuses only the few requests over
 * it): the others' passing is not trusted then, and at the limit or past it the busy tenants'
 * chance must be one in a hundred.
 */

export interface ThrottleHit {
  /** The request's tenant scope (its key); absent for partner-only calls. */
  tenant?: string;
  sentAt: number;
  /** The tenant's requests in the last second, this one included. */
  sentLastSecond: number;
  /** The tenant had to wait for a learned tenant limit within the last second. */
  heldAtTenantLimit: boolean;
}

export type ThrottleVerdict = { scope: "partner" } | { scope: "tenant"; tenant: string };

export interface ThrottleGroup {
  hits: readonly ThrottleHit[];
  /** The partner's requests in the second before the first 429 came in. */
  partnerSent: number;
  /** A tenant sending this many requests a second or more is busy (0: none is). */
  busyFrom: number;
  /** The busy tenants' share of the partner's requests in that second. */
  busyShare: number;
  /** Answers while gathering to requests sent after the first 429'd one by others than the throttled tenants, and how many passed. */
  others: { passed: number; answered: number };
}

export interface ThrottleContext {
  /** The rate the partner was last throttled at, measured or estimated (requests/s); 0 before its first throttle. */
  partnerLastThrottled: number;
}

/** Answers of others needed to tell, and the share of them that must have passed. */
const ENOUGH_OTHERS = 8;
const KEPT_PASSING = 0.9;
/** The chance, were it the partner's limit, of its 429s all landing on busy tenants, below which they are the tenants': before the partner's limit is known, and at it. */
const CHANCE = 0.1;
const CHANCE_AT_LIMIT = 0.01;
/**
 * The partner sending this share of the rate it was last throttled at, or more, is near its
 * limit: a limit read off a 429 can be a few per cent high, and the climb levels at 0.95 of it,
 * so a partner "under" it may be just over the service's. Its sparse 429s then land on customers
 * held at their limit, or sending little, while nearly all the others pass — and put down to
 * those customers, each cut their class's rate again: 4.4 down to 1.7 requests/s in 2 s, a run
 * at 2.1× its bound (issue 27, on the wall clock).
 */
const NEAR = 0.9;

export function decideThrottle(group: ThrottleGroup, ctx: ThrottleContext): ThrottleVerdict {
  const partner = { scope: "partner" } as const;
  const { hits } = group;
  const heaviest = [...hits].sort((a, b) => b.sentLastSecond - a.sentLastSecond)[0];
  if (!heaviest?.tenant || hits.some((h) => !h.tenant)) return partner;
  const tenant: ThrottleVerdict = { scope: "tenant", tenant: heaviest.tenant };
  const known = ctx.partnerLastThrottled > 0;
  const atPartnerLimit = known && group.partnerSent >= ctx.partnerLastThrottled;
  const nearPartnerLimit = known && group.partnerSent >= NEAR * ctx.partnerLastThrottled;
  if (known && !nearPartnerLimit && hits.every((h) => h.heldAtTenantLimit)) return tenant;
  if (!nearPartnerLimit && othersKeptPassing(group)) return tenant;
  const onBusy = group.busyFrom > 0 && hits.every((h) => h.sentLastSecond >= group.busyFrom);
  if (!onBusy) return partner;
  // Below the rate it was last throttled at, a partner-wide limit has tokens to spare.
  if (known && !atPartnerLimit && group.others.passed === group.others.answered) return tenant;
  return group.busyShare ** hits.length <= (atPartnerLimit ? CHANCE_AT_LIMIT : CHANCE) ? tenant : partner;
}

function othersKeptPassing({ others }: ThrottleGroup): boolean {
  return others.answered >= ENOUGH_OTHERS && others.passed >= KEPT_PASSING * others.answered;
}

import type { MigrationPlan, PlanCustomer } from "../plan-file/types.js";
import { daysBetween, earliest } from "../util/dates.js";
import { buyerFor } from "./strategies/buy-new.js";
import { retirerFor } from "./strategies/retire.js";
import { planTransition } from "./strategies/transition.js";
import { planAtRenewal } from "./strategies/at-renewal.js";
import type { CustomerContext, Outcome } from "./strategies/types.js";
import type { Action, CustomerPlan, LiveCustomer, LiveState, LiveSubscription, LiveUser, Note, ReassignAction, ReconcileOptions } from "./types.js";

/**
 * The diff: plans + live state → the minimal actions per planned customer.
 * Pure and synchronous: no I/O, no clock (now comes in), inputs never mutated.
 * Customers not named in a plan are never looked at.
 */
export function reconcile(plans: readonly MigrationPlan[], live: LiveState, opts: ReconcileOptions): CustomerPlan[] {
  const out: CustomerPlan[] = [];
  for (const plan of plans) {
    for (const customer of plan.customers) out.push(reconcileCustomer(plan, customer, live, opts));
  }
  return out;
}

export function reconcileCustomer(plan: MigrationPlan, pc: PlanCustomer, live: LiveState, opts: ReconcileOptions): CustomerPlan {
  const lc = live.customers.get(pc.id);
  const failure = live.failures.get(pc.id);
  if (!lc || failure !== undefined) return unreadable(plan, pc, failure);
  const ctx: CustomerContext = { plan, customer: pc, live: lc, state: live, now: opts.now, country: opts.country };
  const facts = factsOf(ctx);
  const blocked = blockers(ctx);
  if (blocked.length > 0) return finish(ctx, facts, [], blocked, opts);
  const notes: Note[] = [];
  return finish(ctx, facts, plannedActions(ctx, facts, notes), notes, opts);
}

/** What a customer's actions rest on, from the subscribed SKUs (authoritative) and the source holders read. */
interface Facts {
  activeSource: LiveSubscription[];
  activeTarget: LiveSubscription[];
  /** Source holders who move (not excluded). */
  toMove: LiveUser[];
  excludedHolders: number;
  /** Source units held by someone: the consumed units, or the holders read if more. */
  sourceHeld: number;
  counts: CustomerPlan["counts"];
}

function factsOf({ plan, customer: pc, live: lc }: CustomerContext): Facts {
  const consumed = (skuId: string) => lc.skus.find((k) => k.skuId === skuId)?.consumedUnits ?? 0;
  const excludedSet = new Set(pc.exclude);
  const holders = (lc.users ?? []).filter((u) => u.skuIds.includes(plan.source.skuId));
  const toMove = holders.filter((u) => !excludedSet.has(u.upn.toLowerCase()));
  const excludedHolders = holders.length - toMove.length;
  const active = (skuId: string) => lc.subscriptions.filter((s) => s.skuId === skuId && s.status === "active");
  return {
    activeSource: active(plan.source.skuId),
    activeTarget: active(pc.target.skuId),
    toMove,
    excludedHolders,
    // Holders we could not see (counts ahead of the user reads) keep the source in use.
    sourceHeld: Math.max(consumed(plan.source.skuId), holders.length),
    counts: { sourceHolders: holders.length, onTarget: consumed(pc.target.skuId), excluded: excludedHolders },
  };
}

/**
 * Why nothing at all may be planned for this customer: a subscription pcplan cannot map (it could
 * be the source or the target: act on nothing rather than buy twice or retire what is in use),
 * or seats on their way (no second purchase, no reassignment before a free unit exists).
 */
function blockers({ plan, customer: pc, live: lc }: CustomerContext): Note[] {
  const unmapped = lc.subscriptions.filter((s) => s.unmapped !== undefined && (s.status === "active" || s.status === "pending"));
  if (unmapped.length > 0) {
    return unmapped.map((s) => ({
      level: "error",
      code: "unmapped",
      message: `subscription ${s.id} (${s.offerId}) is unmapped: ${s.unmapped}; it could be the source or the target, so this customer is left untouched`,
    }));
  }
  // One said to provision no licence (its catalog SKU has no provisioningId: an Azure plan) is
  // ignored, unless the counts show source or target units no mapped subscription provides.
  const unexplained = unexplainedUnits(lc, [plan.source.skuPartNumber, plan.source.skuId], [pc.target.skuPartNumber, pc.target.skuId]);
  if (unexplained) return [{ level: "error", code: "unmapped", message: unexplained }];
  const provisioning = lc.subscriptions.filter((s) => s.skuId === pc.target.skuId && s.status === "pending").map((s) => `subscription ${s.id}`);
  const inFlight = lc.pendingOrders.filter((o) => o.skuIds.some((id) => id === undefined || id === pc.target.skuId)).map((o) => `order ${o.id}`);
  if (provisioning.length + inFlight.length > 0) {
    return [{ level: "warning", code: "awaiting-provisioning", message: `awaiting provisioning (${[...inFlight, ...provisioning].join(", ")})` }];
  }
  return [];
}

/** A transition where the plan asks for one and Microsoft allows it; else seats, reassignments, retirements, in that order. */
function plannedActions(ctx: CustomerContext, facts: Facts, notes: Note[]): Action[] {
  if (ctx.customer.strategy === "transition") {
    const t = planTransition(ctx, facts.activeSource, {
      excludedHolders: facts.excludedHolders,
      holders: facts.sourceHeld,
      targetSubscriptions: facts.activeTarget.length,
    });
    if ("action" in t) return [t.action];
    notes.push({ level: "info", code: "transition-fallback", message: `no transition, falling back to purchase: ${t.fallback}` });
  }
  if (ctx.customer.strategy === "at-renewal") {
    const r = planAtRenewal(ctx, { ...facts, holders: facts.sourceHeld, requiredSeats: requiredSeats(ctx, facts) });
    notes.push(...r.notes);
    if (r.wait) return r.actions;
  }
  const actions = seatActions(ctx, facts, notes);
  const seatsBlocked = notes.some((n) => n.level === "error");
  // One licence update per user, sorted for stable previews.
  if (!seatsBlocked) actions.push(...reassignments(facts.toMove, ctx));
  actions.push(...retirements(ctx, facts, notes, seatsBlocked));
  return actions;
}

/** Enough target seats: raise the biggest target subscription there is, else buy. */
function seatActions(ctx: CustomerContext, facts: Facts, notes: Note[]): Action[] {
  const { customer: pc } = ctx;
  const required = requiredSeats(ctx, facts);
  const capacity = facts.activeTarget.reduce((n, s) => n + s.quantity, 0);
  if (required <= capacity) return [];
  const missing = required - capacity;
  const biggest = [...facts.activeTarget].sort((a, b) => b.quantity - a.quantity || a.id.localeCompare(b.id))[0];
  if (biggest) return [{ kind: "resize", subscriptionId: biggest.id, sku: pc.target, from: biggest.quantity, to: biggest.quantity + missing }];
  const actions: Action[] = [];
  take(buyerFor(ctx).buy(missing, ctx), actions, notes);
  return actions;
}

/** Target seats once everyone moved: the users on it then, or the plan's `seats` if more. */
function requiredSeats({ customer: pc }: CustomerContext, facts: Facts): number {
  const moving = facts.toMove.filter((u) => !u.skuIds.includes(pc.target.skuId)).length;
  const onTargetAfter = facts.counts.onTarget + moving;
  return pc.seats === "users" ? onTargetAfter : Math.max(pc.seats, onTargetAfter);
}

/** The source subscriptions retired once nobody holds the source after the reassignments (fails closed). */
function retirements(ctx: CustomerContext, facts: Facts, notes: Note[], seatsBlocked: boolean): Action[] {
  const { plan, customer: pc, live: lc } = ctx;
  const { excludedHolders, activeSource } = facts;
  if (excludedHolders > 0) {
    const s = excludedHolders === 1 ? "" : "s";
    notes.push({
      level: "info",
      code: "excluded-holds-source",
      message: `${excludedHolders} excluded user${s} keep${s ? "" : "s"} ${plan.source.skuPartNumber}; its subscription stays active`,
    });
  }
  // An active source the subscribed SKUs do not count could be held by anyone.
  if (activeSource.length > 0 && !lc.skus.some((k) => k.skuId === plan.source.skuId)) {
    notes.push({
      level: "error",
      code: "source-uncounted",
      message: `the subscribed SKUs do not list ${plan.source.skuPartNumber} although subscription ${activeSource[0]?.id} of it is active: whether users hold it is unknown, so it is not retired`,
    });
    return [];
  }
  if (facts.sourceHeld - facts.toMove.length !== 0 || seatsBlocked) return [];
  const actions: Action[] = [];
  const retirer = retirerFor(pc.decommission);
  for (const s of [...activeSource].sort((a, b) => a.id.localeCompare(b.id))) take(retirer.retire(s, ctx), actions, notes);
  return actions;
}

/** The customer's plan, with a warning when its source ends soon (or has ended) and there is work to do. */
function finish(ctx: CustomerContext, facts: Facts, actions: Action[], notes: Note[], opts: ReconcileOptions): CustomerPlan {
  const sourceEndDate = earliest(facts.activeSource.map((s) => s.commitmentEndDate));
  const daysLeft = sourceEndDate === undefined ? undefined : daysBetween(opts.now, sourceEndDate);
  if (daysLeft !== undefined && actions.length > 0) {
    if (daysLeft < 0)
      notes.push({ level: "warning", code: "ended", message: `source subscription term ended ${sourceEndDate?.slice(0, 10)} (${-daysLeft} days ago)` });
    else if (daysLeft <= opts.warnDays)
      notes.push({ level: "warning", code: "ends-soon", message: `source subscription ends ${sourceEndDate?.slice(0, 10)}, in ${daysLeft} days` });
  }
  return { ...header(ctx.plan, ctx.customer, ctx.customer.name ?? ctx.live.name), sourceEndDate, daysLeft, actions, notes, counts: facts.counts };
}

/** A customer that could not be read, or was not found: nothing is planned for it. */
function unreadable(plan: MigrationPlan, pc: PlanCustomer, failure: string | undefined): CustomerPlan {
  const note: Note =
    failure !== undefined
      ? { level: "error", code: "read-failed", message: `could not read the customer's state, nothing is planned for it: ${failure}` }
      : { level: "error", code: "not-found", message: "customer not found among the partner's customers" };
  return {
    ...header(plan, pc, pc.name ?? pc.id),
    sourceEndDate: undefined,
    daysLeft: undefined,
    actions: [],
    notes: [note],
    counts: { sourceHolders: 0, onTarget: 0, excluded: 0 },
  };
}

/**
 * When a subscription without a known licence SKU is active and the subscribed SKUs count more
 * units of the source or target than the mapped subscriptions hold, that subscription provides
 * them: the reason to leave the customer untouched; else undefined.
 */
function unexplainedUnits(lc: LiveCustomer, ...skus: [name: string, skuId: string][]): string | undefined {
  const unknown = lc.subscriptions.filter((s) => s.skuId === undefined && s.status === "active");
  if (unknown.length === 0) return undefined;
  for (const [name, skuId] of skus) {
    const counted = lc.skus.find((k) => k.skuId === skuId)?.totalUnits ?? 0;
    const mapped = lc.subscriptions.filter((s) => s.skuId === skuId && s.status === "active").reduce((n, s) => n + s.quantity, 0);
    if (counted > mapped) {
      return `${counted - mapped} ${name} unit${counted - mapped === 1 ? "" : "s"} come from a subscription pcplan cannot map (${unknown.map((s) => s.id).join(", ")}: its catalog SKU names no licence); it could be the source or the target, so this customer is left untouched`;
    }
  }
  return undefined;
}

function header(plan: MigrationPlan, pc: PlanCustomer, name: string) {
  return { customerId: pc.id, name, planName: plan.name, source: plan.source, target: pc.target };
}

function reassignments(users: LiveCustomer["users"] & object, { plan, customer }: CustomerContext): ReassignAction[] {
  return users
    .map((u): ReassignAction => ({
      kind: "reassign",
      userId: u.id,
      upn: u.upn,
      assign: u.skuIds.includes(customer.target.skuId) ? null : customer.target,
      remove: plan.source,
    }))
    .sort((a, b) => a.upn.localeCompare(b.upn));
}

function take(o: Outcome<Action>, actions: Action[], notes: Note[]): void {
  if ("action" in o) actions.push(o.action);
  if ("note" in o && o.note) notes.push(o.note);
}

import type { MigrationPlan, PlanCustomer } from "../plan-file/types.js";
import { daysBetween, earliest } from "../util/dates.js";
import { buyerFor } from "./strategies/buy-new.js";
import { retirerFor } from "./strategies/retire.js";
import { planTransition } from "./strategies/transition.js";
import { planAtRenewal } from "./strategies/at-renewal.js";
import type { CustomerContext, Outcome } from "./strategies/types.js";
import { awaitOrderKind, type AwaitOrderAction } from "../actions/await-order.js";
import { kindOf } from "../actions/registry.js";
import { decideHoldings, type Holdings } from "./holdings.js";
import type {
  Action,
  CustomerPlan,
  GroupLicenseAction,
  LicenceAccess,
  LiveCustomer,
  LiveState,
  LiveSubscription,
  LiveUser,
  Note,
  ReassignAction,
  ReconcileOptions,
} from "./types.js";

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
  const access = live.access?.get(pc.id);
  if (!lc && failure === undefined && access?.state === "refused") return { ...unreadable(plan, pc, undefined, access), access };
  if (!lc || failure !== undefined) return unreadable(plan, pc, failure);
  const ctx: CustomerContext = { plan, customer: pc, live: lc, state: live, now: opts.now, country: opts.country };
  const facts = factsOf(ctx);
  const blocked = blockers(ctx);
  if (blocked.length > 0) return withAccess(finish(ctx, facts, [], blocked, opts), access);
  const notes: Note[] = [];
  const awaited = awaitedOrders(ctx);
  if (awaited) return withAccess(finish(ctx, facts, awaitThenPlan(ctx, awaited, notes), notes, opts), access);
  return withAccess(finish(ctx, facts, plannedActions(ctx, facts, notes), notes, opts), access);
}

/**
 * What the credential may do with the customer's licences, on its plan; where it may not and
 * the actions need it, an error that says what is missing: `apply` writes nothing for the customer
 * (src/apply/access-check.ts), so nothing is bought that could not be handed out.
 */
function withAccess(c: CustomerPlan, access: LicenceAccess | undefined): CustomerPlan {
  if (!access) return c;
  const needed = c.actions.some((a) => kindOf(a).permission === "licenses");
  if (access.state !== "refused" || !needed) return { ...c, access };
  const note: Note = {
    level: "error",
    code: "access-refused",
    message: `nothing will be written for this customer: the credential may not change licenses in its tenant: ${access.missing}`,
  };
  return { ...c, access, notes: [...c.notes, note] };
}

/**
 * Orders not yet seen settled (pending in Partner Center, or pcplan's own not settled yet),
 * whatever they buy: waited for as the run's own would be; no other purchase for the customer
 * until they settle. Undefined when there are none.
 */
function awaitedOrders({ customer: pc, live: lc }: CustomerContext): AwaitOrderAction | undefined {
  if (lc.pendingOrders.length === 0) return undefined;
  const lines = lc.pendingOrders.flatMap((o) => o.lines);
  const ofTarget = lines.length > 0 && lines.every((l) => l.skuId === pc.target.skuId && l.quantity !== undefined);
  return {
    kind: "await",
    orderIds: lc.pendingOrders.map((o) => o.id),
    sku: ofTarget ? pc.target : null,
    quantity: lines.reduce((n, l) => n + (l.quantity ?? 0), 0),
  };
}

/**
 * The awaited orders first; then, when they bring the target and enough of it, the customer's
 * later steps planned on the state they leave (as after the run's own purchase). Otherwise the
 * wait alone, and the next run plans the rest once they settled: never a purchase (of any SKU)
 * or a resize while an order is in flight.
 */
function awaitThenPlan(ctx: CustomerContext, awaited: AwaitOrderAction, notes: Note[]): Action[] {
  notes.push({ level: "warning", code: "awaiting-provisioning", message: `awaiting provisioning (${awaited.orderIds.map((id) => `order ${id}`).join(", ")})` });
  if (!awaited.sku) {
    notes.push({ level: "info", code: "awaiting-provisioning", message: `no purchase of ${ctx.customer.target.skuPartNumber} until the order settles` });
    return [awaited];
  }
  const after: CustomerContext = { ...ctx, live: awaitOrderKind.applyToLive(ctx.live, awaited) };
  const later: Note[] = [];
  const rest = plannedActions(after, factsOf(after), later);
  if (rest.some((a) => a.kind === "purchase" || a.kind === "resize" || a.kind === "transition")) {
    notes.push({ level: "info", code: "awaiting-provisioning", message: "the seats it brings are not enough: the rest is planned once it settles" });
    return [awaited];
  }
  notes.push(...later);
  return [awaited, ...rest];
}

/** What a customer's actions rest on, from the subscribed SKUs (authoritative) and the source holders read. */
interface Facts {
  activeSource: LiveSubscription[];
  activeTarget: LiveSubscription[];
  /** Source holders who move (not excluded). */
  toMove: LiveUser[];
  /** How they hold it and how each moves (directly, with their group, or not at all). */
  holdings: Holdings;
  excludedHolders: number;
  /** Source units held by someone: the consumed units, or the holders read if more. */
  sourceHeld: number;
  counts: CustomerPlan["counts"];
}

function factsOf({ plan, customer: pc, live: lc, state, country }: CustomerContext): Facts {
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
    holdings: decideHoldings({ plan, pc, lc, state, country }, toMove),
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
  const conflicting = (lc.duplicateSubscriptions ?? []).filter((d) => d.differs);
  if (conflicting.length > 0) {
    return conflicting.map((d) => ({
      level: "error",
      code: "duplicate-subscription",
      message: `subscription ${d.id} was listed ${d.copies} times by Partner Center, the copies differing: which one is true is unknown, so this customer is left untouched`,
    }));
  }
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
  if (provisioning.length > 0) {
    const orders = lc.pendingOrders.map((o) => `order ${o.id}`);
    return [{ level: "warning", code: "awaiting-provisioning", message: `awaiting provisioning (${[...orders, ...provisioning].join(", ")})` }];
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
  notes.push(...facts.holdings.notes);
  // Groups first (each one call), then one licence update per user, sorted for stable previews.
  if (!seatsBlocked) actions.push(...groupChanges(facts.holdings, ctx), ...reassignments(facts.holdings, ctx));
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
  // Each user once: direct movers and members of moving groups who do not hold the target yet.
  const moving = facts.holdings.newOnTarget.size;
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
  if (facts.sourceHeld - facts.holdings.released.size !== 0 || seatsBlocked) return [];
  const actions: Action[] = [];
  const retirer = retirerFor(pc.decommission);
  for (const s of [...activeSource].sort((a, b) => a.id.localeCompare(b.id))) take(retirer.retire(s, ctx), actions, notes);
  return actions;
}

/** The customer's plan, with a warning when its source ends soon (or has ended) and there is work to do. */
function finish(ctx: CustomerContext, facts: Facts, actions: Action[], notes: Note[], opts: ReconcileOptions): CustomerPlan {
  for (const d of ctx.live.duplicateSubscriptions ?? []) {
    if (!d.differs)
      notes.push({
        level: "warning",
        code: "duplicate-subscription",
        message: `subscription ${d.id} was listed ${d.copies} times by Partner Center; counted once`,
      });
  }
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
function unreadable(plan: MigrationPlan, pc: PlanCustomer, failure: string | undefined, refused?: LicenceAccess & { state: "refused" }): CustomerPlan {
  const note: Note = refused
    ? {
        level: "error",
        code: "access-refused",
        message: `the credential cannot read or change licenses in this customer's tenant, nothing is planned for it: ${refused.missing}`,
      }
    : failure !== undefined
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

function reassignments(h: Holdings, { plan, customer }: CustomerContext): ReassignAction[] {
  // A user who also holds it through a moving group gets the target from the group: only the direct copy goes.
  const throughGroup = new Set(h.groups.flatMap((g) => g.group.members.map((m) => m.id)));
  return h.direct
    .map(({ user: u, disabledPlans, usageLocation }): ReassignAction => ({
      kind: "reassign",
      userId: u.id,
      upn: u.upn,
      assign: u.skuIds.includes(customer.target.skuId) || throughGroup.has(u.id) ? null : customer.target,
      remove: plan.source,
      ...(disabledPlans.length > 0 ? { disabledPlans } : {}),
      ...(usageLocation !== undefined ? { usageLocation } : {}),
    }))
    .sort((a, b) => a.upn.localeCompare(b.upn));
}

function groupChanges(h: Holdings, { plan, customer }: CustomerContext): GroupLicenseAction[] {
  return h.groups
    .map(({ group: g, disabledPlans }): GroupLicenseAction => ({
      kind: "group-license",
      groupId: g.id,
      name: g.name,
      members: g.members.length,
      dynamic: g.dynamic,
      assign: customer.target,
      remove: plan.source,
      disabledPlans,
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.groupId.localeCompare(b.groupId));
}

function take(o: Outcome<Action>, actions: Action[], notes: Note[]): void {
  if ("action" in o) actions.push(o.action);
  if ("note" in o && o.note) notes.push(o.note);
}

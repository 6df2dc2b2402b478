import type { MigrationPlan, PlanCustomer } from "../plan-file/types.js";
import { daysBetween, earliest } from "../util/dates.js";
import { buyerFor } from "./strategies/buy-new.js";
import { retirerFor } from "./strategies/retire.js";
import { planTransition } from "./strategies/transition.js";
import type { CustomerContext, Outcome } from "./strategies/types.js";
import type { Action, CustomerPlan, LiveCustomer, LiveState, Note, ReassignAction, ReconcileOptions } from "./types.js";

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
  if (!lc || failure !== undefined) {
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
  const ctx: CustomerContext = { plan, customer: pc, live: lc, state: live, now: opts.now, country: opts.country };
  const source = plan.source;
  const target = pc.target;
  const notes: Note[] = [];
  const activeSource = lc.subscriptions.filter((s) => s.skuId === source.skuId && s.status === "active");

  // Unit counts come from the subscribed SKUs (authoritative); users are only the source holders read.
  const consumed = (skuId: string) => lc.skus.find((k) => k.skuId === skuId)?.consumedUnits ?? 0;
  const excludedSet = new Set(pc.exclude);
  const holders = (lc.users ?? []).filter((u) => u.skuIds.includes(source.skuId));
  const toMove = holders.filter((u) => !excludedSet.has(u.upn.toLowerCase()));
  const excludedHolders = holders.length - toMove.length;
  const onTargetNow = consumed(target.skuId);
  const counts = { sourceHolders: holders.length, onTarget: onTargetNow, excluded: excludedHolders };
  // Holders we could not see (counts ahead of the user reads) keep the source in use.
  const remaining = Math.max(consumed(source.skuId), holders.length) - toMove.length;

  const actions: Action[] = [];
  const finish = (): CustomerPlan => {
    const sourceEndDate = earliest(activeSource.map((s) => s.commitmentEndDate));
    const daysLeft = sourceEndDate === undefined ? undefined : daysBetween(opts.now, sourceEndDate);
    if (daysLeft !== undefined && actions.length > 0) {
      if (daysLeft < 0)
        notes.push({ level: "warning", code: "ended", message: `source subscription term ended ${sourceEndDate?.slice(0, 10)} (${-daysLeft} days ago)` });
      else if (daysLeft <= opts.warnDays)
        notes.push({ level: "warning", code: "ends-soon", message: `source subscription ends ${sourceEndDate?.slice(0, 10)}, in ${daysLeft} days` });
    }
    return { ...header(plan, pc, pc.name ?? lc.name), sourceEndDate, daysLeft, actions, notes, counts };
  };

  // A subscription the catalog will not describe could be the source or the target: act on
  // nothing rather than buy twice or retire what is in use.
  const unmapped = lc.subscriptions.filter((s) => s.unmapped !== undefined && (s.status === "active" || s.status === "pending"));
  if (unmapped.length > 0) {
    for (const s of unmapped) {
      notes.push({
        level: "error",
        code: "unmapped",
        message: `subscription ${s.id} (${s.offerId}) is unmapped: ${s.unmapped}; it could be the source or the target, so this customer is left untouched`,
      });
    }
    return finish();
  }
  // One said to provision no licence (its catalog SKU has no provisioningId: an Azure plan) is
  // ignored, unless the counts show source or target units no mapped subscription provides.
  const unexplained = unexplainedUnits(lc, [source.skuPartNumber, source.skuId], [target.skuPartNumber, target.skuId]);
  if (unexplained) {
    notes.push({ level: "error", code: "unmapped", message: unexplained });
    return finish();
  }

  // Seats on their way (a subscription still provisioning, an order in flight): no second
  // purchase, and no reassignment before a free unit exists.
  const provisioning = lc.subscriptions.filter((s) => s.skuId === target.skuId && s.status === "pending").map((s) => `subscription ${s.id}`);
  const inFlight = lc.pendingOrders.filter((o) => o.skuIds.some((id) => id === undefined || id === target.skuId)).map((o) => `order ${o.id}`);
  if (provisioning.length + inFlight.length > 0) {
    notes.push({ level: "warning", code: "awaiting-provisioning", message: `awaiting provisioning (${[...inFlight, ...provisioning].join(", ")})` });
    return finish();
  }

  const activeTarget = lc.subscriptions.filter((s) => s.skuId === target.skuId && s.status === "active");
  if (pc.strategy === "transition") {
    const t = planTransition(ctx, activeSource, {
      excludedHolders,
      holders: Math.max(consumed(source.skuId), holders.length),
      targetSubscriptions: activeTarget.length,
    });
    if ("action" in t) {
      actions.push(t.action);
      return finish();
    }
    notes.push({ level: "info", code: "transition-fallback", message: `no transition, falling back to purchase: ${t.fallback}` });
  }

  // Step 1: enough target seats — raise the biggest target subscription we have, else buy.
  const moving = toMove.filter((u) => !u.skuIds.includes(target.skuId)).length;
  const onTargetAfter = onTargetNow + moving;
  const required = pc.seats === "users" ? onTargetAfter : Math.max(pc.seats, onTargetAfter);
  const capacity = activeTarget.reduce((n, s) => n + s.quantity, 0);
  if (required > capacity) {
    const missing = required - capacity;
    const biggest = [...activeTarget].sort((a, b) => b.quantity - a.quantity || a.id.localeCompare(b.id))[0];
    if (biggest) actions.push({ kind: "resize", subscriptionId: biggest.id, sku: target, from: biggest.quantity, to: biggest.quantity + missing });
    else take(buyerFor(ctx).buy(missing, ctx), actions, notes);
  }
  const seatsBlocked = notes.some((n) => n.level === "error");

  // Step 2: one licence update per user, sorted for stable previews.
  if (!seatsBlocked) actions.push(...reassignments(toMove, ctx));

  // Step 3: retire the source subscriptions once nobody holds the source after step 2.
  if (excludedHolders > 0) {
    const s = excludedHolders === 1 ? "" : "s";
    notes.push({
      level: "info",
      code: "excluded-holds-source",
      message: `${excludedHolders} excluded user${s} keep${s ? "" : "s"} ${source.skuPartNumber}; its subscription stays active`,
    });
  }
  // Fail closed: an active source the subscribed SKUs do not count could be held by anyone.
  const uncounted = activeSource.length > 0 && !lc.skus.some((k) => k.skuId === source.skuId);
  if (uncounted) {
    notes.push({
      level: "error",
      code: "source-uncounted",
      message: `the subscribed SKUs do not list ${source.skuPartNumber} although subscription ${activeSource[0]?.id} of it is active: whether users hold it is unknown, so it is not retired`,
    });
  } else if (remaining === 0 && !seatsBlocked) {
    const retirer = retirerFor(pc.decommission);
    for (const s of [...activeSource].sort((a, b) => a.id.localeCompare(b.id))) take(retirer.retire(s, ctx), actions, notes);
  }
  return finish();
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

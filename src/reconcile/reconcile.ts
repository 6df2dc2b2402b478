import type { MigrationPlan, PlanCustomer } from "../plan-file/types.js";
import { daysBetween, earliest } from "./dates.js";
import type {
  Action,
  CustomerPlan,
  LiveCustomer,
  LiveOffer,
  LiveState,
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
    for (const customer of plan.customers) {
      out.push(reconcileCustomer(plan, customer, live.customers.get(customer.id), live.offers, opts));
    }
  }
  return out;
}

export function reconcileCustomer(
  plan: MigrationPlan,
  pc: PlanCustomer,
  lc: LiveCustomer | undefined,
  offers: readonly LiveOffer[],
  opts: ReconcileOptions,
): CustomerPlan {
  const source = plan.source;
  const target = pc.target;
  const base = {
    customerId: pc.id,
    planName: plan.name,
    source,
    target,
  };
  if (!lc) {
    return {
      ...base,
      name: pc.name ?? pc.id,
      sourceEndDate: undefined,
      daysLeft: undefined,
      actions: [],
      notes: [{ level: "error", code: "not-found", message: "customer not found among the partner's customers" }],
      counts: { sourceHolders: 0, onTarget: 0, excluded: 0 },
    };
  }

  const notes: Note[] = [];
  const activeSource = lc.subscriptions.filter((s) => s.skuId === source.skuId && s.status === "active");
  const activeTarget = lc.subscriptions.filter((s) => s.skuId === target.skuId && s.status === "active");
  for (const s of lc.subscriptions) {
    if (s.skuId === undefined && s.status === "active") {
      notes.push({ level: "warning", code: "unknown-offer", message: `subscription ${s.id} has offer ${s.offerId}, which the offer catalog does not list` });
    }
  }

  // Unit counts come from subscribedskus (authoritative); users are only the source holders read.
  const consumed = (skuId: string) => lc.skus.find((k) => k.skuId === skuId)?.consumedUnits ?? 0;
  const excludedSet = new Set(pc.exclude);
  const holders = (lc.users ?? []).filter((u) => u.skuIds.includes(source.skuId));
  const toMove = holders.filter((u) => !excludedSet.has(u.upn.toLowerCase()));
  const excludedHolders = holders.length - toMove.length;
  const onTargetNow = consumed(target.skuId);
  const moving = toMove.filter((u) => !u.skuIds.includes(target.skuId)).length;
  const onTargetAfter = onTargetNow + moving;
  // Holders we could not see (counts ahead of the user reads) keep the source in use.
  const remaining = Math.max(consumed(source.skuId), holders.length) - toMove.length;

  const actions: Action[] = [];

  // Step 1: enough target seats — buy when none is active, else raise the one we have.
  const required = pc.seats === "users" ? onTargetAfter : Math.max(pc.seats, onTargetAfter);
  const capacity = activeTarget.reduce((n, s) => n + s.quantity, 0);
  if (required > capacity) {
    const missing = required - capacity;
    const biggest = [...activeTarget].sort((a, b) => b.quantity - a.quantity || a.id.localeCompare(b.id))[0];
    if (biggest) {
      actions.push({ kind: "resize", subscriptionId: biggest.id, sku: target, from: biggest.quantity, to: biggest.quantity + missing });
    } else {
      const offer = offers.find((o) => o.skuId === target.skuId && o.purchasable);
      if (!offer) {
        notes.push({ level: "error", code: "no-offer", message: `no purchasable offer provisions ${target.skuPartNumber}` });
      } else if (missing < offer.minimumQuantity || missing > offer.maximumQuantity) {
        notes.push({
          level: "error",
          code: "quantity-limit",
          message: `offer ${offer.name} sells ${offer.minimumQuantity}–${offer.maximumQuantity} seats, ${missing} needed`,
        });
      } else {
        actions.push({ kind: "purchase", offerId: offer.id, offerName: offer.name, sku: target, quantity: missing });
      }
    }
  }
  const seatsBlocked = notes.some((n) => n.level === "error");

  // Step 2: one licenseupdates call per user, sorted for stable previews.
  const reassigns: ReassignAction[] = toMove
    .map((u) => ({
      kind: "reassign" as const,
      userId: u.id,
      upn: u.upn,
      assign: u.skuIds.includes(target.skuId) ? undefined : target,
      remove: source,
    }))
    .sort((a, b) => a.upn.localeCompare(b.upn));
  if (!seatsBlocked) actions.push(...reassigns);

  // Step 3: suspend the source once nobody holds it after step 2.
  if (excludedHolders > 0) {
    notes.push({
      level: "info",
      code: "excluded-holds-source",
      message: `${excludedHolders} excluded user${excludedHolders === 1 ? "" : "s"} keep${excludedHolders === 1 ? "s" : ""} ${source.skuPartNumber}; its subscription stays active`,
    });
  }
  if (plan.suspendSource && remaining === 0 && !seatsBlocked) {
    for (const s of [...activeSource].sort((a, b) => a.id.localeCompare(b.id))) {
      actions.push({ kind: "suspend", subscriptionId: s.id, sku: source, quantity: s.quantity, commitmentEndDate: s.commitmentEndDate });
    }
  }

  const sourceEndDate = earliest(activeSource.map((s) => s.commitmentEndDate));
  const daysLeft = sourceEndDate === undefined ? undefined : daysBetween(opts.now, sourceEndDate);
  if (daysLeft !== undefined && actions.length > 0) {
    if (daysLeft < 0) notes.push({ level: "warning", code: "ended", message: `source subscription term ended ${sourceEndDate?.slice(0, 10)} (${-daysLeft} days ago)` });
    else if (daysLeft <= opts.warnDays) notes.push({ level: "warning", code: "ends-soon", message: `source subscription ends ${sourceEndDate?.slice(0, 10)}, in ${daysLeft} days` });
  }

  return {
    ...base,
    name: pc.name ?? lc.name,
    sourceEndDate,
    daysLeft,
    actions,
    notes,
    counts: { sourceHolders: holders.length, onTarget: onTargetNow, excluded: excludedHolders },
  };
}


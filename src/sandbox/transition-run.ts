/**
 * Running a transition once its delay has passed (transition-resources): the source
 * subscription's quantity moves to the target catalog item — converted in place when the whole
 * quantity moves, else into a new subscription or the given `toSubscriptionId` — and with
 * `transition_with_license_transfer` every user holding the source SKU is switched to the target SKU.
 * Its events are `Conversion` ones only (the .NET SDK's TransitionEvent names Conversion and
 * SeatReassignment; the reference's example for a licence transfer shows Conversion alone).
 */
import { CANCELLATION_WINDOW, addDuration } from "./durations.js";
import type { WorldState } from "./state.js";
import type { NewStateChange, WorldCustomer, WorldSubscription, WorldTransition } from "./types.js";

const lc = (s: string): string => s.toLowerCase();

function changeOf(c: WorldCustomer, t: WorldTransition, phase: "completed" | "failed", usersMoved = 0, targetSubscriptionId?: string): NewStateChange {
  return {
    kind: "transition",
    customerId: c.id,
    subscriptionId: t.subscriptionId,
    operationId: t.operationId,
    phase,
    toCatalogItemId: t.toCatalogItemId,
    ...(targetSubscriptionId !== undefined ? { targetSubscriptionId } : {}),
    usersMoved,
  };
}

function fail(t: WorldTransition, c: WorldCustomer, nowIso: string, error: { code: number; description: string }): NewStateChange {
  t.state = "failed";
  t.events.push({ name: "Conversion", status: "Failed", timestamp: nowIso, errors: [error] });
  return changeOf(c, t, "failed");
}

function newTarget(state: WorldState, source: WorldSubscription, t: WorldTransition, nowIso: string): WorldSubscription {
  const term = t.termDuration ?? source.termDuration ?? "P1Y";
  return {
    ...source,
    id: state.newId(),
    offerId: t.toCatalogItemId,
    friendlyName: state.catalog.skuOfItem(t.toCatalogItemId)?.sku.title ?? t.toCatalogItemId,
    quantity: t.quantity,
    creationDate: nowIso,
    commitmentEndDate: addDuration(nowIso, term),
    cancellationAllowedUntilDate: addDuration(nowIso, CANCELLATION_WINDOW),
    termDuration: term,
    billingCycle: t.billingCycle?.toLowerCase() ?? source.billingCycle,
    suspensionReasons: [],
    version: 1,
  };
}

export function completeTransition(state: WorldState, c: WorldCustomer, t: WorldTransition, nowIso: string): NewStateChange {
  const source = state.subscription(c, t.subscriptionId);
  if (t.failure) return fail(t, c, nowIso, t.failure);
  if (!source || source.status !== "active") {
    return fail(t, c, nowIso, { code: 1, description: "Subscription can't be Transitioned - source subscription isn't active." });
  }
  const fromSku = state.skuOfSubscription(source);
  const toSku = state.skuOfOffer(t.toCatalogItemId);
  let target: WorldSubscription;
  const existing = t.toSubscriptionId !== undefined ? state.subscription(c, t.toSubscriptionId) : undefined;
  if (existing) {
    existing.quantity += t.quantity;
    existing.version++;
    source.quantity -= t.quantity;
    target = existing;
  } else if (t.quantity >= source.quantity) {
    source.offerId = t.toCatalogItemId;
    source.friendlyName = state.catalog.skuOfItem(t.toCatalogItemId)?.sku.title ?? t.toCatalogItemId;
    if (t.termDuration !== undefined) source.termDuration = t.termDuration;
    if (t.billingCycle !== undefined) source.billingCycle = t.billingCycle.toLowerCase();
    target = source;
  } else {
    source.quantity -= t.quantity;
    target = newTarget(state, source, t, nowIso);
    c.subscriptions.push(target);
  }
  source.version++;
  if (source.quantity === 0 && source !== target) source.status = "deleted";

  let usersMoved = 0;
  if (t.transitionType === "transition_with_license_transfer" && fromSku !== undefined && toSku !== undefined) {
    for (const u of c.users) {
      if (!u.licenses.some((l) => lc(l) === fromSku)) continue;
      const keep = u.licenses.filter((l) => lc(l) !== fromSku);
      u.licenses = keep.some((l) => lc(l) === toSku) ? keep : [...keep, state.sku(toSku)?.id ?? toSku];
      usersMoved++;
    }
  }
  t.state = "completed";
  if (target.id !== source.id) t.toSubscriptionId = target.id;
  // Conversion events only, Started then Completed, also for transition_with_license_transfer: what
  // get-transitions' example shows (learn.microsoft.com/partner-center/developer/get-transitions).
  // The licences' move is read from live state; no event reports it.
  t.events.push({ name: "Conversion", status: "Completed", timestamp: nowIso });
  return changeOf(c, t, "completed", usersMoved, target.id);
}

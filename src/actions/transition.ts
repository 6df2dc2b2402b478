import type { LiveCustomer } from "../model/live-state.js";
import { constant, count, objectOf } from "../util/json-schema.js";
import { conversionJson, conversionShape, type Conversion } from "./shapes.js";
import { derivedGuid, stateOf } from "./request-id.js";
import type { ActionKind } from "./types.js";

/**
 * Let Microsoft do the whole migration: a transition with licence transfer converts the
 * new-commerce source subscription to the target catalog item and moves every user's licence
 * (transition-a-new-commerce-subscription). No purchase, no reassignment, no retirement.
 */
export interface TransitionAction extends Conversion {
  kind: "transition";
  /** Users holding the source, whose licences Microsoft moves (for the preview). */
  users: number;
}

export const transitionKind: ActionKind<TransitionAction> = {
  kind: "transition",
  step: "migrate",
  marker: "»",
  noun: { one: "transition", many: "transitions" },
  permission: "commerce",
  liveFields: ["id", "skuId", "status", "commerce", "quantity"],
  describe: (a) =>
    `transition ${a.from.skuPartNumber} subscription ${a.subscriptionId} → ${a.to.skuPartNumber} (${a.toCatalogItemId}, ${a.quantity} seats, ${a.term} billed ${a.billing}); Microsoft moves the ${a.users} user${a.users === 1 ? "'s" : "s'"} licences`,
  toJson: (a) => ({
    kind: a.kind,
    ...conversionJson(a),
    users: a.users,
  }),
  shape: objectOf<TransitionAction>({
    kind: constant("transition"),
    ...conversionShape,
    users: count,
  }),
  subject: (a) => a.subscriptionId,
  applyToLive: (lc, a) => ({
    ...lc,
    subscriptions: lc.subscriptions.map((s) => (s.id === a.subscriptionId ? { ...s, skuId: a.to.skuId, offerId: a.toCatalogItemId.toLowerCase() } : s)),
    skus: transferredSkus(lc.skus, a),
    users: lc.users?.map((u) =>
      u.skuIds.includes(a.from.skuId) ? { ...u, skuIds: [...u.skuIds.filter((id) => id !== a.from.skuId && id !== a.to.skuId), a.to.skuId] } : u,
    ),
  }),
  // Same subscription, target and state → same id: a transition whose answer was lost is not
  // started a second time by a retry or by the next run.
  derivedRequestId: (customerId, a, subscriptions) =>
    derivedGuid(
      "pcplan/transition",
      customerId,
      a.subscriptionId,
      a.toCatalogItemId,
      String(a.quantity),
      stateOf(subscriptions.filter((s) => s.id.toLowerCase() === a.subscriptionId.toLowerCase())),
    ),
};

/**
 * The subscribed SKUs after the transition: the seats and every holder of the source move to the
 * target, which is listed even where the customer had none (so `--diff` can name it).
 */
function transferredSkus(skus: LiveCustomer["skus"], a: TransitionAction): LiveCustomer["skus"] {
  const moved = skus.find((k) => k.skuId === a.from.skuId)?.consumedUnits ?? 0;
  const out = skus.map((k) =>
    k.skuId === a.from.skuId
      ? { ...k, consumedUnits: 0, totalUnits: Math.max(0, k.totalUnits - a.quantity) }
      : k.skuId === a.to.skuId
        ? { ...k, consumedUnits: k.consumedUnits + moved, totalUnits: k.totalUnits + a.quantity }
        : k,
  );
  return out.some((k) => k.skuId === a.to.skuId)
    ? out
    : [...out, { skuId: a.to.skuId, skuPartNumber: a.to.skuPartNumber, consumedUnits: moved, totalUnits: a.quantity }];
}

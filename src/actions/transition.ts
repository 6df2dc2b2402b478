import { PcplanError } from "../errors.js";
import { transitionState } from "../partner-center/transition-wire.js";
import type { Transition } from "../partner-center/types.js";
import type { BillingCycle, SkuRef, Term } from "../plan-file/types.js";
import type { LiveCustomer } from "../reconcile/types.js";
import { count, guid, object, oneOf, positive, skuRef, str } from "../util/shape-check.js";
import { derivedGuid } from "./request-id.js";
import type { ActionKind, PerformContext } from "./types.js";

/**
 * Let Microsoft do the whole migration: a transition with licence transfer converts the
 * new-commerce source subscription to the target catalog item and moves every user's licence
 * (transition-a-new-commerce-subscription). No purchase, no reassignment, no retirement.
 */
export interface TransitionAction {
  kind: "transition";
  subscriptionId: string;
  from: SkuRef;
  to: SkuRef;
  /** `productId:skuId:availabilityId`, as the eligibility named it. */
  toCatalogItemId: string;
  quantity: number;
  term: Term;
  billing: BillingCycle;
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
    subscriptionId: a.subscriptionId,
    from: a.from.skuPartNumber,
    fromSkuId: a.from.skuId,
    to: a.to.skuPartNumber,
    toSkuId: a.to.skuId,
    toCatalogItemId: a.toCatalogItemId,
    quantity: a.quantity,
    term: a.term,
    billing: a.billing,
    users: a.users,
  }),
  shape: object({
    kind: str,
    subscriptionId: guid,
    from: skuRef,
    to: skuRef,
    toCatalogItemId: str,
    quantity: positive,
    term: oneOf("P1M", "P1Y", "P3Y"),
    billing: oneOf("monthly", "annual", "triennial"),
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
  derivedRequestId: (customerId, a, basis) => derivedGuid("pcplan/transition", customerId, a.subscriptionId, a.toCatalogItemId, String(a.quantity), basis),
  async perform(ctx, a) {
    // A transition already running for this subscription (a run that died while waiting) is
    // followed, never started again.
    const running = (await ctx.api.listTransitions(ctx.customerId, a.subscriptionId)).find((t) => transitionState(t) === "inProgress");
    const started =
      running ??
      (await ctx.api.createTransition(
        ctx.customerId,
        a.subscriptionId,
        {
          toCatalogItemId: a.toCatalogItemId,
          quantity: a.quantity,
          termDuration: a.term,
          billingCycle: a.billing,
          transitionType: "transition_with_license_transfer",
        },
        { requestId: ctx.requestId },
      ));
    await followTransition(ctx, a, started);
  },
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

/** Polls the transition (by operationId) with backoff until it completes or fails, bounded by the provisioning timeout. */
async function followTransition(ctx: PerformContext, a: TransitionAction, first: Transition): Promise<void> {
  const { commerce } = ctx;
  const since = commerce.now();
  let t = first;
  let wait = 1000;
  for (;;) {
    const state = transitionState(t);
    if (state === "completed") return;
    if (state === "failed") {
      const why = t.events.flatMap((e) => (e.errors ?? []).map((err) => `${String(err.code)} ${err.description}`)).join("; ");
      throw new PcplanError(
        "TRANSITION_FAILED",
        `Microsoft's transition of subscription ${a.subscriptionId} to ${a.toCatalogItemId} failed${why ? `: ${why}` : ""}; the next run plans this customer again`,
      );
    }
    const waited = commerce.now() - since;
    if (waited >= commerce.provisioningTimeoutMs) {
      throw new PcplanError(
        "PROVISIONING",
        `the transition of subscription ${a.subscriptionId} is still running after ${Math.round(waited / 1000)} s; run apply again later: it follows it (never starts a second)`,
      );
    }
    await commerce.sleep(Math.min(wait, commerce.provisioningTimeoutMs - waited));
    wait = Math.min(wait * 2, 30_000);
    const list = await ctx.api.listTransitions(ctx.customerId, a.subscriptionId, t.operationId);
    t = list.find((x) => x.operationId === t.operationId) ?? list[0] ?? t;
  }
}

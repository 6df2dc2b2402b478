import type { TransitionAction } from "../../actions/transition.js";
import { PcplanError } from "../../errors.js";
import { transitionState } from "../../partner-center/transition-wire.js";
import type { Transition } from "../../partner-center/types.js";
import { ProvisioningPendingError } from "./provisioning.js";
import type { Effect, PerformContext } from "./types.js";

/**
 * Starts the transition with licence transfer (or follows the one already running) until its
 * Conversion event completes; the licences' move is then read from live state by the next plan.
 */
export const transitionEffect: Effect<TransitionAction> = {
  async perform(ctx, a) {
    // A transition already running for this subscription (a run that died while waiting) is
    // followed, never started again; one that completed (an earlier transition of the same
    // subscription) is history, never followed again.
    const before = await ctx.api.listTransitions(ctx.customerId, a.subscriptionId);
    const running = before.find((t) => transitionState(t) === "inProgress");
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
    await followTransition(ctx, a, started, new Set(before.flatMap((t) => (t === running || t.operationId === undefined ? [] : [t.operationId]))));
  },
};

/**
 * Polls the transition (by operationId) with backoff until it completes or fails, bounded by the
 * provisioning timeout. Only that operation counts: an earlier one of the same subscription
 * (`history`) never stands in for it.
 */
async function followTransition(ctx: PerformContext, a: TransitionAction, first: Transition, history: ReadonlySet<string>): Promise<void> {
  const { commerce } = ctx;
  const clock = commerce.wait;
  const since = clock.now();
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
    const waited = clock.now() - since;
    if (waited >= commerce.provisioningTimeoutMs) throw ProvisioningPendingError.transition(a.subscriptionId, waited);
    await clock.sleep(Math.min(wait, commerce.provisioningTimeoutMs - waited), `the transition of subscription ${a.subscriptionId}`);
    wait = Math.min(wait * 2, 30_000);
    const list = await ctx.api.listTransitions(ctx.customerId, a.subscriptionId, t.operationId);
    const same =
      t.operationId !== undefined
        ? list.find((x) => x.operationId === t.operationId)
        : list.find((x) => x.operationId === undefined || !history.has(x.operationId));
    t = same ?? t;
  }
}

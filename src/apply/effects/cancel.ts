import type { CancelAction } from "../../actions/cancel.js";
import { PcplanError } from "../../errors.js";
import type { Subscription } from "../../partner-center/types.js";
import { assertNotInUse } from "./in-use.js";
import type { Effect } from "./types.js";

/** Nobody holds the source and the window is still open, re-checked right before; then `status: deleted`. */
export const cancelEffect: Effect<CancelAction, Subscription> = {
  async precheck(ctx, a) {
    await assertNotInUse(ctx.licenses, ctx.customerId, a.sku, a.subscriptionId, "cancel");
    if (ctx.commerce.now() >= Date.parse(a.cancellationAllowedUntil)) {
      throw new PcplanError(
        "STALE",
        `the cancellation window of subscription ${a.subscriptionId} closed at ${a.cancellationAllowedUntil}; nothing was cancelled. Run plan again (auto-renew can still be turned off)`,
      );
    }
    return ctx.api.getSubscription(ctx.customerId, a.subscriptionId);
  },
  async perform(ctx, _a, sub) {
    if (sub.status === "deleted") return;
    await ctx.api.updateSubscription(ctx.customerId, { ...sub, status: "deleted" }, { requestId: ctx.requestId });
  },
};

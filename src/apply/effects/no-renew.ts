import type { NoRenewAction } from "../../actions/no-renew.js";
import type { Subscription } from "../../partner-center/types.js";
import { assertNotInUse } from "./in-use.js";
import type { Effect } from "./types.js";

/** Nobody holds the source, re-checked right before; then `autoRenewEnabled: false`. */
export const noRenewEffect: Effect<NoRenewAction, Subscription> = {
  async precheck(ctx, a) {
    await assertNotInUse(ctx.licenses, ctx.customerId, a.sku, a.subscriptionId, "stop the renewal of");
    return ctx.api.getSubscription(ctx.customerId, a.subscriptionId);
  },
  async perform(ctx, _a, sub) {
    if (!sub.autoRenewEnabled) return;
    await ctx.api.updateSubscription(ctx.customerId, { ...sub, autoRenewEnabled: false }, { requestId: ctx.requestId });
  },
};

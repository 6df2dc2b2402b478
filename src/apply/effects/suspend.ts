import type { SuspendAction } from "../../actions/suspend.js";
import type { Subscription } from "../../partner-center/types.js";
import { assertNotInUse } from "./in-use.js";
import type { Effect } from "./types.js";

/** Nobody holds the source, re-checked right before; then `status: suspended`. */
export const suspendEffect: Effect<SuspendAction, Subscription> = {
  async precheck(ctx, a) {
    await assertNotInUse(ctx.licenses, ctx.customerId, a.sku, a.subscriptionId, "suspend");
    return ctx.api.getSubscription(ctx.customerId, a.subscriptionId);
  },
  async perform(ctx, _a, sub) {
    if (sub.status === "suspended") return;
    await ctx.api.updateSubscription(ctx.customerId, { ...sub, status: "suspended" }, { requestId: ctx.requestId });
  },
};

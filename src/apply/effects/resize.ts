import type { ResizeAction } from "../../actions/resize.js";
import { PcplanError } from "../../errors.js";
import type { Subscription } from "../../partner-center/types.js";
import type { Effect } from "./types.js";

/**
 * The write sends the whole subscription read here, with its etag: a change since planning
 * (seats added by someone else, a suspension) refuses the resize instead of overwriting it.
 */
export const resizeEffect: Effect<ResizeAction, Subscription> = {
  async precheck(ctx, a) {
    const sub = await ctx.api.getSubscription(ctx.customerId, a.subscriptionId);
    if (sub.status !== "active" || sub.quantity !== a.from) {
      throw new PcplanError("STALE", `subscription ${a.subscriptionId} changed since planning (now ${sub.status}, ${sub.quantity} seats); run plan again`);
    }
    return sub;
  },
  async perform(ctx, a, sub) {
    await ctx.api.updateSubscription(ctx.customerId, { ...sub, quantity: a.to }, { requestId: ctx.requestId });
  },
};

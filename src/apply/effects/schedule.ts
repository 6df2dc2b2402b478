import type { ScheduleAction } from "../../actions/schedule.js";
import { PcplanError } from "../../errors.js";
import type { ScheduledNextTermInstructions, Subscription } from "../../partner-center/types.js";
import type { Effect } from "./types.js";

/**
 * Schedules the source's renewal into the target (create-scheduled-changes: get the subscription,
 * set `scheduledNextTermInstructions`, PATCH it back whole;
 * https://learn.microsoft.com/partner-center/developer/create-scheduled-changes). Setting the
 * same instructions again changes nothing, so a run that died after the PATCH and before its
 * journal line never schedules twice: the pre-check reads the instructions back first.
 */
export const scheduleEffect: Effect<ScheduleAction, Subscription> = {
  async precheck(ctx, a) {
    const sub = await ctx.api.getSubscription(ctx.customerId, a.subscriptionId);
    const why =
      String(sub.status).trim().toLowerCase() !== "active"
        ? `it is ${String(sub.status).trim()}`
        : !sub.autoRenewEnabled
          ? "its auto-renew was turned off (a change at renewal needs it on)"
          : sub.commitmentEndDate !== undefined && sub.commitmentEndDate.slice(0, 10) !== a.renewsOn.slice(0, 10)
            ? `its term now ends ${sub.commitmentEndDate.slice(0, 10)}, not ${a.renewsOn.slice(0, 10)}`
            : undefined;
    if (why) throw new PcplanError("STALE", `subscription ${a.subscriptionId} changed since planning: ${why}; nothing was scheduled. Run plan again`);
    return sub;
  },
  async perform(ctx, a, sub) {
    const wanted = instructionsOf(a);
    if (!sameChange(sub.scheduledNextTermInstructions, wanted)) {
      await ctx.api.updateSubscription(ctx.customerId, { ...sub, scheduledNextTermInstructions: wanted }, { requestId: ctx.requestId });
    }
    await ctx.commerce.schedules?.append(ctx.customerId, { subscriptionId: a.subscriptionId, catalogItemId: a.toCatalogItemId, renewsOn: a.renewsOn });
  },
};

/** The reference's example writes the billing cycle capitalised ("Annual"). */
function instructionsOf(a: ScheduleAction): ScheduledNextTermInstructions {
  const [productId = "", skuId = "", availabilityId = ""] = a.toCatalogItemId.split(":");
  const billingCycle = a.billing.charAt(0).toUpperCase() + a.billing.slice(1);
  return { product: { productId, skuId, availabilityId, billingCycle, termDuration: a.term }, quantity: a.quantity };
}

function sameChange(have: ScheduledNextTermInstructions | undefined, want: ScheduledNextTermInstructions): boolean {
  if (!have) return false;
  const item = (i: ScheduledNextTermInstructions) => `${i.product.productId}:${i.product.skuId}:${i.product.availabilityId}`.toUpperCase();
  return item(have) === item(want) && have.quantity === want.quantity && have.product.termDuration.toUpperCase() === want.product.termDuration;
}

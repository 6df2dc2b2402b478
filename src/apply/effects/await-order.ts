import type { AwaitOrderAction } from "../../actions/await-order.js";
import { OrderCancelledError, awaitOrders } from "./provisioning.js";
import type { Effect } from "./types.js";

/**
 * Waits for orders placed earlier as for the run's own (same bound): settled, the customer's later
 * steps run; past `--provisioning-timeout` the customer ends "provisioning". An order Microsoft
 * cancelled is a failed purchase: pcplan's journal marks it (if it was pcplan's) so no run waits on it again.
 */
export const awaitOrderEffect: Effect<AwaitOrderAction> = {
  async perform(ctx, a) {
    try {
      await awaitOrders(ctx.api, ctx.commerce, ctx.customerId, a.orderIds);
    } catch (err) {
      if (err instanceof OrderCancelledError) {
        await ctx.commerce.journal.append({
          customerId: ctx.customerId,
          item: a.sku?.skuPartNumber ?? "(unknown)",
          ...(a.sku ? { skuId: a.sku.skuId } : {}),
          quantity: a.quantity,
          orderIds: [...err.orderIds],
          phase: "failed",
          reason: "cancelled",
        });
      }
      throw err;
    }
  },
};

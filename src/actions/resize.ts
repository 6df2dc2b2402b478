import { PcplanError } from "../errors.js";
import type { Subscription } from "../partner-center/types.js";
import type { SkuRef } from "../plan-file/types.js";
import { count, guid, object, positive, skuRef, str } from "../util/shape-check.js";
import type { ActionKind } from "./types.js";

/** Raise the seats of the target subscription the customer already has (never buy a second one). */
export interface ResizeAction {
  kind: "resize";
  subscriptionId: string;
  sku: SkuRef;
  from: number;
  to: number;
}

export const resizeKind: ActionKind<ResizeAction, Subscription> = {
  kind: "resize",
  step: "seats",
  marker: "~",
  noun: { one: "resize", many: "resizes" },
  permission: "commerce",
  liveFields: ["id", "skuId", "status", "quantity"],
  describe: (a) => `resize ${a.sku.skuPartNumber} subscription ${a.subscriptionId}: ${a.from} → ${a.to} seats`,
  toJson: (a) => ({ kind: a.kind, subscriptionId: a.subscriptionId, sku: a.sku.skuPartNumber, skuId: a.sku.skuId, from: a.from, to: a.to }),
  shape: object({ kind: str, subscriptionId: guid, sku: skuRef, from: count, to: positive }),
  subject: (a) => a.subscriptionId,
  applyToLive: (lc, a) => ({ ...lc, subscriptions: lc.subscriptions.map((s) => (s.id === a.subscriptionId ? { ...s, quantity: a.to } : s)) }),
  // The write sends the whole subscription read here, with its etag: a change since planning
  // (seats added by someone else, a suspension) refuses the resize instead of overwriting it.
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

import type { ReassignAction } from "../../actions/reassign.js";
import type { LicenseChange } from "../../licenses/backend.js";
import type { Effect } from "./types.js";

/** Every reassignment of a customer in one go: the licence backend groups them as its API allows (Graph: `$batch`). */
export const reassignEffect: Effect<ReassignAction> = {
  performMany: (ctx, items) =>
    ctx.licenses.updateLicenses(
      ctx.customerId,
      items.map((i) => changeOf(i.action, i.requestId)),
    ),
};

function changeOf(a: ReassignAction, requestId: string): LicenseChange {
  return { userId: a.userId, assign: a.assign ? [a.assign.skuId] : [], remove: [a.remove.skuId], requestId };
}

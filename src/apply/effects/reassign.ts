import type { ReassignAction } from "../../actions/reassign.js";
import { PcplanError } from "../../errors.js";
import type { LicenseChange, LicenseChangeOutcome } from "../../licenses/backend.js";
import type { Effect } from "./types.js";

/**
 * Every reassignment of a customer in one go: the licence backend groups them as its API allows
 * (Graph: `$batch`). A user without a usage location gets the plan's one first (`PATCH
 * /users/{id}`: a licence cannot be assigned without one); one whose usage location could not be
 * set is not moved.
 */
export const reassignEffect: Effect<ReassignAction> = {
  async performMany(ctx, items) {
    const located = await Promise.all(
      items.map(async (i): Promise<LicenseChangeOutcome> => {
        if (!i.action.usageLocation) return { ok: true };
        const groups = ctx.licenses.groupLicensing;
        if (!groups) return { ok: false, error: new PcplanError("HELD_THROUGH_GROUP", "a usage location can be set only with --license-api graph") };
        return groups.setUsageLocation(ctx.customerId, i.action.userId, i.action.usageLocation, i.requestId).then(
          () => ({ ok: true }),
          (err: unknown) => ({ ok: false, error: err instanceof Error ? err : new Error(String(err)) }),
        );
      }),
    );
    const ready = items.filter((_, n) => located[n]?.ok);
    const outcomes = await ctx.licenses.updateLicenses(
      ctx.customerId,
      ready.map((i) => changeOf(i.action, i.requestId)),
    );
    let next = 0;
    return located.map((l) => (l.ok ? (outcomes[next++] ?? { ok: false, error: new Error("no outcome reported for this change") }) : l));
  },
};

function changeOf(a: ReassignAction, requestId: string): LicenseChange {
  return {
    userId: a.userId,
    assign: a.assign ? [a.assign.skuId] : [],
    remove: [a.remove.skuId],
    requestId,
    ...(a.assign && a.disabledPlans?.length ? { disabledPlans: { [a.assign.skuId]: a.disabledPlans } } : {}),
  };
}

import type { GroupLicenseAction } from "../../actions/group-license.js";
import { PcplanError } from "../../errors.js";
import type { GroupLicensing } from "../../licenses/backend.js";
import { ProvisioningPendingError } from "./provisioning.js";
import type { CommerceContext, Effect } from "./types.js";

/**
 * A group's assignment changed in one call (target in with its disabled plans, source out:
 * group-assignlicense), then followed until Graph has processed its members
 * (`licenseProcessingState` ProcessingComplete) and checked for members in error
 * (group-list-memberswithlicenseerrors). A member in error is named with Graph's word
 * (CountViolation, MutuallyExclusiveViolation, …) and fails the step: the customer's later steps
 * (direct copies, the retirement) wait for the next run. Not done within --provisioning-timeout:
 * the customer is "provisioning" and the next run follows the group without changing it again.
 */
export const groupLicenseEffect: Effect<GroupLicenseAction> = {
  async perform(ctx, a) {
    const groups = licensingOf(ctx.licenses.groupLicensing);
    await groups.changeGroup(ctx.customerId, {
      groupId: a.groupId,
      add: [{ skuId: a.assign.skuId, disabledPlans: a.disabledPlans }],
      remove: [a.remove.skuId],
      requestId: ctx.requestId,
    });
    await followGroup(groups, ctx.commerce, ctx.customerId, a);
  },
};

function licensingOf(g: GroupLicensing | undefined): GroupLicensing {
  if (!g) throw new PcplanError("HELD_THROUGH_GROUP", "the licence API in use shows no groups: a group's licence can be changed only with --license-api graph");
  return g;
}

/** Polls the group (1 s, doubling, at most 30 s a wait) until processed; then its members in error fail the action, each named. */
async function followGroup(groups: GroupLicensing, commerce: CommerceContext, customerId: string, a: GroupLicenseAction): Promise<void> {
  const clock = commerce.wait;
  const started = clock.now();
  let wait = 1000;
  for (;;) {
    const p = await groups.progress(customerId, a.groupId);
    if (p.processing === "ProcessingComplete") {
      if (p.errors.length === 0) return;
      const who = p.errors.map((e) => `${e.upn} (${e.error})`).join(", ");
      throw new PcplanError(
        "GROUP_LICENSE_ERRORS",
        `group ${a.name}: ${p.errors.length} member${p.errors.length === 1 ? "" : "s"} could not be given ${a.assign.skuPartNumber}: ${who}; ${a.remove.skuPartNumber} is not retired while they hold it`,
      );
    }
    const waited = clock.now() - started;
    if (waited >= commerce.provisioningTimeoutMs) throw ProvisioningPendingError.group(a.name, waited);
    await clock.sleep(Math.min(wait, commerce.provisioningTimeoutMs - waited), `group ${a.name}'s licence processing`);
    wait = Math.min(wait * 2, 30_000);
  }
}

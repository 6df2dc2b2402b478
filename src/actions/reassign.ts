import type { SkuRef } from "../plan-file/types.js";
import { arrayOf, constant, lowercaseGuid, nullable, objectOf, text, withOptional } from "../util/json-schema.js";
import { skuRef } from "./shapes.js";
import type { ActionKind } from "./types.js";

/** Move one user: assign the target and remove the source in one call, so the user is never without service. */
export interface ReassignAction {
  kind: "reassign";
  userId: string;
  upn: string;
  /** Null when the user already holds the target: only the source is removed. */
  assign: SkuRef | null;
  remove: SkuRef;
  /** Service plan ids disabled on the target (carried from the source by name); absent: none. */
  disabledPlans?: string[];
  /** Set on the user first (they have none, and a licence cannot be assigned without one); absent: left as it is. */
  usageLocation?: string;
}

export const reassignKind: ActionKind<ReassignAction> = {
  kind: "reassign",
  step: "licenses",
  marker: "~",
  noun: { one: "reassignment", many: "reassignments" },
  alwaysInSummary: true,
  permission: "licenses",
  liveFields: [],
  describe: (a) =>
    (a.assign
      ? `reassign ${a.upn}: ${a.remove.skuPartNumber} → ${a.assign.skuPartNumber}`
      : `reassign ${a.upn}: remove ${a.remove.skuPartNumber} (already holds the target)`) +
    (a.disabledPlans?.length ? ` (${a.disabledPlans.length} service plan${a.disabledPlans.length === 1 ? "" : "s"} kept off)` : "") +
    (a.usageLocation ? ` (usage location set to ${a.usageLocation} first)` : ""),
  toJson: (a) => ({
    kind: a.kind,
    userId: a.userId,
    userPrincipalName: a.upn,
    assign: a.assign?.skuPartNumber ?? null,
    assignSkuId: a.assign?.skuId ?? null,
    remove: a.remove.skuPartNumber,
    removeSkuId: a.remove.skuId,
    ...(a.disabledPlans?.length ? { disabledPlans: a.disabledPlans } : {}),
    ...(a.usageLocation ? { usageLocation: a.usageLocation } : {}),
  }),
  shape: withOptional<ReassignAction, Pick<ReassignAction, "disabledPlans" | "usageLocation">>(
    objectOf<Omit<ReassignAction, "disabledPlans" | "usageLocation">>({
      kind: constant("reassign"),
      userId: lowercaseGuid,
      upn: text,
      assign: nullable(skuRef),
      remove: skuRef,
    }),
    { disabledPlans: arrayOf(lowercaseGuid), usageLocation: text },
  ),
  subject: (a) => a.userId,
  applyToLive: (lc, a) => ({
    ...lc,
    users: lc.users?.map((u) =>
      u.id === a.userId
        ? { ...u, skuIds: [...u.skuIds.filter((id) => id !== a.remove.skuId), ...(a.assign && !u.skuIds.includes(a.assign.skuId) ? [a.assign.skuId] : [])] }
        : u,
    ),
  }),
};

import type { SkuRef } from "../plan-file/types.js";
import { constant, lowercaseGuid, nullable, objectOf, text } from "../util/json-schema.js";
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
    a.assign
      ? `reassign ${a.upn}: ${a.remove.skuPartNumber} → ${a.assign.skuPartNumber}`
      : `reassign ${a.upn}: remove ${a.remove.skuPartNumber} (already holds the target)`,
  toJson: (a) => ({
    kind: a.kind,
    userId: a.userId,
    userPrincipalName: a.upn,
    assign: a.assign?.skuPartNumber ?? null,
    assignSkuId: a.assign?.skuId ?? null,
    remove: a.remove.skuPartNumber,
    removeSkuId: a.remove.skuId,
  }),
  shape: objectOf<ReassignAction>({ kind: constant("reassign"), userId: lowercaseGuid, upn: text, assign: nullable(skuRef), remove: skuRef }),
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

import type { SkuRef } from "../plan-file/types.js";
import { arrayOf, constant, count, lowercaseGuid, objectOf, text } from "../util/json-schema.js";
import { skuRef } from "./shapes.js";
import type { ActionKind } from "./types.js";

/**
 * Move a group holding the source (group-based licensing): its own assignment changes, target
 * in and source out, in one call (learn.microsoft.com/graph/api/group-assignlicense); its members
 * follow when the group is processed, with no write per member. Planned only when enough target
 * seats are free for every member who needs one.
 */
export interface GroupLicenseAction {
  kind: "group-license";
  groupId: string;
  name: string;
  /** Members (users) of the group. */
  members: number;
  /** A dynamic group: its members follow a rule, and may change while it is processed. */
  dynamic: boolean;
  assign: SkuRef;
  remove: SkuRef;
  /** Service plan ids disabled on the target for the whole group (carried from the source by name). */
  disabledPlans: string[];
}

export const groupLicenseKind: ActionKind<GroupLicenseAction> = {
  kind: "group-license",
  step: "groups",
  marker: "~",
  noun: { one: "group change", many: "group changes" },
  permission: "licenses",
  liveFields: [],
  describe: (a) =>
    `group ${a.name} (${a.members} member${a.members === 1 ? "" : "s"}${a.dynamic ? ", dynamic" : ""}): ${a.remove.skuPartNumber} → ${a.assign.skuPartNumber}` +
    (a.disabledPlans.length ? ` (${a.disabledPlans.length} service plan${a.disabledPlans.length === 1 ? "" : "s"} kept off)` : ""),
  toJson: (a) => ({
    kind: a.kind,
    groupId: a.groupId,
    group: a.name,
    members: a.members,
    dynamic: a.dynamic,
    assign: a.assign.skuPartNumber,
    assignSkuId: a.assign.skuId,
    remove: a.remove.skuPartNumber,
    removeSkuId: a.remove.skuId,
    disabledPlans: a.disabledPlans,
  }),
  shape: objectOf<GroupLicenseAction>({
    kind: constant("group-license"),
    groupId: lowercaseGuid,
    name: text,
    members: count,
    dynamic: { json: { type: "boolean" } },
    assign: skuRef,
    remove: skuRef,
    disabledPlans: arrayOf(lowercaseGuid),
  }),
  subject: (a) => a.groupId,
  applyToLive: (lc, a) => {
    const moves = (u: { assignments?: { skuId: string; group: string | null }[] }) =>
      (u.assignments ?? []).some((s) => s.group === a.groupId && s.skuId === a.remove.skuId);
    return {
      ...lc,
      users: lc.users?.map((u) => {
        if (!moves(u)) return u;
        const assignments = (u.assignments ?? []).map((s) => (s.group === a.groupId && s.skuId === a.remove.skuId ? { ...s, skuId: a.assign.skuId } : s));
        return { ...u, assignments, skuIds: [...new Set(assignments.filter((s) => s.error === undefined).map((s) => s.skuId))] };
      }),
      groups: lc.groups?.map((g) =>
        g.id === a.groupId
          ? { ...g, licenses: [...g.licenses.filter((l) => l.skuId !== a.remove.skuId), { skuId: a.assign.skuId, disabledPlans: a.disabledPlans }] }
          : g,
      ),
    };
  },
};

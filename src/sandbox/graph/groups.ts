/**
 * Groups and their licences through Graph (learn.microsoft.com/graph/api/resources/group):
 * `GET /groups/{id}` (assignedLicenses, groupTypes, membershipRule, onPremisesSyncEnabled,
 * licenseProcessingState), `GET /groups/{id}/members` (direct members),
 * `GET /groups/{id}/membersWithLicenseErrors` (group-list-memberswithlicenseerrors),
 * `POST /groups/{id}/assignLicense` (group-assignlicense: 202 Accepted with the group; members are
 * processed after it), and `PATCH /users/{id}` for `usageLocation` (user-update).
 */
import { asObject } from "../body.js";
import { membersWithErrors, processingState } from "../groups.js";
import type { WorldCustomer, WorldGroup } from "../types.js";
import type { GraphAnswer, GraphCall } from "./context.js";
import { graphBadRequest, graphNotFound } from "./graph-error.js";
import { userJson } from "./users.js";

const lc = (s: string): string => s.toLowerCase();
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function groupOf(call: GraphCall, c: WorldCustomer): WorldGroup {
  const id = call.params.groupId ?? "";
  const g = (c.groups ?? []).find((x) => lc(x.id) === lc(id));
  if (!g) throw graphNotFound(`Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
  return g;
}

function groupJson(g: WorldGroup): Record<string, unknown> {
  return {
    id: g.id,
    displayName: g.displayName,
    groupTypes: g.membershipRule !== undefined ? ["DynamicMembership"] : [],
    membershipRule: g.membershipRule ?? null,
    onPremisesSyncEnabled: g.onPremisesSyncEnabled ?? null,
    assignedLicenses: (g.licenses ?? []).map((l) => ({ skuId: l.skuId, disabledPlans: l.disabledPlans ?? [] })),
    licenseProcessingState: { state: processingState(g) },
  };
}

export function getGroup(call: GraphCall, c: WorldCustomer): GraphAnswer {
  return { status: 200, body: { "@odata.context": `${call.origin}/v1.0/$metadata#groups/$entity`, ...groupJson(groupOf(call, c)) } };
}

function usersPage(call: GraphCall, users: WorldCustomer["users"]): GraphAnswer {
  const value = users.map((u) => ({ "@odata.type": "#microsoft.graph.user", ...userJson(u) }));
  return { status: 200, body: { "@odata.context": `${call.origin}/v1.0/$metadata#directoryObjects`, value } };
}

export function listGroupMembers(call: GraphCall, c: WorldCustomer): GraphAnswer {
  const g = groupOf(call, c);
  return usersPage(
    call,
    c.users.filter((u) => g.members.some((m) => lc(m) === lc(u.id))),
  );
}

export function listMembersWithLicenseErrors(call: GraphCall, c: WorldCustomer): GraphAnswer {
  return usersPage(call, membersWithErrors(c, groupOf(call, c)));
}

function parseGroupAssign(body: unknown): { add: { skuId: string; disabledPlans: string[] }[]; remove: string[] } {
  const b = asObject(body, "assignLicense");
  if (!Array.isArray(b.addLicenses) || !Array.isArray(b.removeLicenses))
    throw graphBadRequest("addLicenses and removeLicenses are required (either may be empty).");
  const add = b.addLicenses.map((a: unknown, i) => {
    const o = (typeof a === "object" && a !== null ? a : {}) as { skuId?: unknown; disabledPlans?: unknown };
    const plans = o.disabledPlans ?? [];
    if (typeof o.skuId !== "string" || !GUID.test(o.skuId)) throw graphBadRequest(`Invalid value specified for property 'skuId' of addLicenses[${i}].`);
    if (!Array.isArray(plans) || !plans.every((p) => typeof p === "string" && GUID.test(p)))
      throw graphBadRequest(`Invalid value specified for property 'disabledPlans' of addLicenses[${i}].`);
    return { skuId: lc(o.skuId), disabledPlans: (plans as string[]).map(lc) };
  });
  const remove = b.removeLicenses.map((r: unknown, i) => {
    if (typeof r !== "string" || !GUID.test(r)) throw graphBadRequest(`Invalid value specified for removeLicenses[${i}]: a skuId is required.`);
    return lc(r);
  });
  return { add, remove };
}

/**
 * Changes the group's own assignment and answers 202 with the group; members follow once the
 * group is processed. Re-asserting what the group already has changes nothing (a retried call).
 */
export function assignGroupLicense(call: GraphCall, c: WorldCustomer): GraphAnswer {
  const g = groupOf(call, c);
  const { add, remove } = parseGroupAssign(call.body);
  for (const a of add) {
    if (!call.state.sku(a.skuId)) throw graphBadRequest(`License ${a.skuId} does not correspond to a valid company License.`);
    if (remove.includes(a.skuId)) throw graphBadRequest(`License ${a.skuId} is in both addLicenses and removeLicenses.`);
  }
  const held = g.licenses ?? [];
  const unknown = remove.find((r) => !held.some((l) => lc(l.skuId) === r));
  if (unknown) throw graphBadRequest(`Group does not have a corresponding license for SKU ${unknown}.`);
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(lc(x)));
  const changed = remove.length > 0 || add.some((a) => !held.some((l) => lc(l.skuId) === a.skuId && same(l.disabledPlans ?? [], a.disabledPlans)));
  if (changed) {
    const kept = held.filter((l) => !remove.includes(lc(l.skuId)) && !add.some((a) => a.skuId === lc(l.skuId)));
    g.licenses = [...kept, ...add.map((a) => ({ skuId: a.skuId, ...(a.disabledPlans.length ? { disabledPlans: a.disabledPlans } : {}) }))];
    g.processingDueAt = new Date(call.nowMs + call.groupProcessingMs).toISOString();
    const requestId = call.header("client-request-id");
    call.record({
      kind: "group-licenses",
      customerId: c.id,
      groupId: g.id,
      assigned: add.map((a) => a.skuId),
      removed: remove,
      ...(requestId !== undefined ? { requestId } : {}),
    });
  }
  return { status: 202, body: { "@odata.context": `${call.origin}/v1.0/$metadata#groups/$entity`, ...groupJson(g) } };
}

/** `PATCH /users/{id}` with `usageLocation` (the only property the sandbox lets a caller change): 204. */
export function updateUser(call: GraphCall, c: WorldCustomer): GraphAnswer {
  const id = call.params.userId ?? "";
  const u = c.users.find((x) => lc(x.id) === lc(id));
  if (!u) throw graphNotFound(`Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
  const b = asObject(call.body, "user");
  const keys = Object.keys(b);
  if (keys.length !== 1 || typeof b.usageLocation !== "string" || !/^[A-Za-z]{2}$/.test(b.usageLocation))
    throw graphBadRequest("The sandbox updates usageLocation only: a two-letter country code.");
  u.usageLocation = b.usageLocation.toUpperCase();
  const requestId = call.header("client-request-id");
  call.record({ kind: "usage-location", customerId: c.id, userId: u.id, usageLocation: u.usageLocation, ...(requestId !== undefined ? { requestId } : {}) });
  return { status: 204, body: undefined };
}

/**
 * Licences through Graph, over the same world as Partner Center's side: `GET /subscribedSkus`
 * (reference subscribedsku-list) and `POST /users/{id}/assignLicense` (user-assignlicense: add
 * and remove in one call, answered with the user).
 */
import { asObject } from "../body.js";
import { checkLicenseChange, commitLicenseChange, subscribedSkus, type Assignment, type LicenseProblem } from "../licenses.js";
import type { WorldCustomer } from "../types.js";
import type { GraphAnswer, GraphCall } from "./context.js";
import type { GraphHttpError } from "./graph-error.js";
import { graphBadRequest, graphNotFound } from "./graph-error.js";
import { userJson } from "./users.js";

export function listSubscribedSkus(call: GraphCall, c: WorldCustomer): GraphAnswer {
  const value = subscribedSkus(call.state, c).map((sku) => {
    const enabled = call.state.units(c, sku.id, "active");
    const suspended = call.state.units(c, sku.id, "suspended");
    return {
      accountId: c.id,
      accountName: c.companyName,
      appliesTo: "User",
      capabilityStatus: enabled > 0 ? "Enabled" : suspended > 0 ? "Suspended" : "Deleted",
      consumedUnits: call.state.consumedUnits(c, sku.id),
      id: `${c.id}_${sku.id}`,
      skuId: sku.id,
      skuPartNumber: sku.skuPartNumber,
      subscriptionIds: [],
      prepaidUnits: { enabled, suspended, warning: 0, lockedOut: 0 },
      servicePlans: sku.servicePlans.map((p) => ({ servicePlanId: p.id, servicePlanName: p.serviceName, provisioningStatus: "Success", appliesTo: "User" })),
    };
  });
  return { status: 200, body: { "@odata.context": `${call.origin}/v1.0/$metadata#subscribedSkus`, value } };
}

interface AssignBody {
  add: Assignment[];
  remove: string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseAssign(body: unknown): AssignBody {
  let b: Record<string, unknown>;
  try {
    b = asObject(body, "assignLicense");
  } catch {
    throw graphBadRequest("The request body must be a JSON object with addLicenses and removeLicenses.");
  }
  const { addLicenses, removeLicenses } = b;
  if (!Array.isArray(addLicenses)) throw graphBadRequest("Invalid value specified for property 'addLicenses': an array is required.");
  if (!Array.isArray(removeLicenses)) throw graphBadRequest("Invalid value specified for property 'removeLicenses': an array is required.");
  const add = addLicenses.map((a: unknown, i): Assignment => {
    const o = (typeof a === "object" && a !== null ? a : {}) as { skuId?: unknown; disabledPlans?: unknown };
    if (typeof o.skuId !== "string" || !GUID.test(o.skuId)) throw graphBadRequest(`Invalid value specified for property 'skuId' of addLicenses[${i}].`);
    const plans = o.disabledPlans ?? [];
    if (!Array.isArray(plans) || !plans.every((p) => typeof p === "string" && GUID.test(p)))
      throw graphBadRequest(`Invalid value specified for property 'disabledPlans' of addLicenses[${i}].`);
    return { skuId: o.skuId, disabledPlans: plans as string[] };
  });
  const remove = removeLicenses.map((r: unknown, i) => {
    if (typeof r !== "string" || !GUID.test(r)) throw graphBadRequest(`Invalid value specified for removeLicenses[${i}]: a skuId is required.`);
    return r;
  });
  return { add, remove };
}

/** Graph's wording of a refused change (user-assignlicense; the no-free-unit message names the SKU). */
function problem(p: LicenseProblem): GraphHttpError {
  switch (p.kind) {
    case "not-held":
      return graphBadRequest(`User does not have a corresponding license for SKU ${p.skuId}.`);
    case "inherited":
      return graphBadRequest("User license is inherited from a group membership and it cannot be removed directly from the user.");
    case "unknown-sku":
      return graphBadRequest(`License ${p.skuId} does not correspond to a valid company License.`);
    case "in-both":
      return graphBadRequest(`License ${p.skuId} is in both addLicenses and removeLicenses.`);
    case "no-units":
      return graphBadRequest(`Subscription with SKU ${p.skuId} does not have any available licenses.`);
  }
}

export function assignLicense(call: GraphCall, c: WorldCustomer): GraphAnswer {
  const userId = call.params.userId ?? "";
  const u = call.state.user(c, userId) ?? c.users.find((x) => x.userPrincipalName.toLowerCase() === userId.toLowerCase());
  if (!u) throw graphNotFound(`Resource '${userId}' does not exist or one of its queried reference-property objects are not present.`);
  if (call.refusedUsers.has(u.id.toLowerCase())) {
    throw graphBadRequest(`License assignment for user ${u.userPrincipalName} is refused by the sandbox (fault injection).`);
  }
  const change = parseAssign(call.body);
  const check = checkLicenseChange(call.state, c, u, change.add, change.remove);
  if (!check.ok) throw problem(check.problem);
  commitLicenseChange(c, u, check, change.remove, call.record, call.header("client-request-id"));
  return { status: 200, body: { "@odata.context": `${call.origin}/v1.0/$metadata#users/$entity`, ...userJson(u) } };
}

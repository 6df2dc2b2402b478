/**
 * The Graph routes the sandbox serves, below `/v1.0`. Customer-tenant routes answer about the
 * tenant the token was issued for and need the credential's GDAP roles there (as `auth.ts`
 * checks them for Partner Center's customer calls); partner-tenant routes need a token for the
 * partner's own tenant. `$batch` is served by batch.ts from this same table.
 */
import { gdapAllows, type Access } from "../auth.js";
import { routeTable } from "../route-table.js";
import type { WorldCustomer } from "../types.js";
import type { GraphAnswer, GraphCall } from "./context.js";
import { GraphHttpError, graphNotFound, insufficientPrivileges } from "./graph-error.js";
import { assignLicense, listSubscribedSkus } from "./licenses.js";
import { listAccessAssignments, listMemberOf, listRelationships } from "./relationships.js";
import { listUsers } from "./users.js";

type GraphRoute =
  | { method: "GET" | "POST"; path: string; tenant: "customer"; access: Access; handle(call: GraphCall, customer: WorldCustomer): GraphAnswer }
  | { method: "GET" | "POST"; path: string; tenant: "partner"; handle(call: GraphCall): GraphAnswer };

const match = routeTable<GraphRoute>([
  { method: "GET", path: "/users", tenant: "customer", access: "directory", handle: listUsers },
  { method: "GET", path: "/subscribedSkus", tenant: "customer", access: "directory", handle: listSubscribedSkus },
  { method: "POST", path: "/users/:userId/assignLicense", tenant: "customer", access: "licenses", handle: assignLicense },
  { method: "GET", path: "/tenantRelationships/delegatedAdminRelationships", tenant: "partner", handle: listRelationships },
  {
    method: "GET",
    path: "/tenantRelationships/delegatedAdminRelationships/:relationshipId/accessAssignments",
    tenant: "partner",
    handle: listAccessAssignments,
  },
  { method: "GET", path: "/servicePrincipals(appId=':appId')/transitiveMemberOf", tenant: "partner", handle: listMemberOf },
  { method: "GET", path: "/me/transitiveMemberOf", tenant: "partner", handle: listMemberOf },
]);

/** Runs one Graph call: route, tenant and role checks, handler. Throws GraphHttpError. */
export function routeGraph(call: Omit<GraphCall, "params">): GraphAnswer {
  const m = match(call.method, call.path);
  if (!m) throw new GraphHttpError(400, "BadRequest", `Resource not found for the segment '${call.path.split("/")[1] ?? ""}'.`);
  if ("methodNotAllowed" in m) throw new GraphHttpError(405, "Request_BadRequest", `The method ${call.method} is not supported on ${call.path}.`);
  const { route, params } = m;
  const full: GraphCall = { ...call, params };
  if (route.tenant === "partner") {
    if (call.tenant !== call.state.world.partner.id.toLowerCase())
      throw new GraphHttpError(403, "Authorization_RequestDenied", "This operation is available on the partner's own tenant only.");
    return route.handle(full);
  }
  const customer = call.state.customer(call.tenant);
  if (!customer) throw graphNotFound(`The sandbox serves users and licences of customer tenants only; tenant ${call.tenant} is not one.`);
  if (!gdapAllows(call.cred, customer.id, route.access)) throw insufficientPrivileges();
  return route.handle(full, customer);
}

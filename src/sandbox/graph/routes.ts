/**
 * The Graph routes the sandbox serves, below `/v1.0`. Customer-tenant routes answer about the
 * tenant the token was issued for: an app-only token is authorised by its `roles` claim (the
 * application permissions consented there; permissions.ts), an app+user token by the partner
 * user's GDAP roles there (as `auth.ts` checks them for Partner Center's customer calls) —
 * GDAP grants nothing to an application. Partner-tenant routes need a token for the partner's
 * own tenant. `$batch` is served by batch.ts from this same table.
 */
import { gdapAllows, type Access } from "../auth.js";
import { routeTable } from "../route-table.js";
import type { WorldCustomer } from "../types.js";
import type { GraphAnswer, GraphCall } from "./context.js";
import { GraphHttpError, graphNotFound, insufficientPrivileges } from "./graph-error.js";
import { appMayCall, type GraphCallKind } from "./permissions.js";
import { assignLicense, listSubscribedSkus } from "./licenses.js";
import { listAccessAssignments, listMemberOf, listRelationships } from "./relationships.js";
import { listUsers } from "./users.js";
import { assignGroupLicense, getGroup, listGroupMembers, listMembersWithLicenseErrors, updateUser } from "./groups.js";

type GraphRoute =
  | {
      method: "GET" | "POST" | "PATCH";
      path: string;
      tenant: "customer";
      /** What the call needs: GDAP access for a user's token, application permissions for an app's. */
      access: Access;
      call: GraphCallKind;
      handle(call: GraphCall, customer: WorldCustomer): GraphAnswer;
    }
  | { method: "GET" | "POST" | "PATCH"; path: string; tenant: "partner"; handle(call: GraphCall): GraphAnswer };

const match = routeTable<GraphRoute>([
  { method: "GET", path: "/users", tenant: "customer", access: "directory", call: "users", handle: listUsers },
  { method: "GET", path: "/subscribedSkus", tenant: "customer", access: "directory", call: "subscribedSkus", handle: listSubscribedSkus },
  { method: "POST", path: "/users/:userId/assignLicense", tenant: "customer", access: "licenses", call: "assignLicense", handle: assignLicense },
  { method: "PATCH", path: "/users/:userId", tenant: "customer", access: "licenses", call: "updateUser", handle: updateUser },
  { method: "GET", path: "/groups/:groupId", tenant: "customer", access: "directory", call: "groups", handle: getGroup },
  { method: "GET", path: "/groups/:groupId/members", tenant: "customer", access: "directory", call: "groups", handle: listGroupMembers },
  { method: "GET", path: "/groups/:groupId/members/microsoft.graph.user", tenant: "customer", access: "directory", call: "groups", handle: listGroupMembers },
  {
    method: "GET",
    path: "/groups/:groupId/membersWithLicenseErrors/microsoft.graph.user",
    tenant: "customer",
    access: "directory",
    call: "groups",
    handle: listMembersWithLicenseErrors,
  },
  {
    method: "GET",
    path: "/groups/:groupId/membersWithLicenseErrors",
    tenant: "customer",
    access: "directory",
    call: "groups",
    handle: listMembersWithLicenseErrors,
  },
  { method: "POST", path: "/groups/:groupId/assignLicense", tenant: "customer", access: "licenses", call: "groupAssignLicense", handle: assignGroupLicense },
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
  const allowed = call.principal.kind === "app" ? appMayCall(call.principal.roles, route.call) : gdapAllows(call.cred, customer.id, route.access);
  if (!allowed) throw insufficientPrivileges();
  return route.handle(full, customer);
}

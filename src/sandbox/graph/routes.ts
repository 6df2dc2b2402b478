/**
 * The Graph routes the sandbox serves, below `/v1.0`. Customer-tenant routes answer about the
 * tenant the token was issued for and need the credential's GDAP roles there (as `auth.ts`
 * checks them for Partner Center's customer calls); partner-tenant routes need a token for the
 * partner's own tenant. `$batch` is served by batch.ts from this same table.
 */
import { GDAP_NEEDED, gdapRoles, type Access } from "../auth.js";
import type { WorldCustomer } from "../types.js";
import type { GraphAnswer, GraphCall } from "./context.js";
import { GraphHttpError, graphNotFound, insufficientPrivileges } from "./graph-error.js";
import { assignLicense, listSubscribedSkus } from "./licenses.js";
import { listAccessAssignments, listMemberOf, listRelationships } from "./relationships.js";
import { listUsers } from "./users.js";

interface GraphRoute {
  method: "GET" | "POST";
  path: RegExp;
  /** Names of the path's capture groups, in order. */
  keys: string[];
  tenant: "customer" | "partner";
  access?: Access;
  handle(call: GraphCall, customer: WorldCustomer | undefined): GraphAnswer;
}

const customerRoute = (
  method: GraphRoute["method"],
  path: RegExp,
  keys: string[],
  access: Access,
  handle: (call: GraphCall, c: WorldCustomer) => GraphAnswer,
): GraphRoute => ({
  method,
  path,
  keys,
  tenant: "customer",
  access,
  handle: (call, c) => handle(call, c as WorldCustomer),
});

const ROUTES: GraphRoute[] = [
  customerRoute("GET", /^\/users$/i, [], "directory", listUsers),
  customerRoute("GET", /^\/subscribedSkus$/i, [], "directory", listSubscribedSkus),
  customerRoute("POST", /^\/users\/([^/]+)\/assignLicense$/i, ["userId"], "licenses", assignLicense),
  { method: "GET", path: /^\/tenantRelationships\/delegatedAdminRelationships$/i, keys: [], tenant: "partner", handle: listRelationships },
  {
    method: "GET",
    path: /^\/tenantRelationships\/delegatedAdminRelationships\/([^/]+)\/accessAssignments$/i,
    keys: ["relationshipId"],
    tenant: "partner",
    handle: listAccessAssignments,
  },
  { method: "GET", path: /^\/servicePrincipals\(appId='([^']+)'\)\/transitiveMemberOf$/i, keys: ["appId"], tenant: "partner", handle: listMemberOf },
  { method: "GET", path: /^\/me\/transitiveMemberOf$/i, keys: [], tenant: "partner", handle: listMemberOf },
];

/** Whether a call (after auth) is a write, for logging and lost-response faults. */
export function isGraphWrite(method: string): boolean {
  return method !== "GET" && method !== "HEAD";
}

/** Runs one Graph call: route, tenant and role checks, handler. Throws GraphHttpError. */
export function routeGraph(call: Omit<GraphCall, "params">): GraphAnswer {
  let pathMatched = false;
  for (const route of ROUTES) {
    const m = route.path.exec(call.path);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== call.method) continue;
    const params: Record<string, string> = {};
    route.keys.forEach((k, i) => (params[k] = m[i + 1] ?? ""));
    const full: GraphCall = { ...call, params };
    if (route.tenant === "partner") {
      if (call.tenant !== call.state.world.partner.id.toLowerCase())
        throw new GraphHttpError(403, "Authorization_RequestDenied", "This operation is available on the partner's own tenant only.");
      return route.handle(full, undefined);
    }
    const customer = call.state.customer(call.tenant);
    if (!customer) throw graphNotFound(`The sandbox serves users and licences of customer tenants only; tenant ${call.tenant} is not one.`);
    const needed = GDAP_NEEDED[route.access ?? "directory"] ?? [];
    const held = gdapRoles(call.cred, customer.id);
    if (!needed.some((r) => held.has(r))) throw insufficientPrivileges();
    return route.handle(full, customer);
  }
  if (pathMatched) throw new GraphHttpError(405, "Request_BadRequest", `The method ${call.method} is not supported on ${call.path}.`);
  throw new GraphHttpError(400, "BadRequest", `Resource not found for the segment '${call.path.split("/")[1] ?? ""}'.`);
}

/**
 * GDAP as Graph shows it on the partner tenant (reference pages
 * delegatedadminrelationship-list, delegatedadminrelationship-list-accessassignments,
 * serviceprincipal-list-transitivememberof), derived from the fixture's per-credential GDAP
 * roles: one active relationship per customer any credential has roles with, one access
 * assignment per credential granting its roles to a security group of its own, and each
 * credential a member of its group. Ids are derived from names, so they are stable.
 */
import { createHash } from "node:crypto";
import { GDAP_ROLE_IDS } from "../../graph/gdap-roles.js";
import { gdapRoles } from "../auth.js";
import type { FixtureCredential, GdapRole, WorldCustomer } from "../types.js";
import type { GraphAnswer, GraphCall } from "./context.js";
import { graphBadRequest, graphNotFound } from "./graph-error.js";

/** The fixture's role names are Graph's roles (compile-time check that none is missing). */
const ROLE_IDS: Record<GdapRole, string> = GDAP_ROLE_IDS;

function stableGuid(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const groupOf = (cred: FixtureCredential): string => stableGuid("group", cred.name);
const relationshipOf = (c: WorldCustomer): string => stableGuid("relationship", c.id.toLowerCase());
const assignmentOf = (c: WorldCustomer, cred: FixtureCredential): string => stableGuid("assignment", c.id.toLowerCase(), cred.name);

const unified = (roles: Iterable<GdapRole>) => [...roles].map((r) => ({ roleDefinitionId: ROLE_IDS[r] }));

function grants(call: GraphCall, c: WorldCustomer): { cred: FixtureCredential; roles: Set<GdapRole> }[] {
  return call.state.world.credentials.map((cred) => ({ cred, roles: gdapRoles(cred, c.id) })).filter((g) => g.roles.size > 0);
}

function relationshipJson(call: GraphCall, c: WorldCustomer) {
  const roles = new Set(grants(call, c).flatMap((g) => [...g.roles]));
  return {
    id: relationshipOf(c),
    displayName: `${call.state.world.partner.name} – ${c.companyName}`.slice(0, 50),
    status: "active",
    duration: "P730D",
    customer: { tenantId: c.id, displayName: c.companyName },
    accessDetails: { unifiedRoles: unified(roles) },
  };
}

const CUSTOMER_FILTER = /^\s*customer\/tenantId\s+eq\s+'([0-9a-fA-F-]{36})'\s*$/;

export function listRelationships(call: GraphCall): GraphAnswer {
  const filter = call.query.get("$filter");
  let customers = call.state.world.customers;
  if (filter !== null) {
    const m = CUSTOMER_FILTER.exec(filter);
    if (!m?.[1]) throw graphBadRequest(`Unsupported filter: ${filter}`, "Request_UnsupportedQuery");
    const c = call.state.customer(m[1]);
    customers = c ? [c] : [];
  }
  const value = customers.filter((c) => grants(call, c).length > 0).map((c) => relationshipJson(call, c));
  return { status: 200, body: { "@odata.context": `${call.origin}/v1.0/$metadata#tenantRelationships/delegatedAdminRelationships`, value } };
}

export function listAccessAssignments(call: GraphCall): GraphAnswer {
  const id = (call.params.relationshipId ?? "").toLowerCase();
  const c = call.state.world.customers.find((x) => relationshipOf(x) === id);
  if (!c || grants(call, c).length === 0) throw graphNotFound(`The delegated admin relationship '${id}' was not found.`);
  const value = grants(call, c).map(({ cred, roles }) => ({
    id: assignmentOf(c, cred),
    status: "active",
    accessContainer: { accessContainerId: groupOf(cred), accessContainerType: "securityGroup" },
    accessDetails: { unifiedRoles: unified(roles) },
  }));
  return { status: 200, body: { "@odata.context": `${call.origin}/v1.0/$metadata#accessAssignments`, value } };
}

/** Groups of the calling app (`servicePrincipals(appId='…')`) or, on an app+user token, of the user (`me`). */
export function listMemberOf(call: GraphCall): GraphAnswer {
  const appId = call.params.appId;
  const cred = appId === undefined ? call.cred : call.state.world.credentials.find((c) => c.clientId?.toLowerCase() === appId.toLowerCase());
  if (!cred)
    throw graphNotFound(
      `Resource 'servicePrincipals(appId='${appId ?? ""}')' does not exist or one of its queried reference-property objects are not present.`,
    );
  const value = [{ "@odata.type": "#microsoft.graph.group", id: groupOf(cred), displayName: `pcplan sandbox: ${cred.name}`, securityEnabled: true }];
  return { status: 200, body: { "@odata.context": `${call.origin}/v1.0/$metadata#directoryObjects`, value } };
}

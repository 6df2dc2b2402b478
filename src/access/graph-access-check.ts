import type { GraphClient } from "../graph/client.js";
import { anyOf, GRAPH_ROLES_NEEDED, roleName } from "../graph/gdap-roles.js";
import type { AccessCheck, LicenceAccess } from "./access-check.js";

/**
 * The partner user's GDAP roles (App+User credentials: the refresh token) through Graph on the
 * partner tenant (reference pages delegatedadminrelationship-list,
 * delegatedadminrelationship-list-accessassignments, user-list-transitivememberof): the active
 * relationships with the customer, their active access assignments, and of those the ones granted
 * to a security group the user is a member of. GDAP grants roles to users only; an app-only
 * credential is judged by its consent (app-consent.ts). The user's groups are read once per run.
 * A failure to read (no permission for relationships, a throttled partner tenant) is "cannot
 * tell", never "no roles".
 */
export function graphAccessCheck(graph: GraphClient): AccessCheck {
  let groups: Promise<Set<string>> | undefined;
  const groupsOf = () => (groups ??= graph.memberOf().then((objects) => new Set(objects.map((o) => o.id.toLowerCase()))));

  const rolesFor = async (customerId: string): Promise<Set<string> | undefined> => {
    try {
      const mine = await groupsOf();
      const relationships = (await graph.relationshipsWith(customerId)).filter(
        (r) => isActive(r.status) && r.customer.tenantId.toLowerCase() === customerId.toLowerCase(),
      );
      const roles = new Set<string>();
      for (const r of relationships) {
        for (const a of await graph.accessAssignments(r.id)) {
          if (!isActive(a.status) || !mine.has(a.accessContainer.accessContainerId.toLowerCase())) continue;
          for (const role of a.accessDetails.unifiedRoles) roles.add(roleName(role.roleDefinitionId));
        }
      }
      return roles;
    } catch {
      groups = undefined;
      return undefined;
    }
  };
  return { licenceAccess: async (customerId) => judgeRoles(await rolesFor(customerId)) };
}

/** The verdict from the user's GDAP roles in the customer's tenant (undefined: they could not be read). */
export function judgeRoles(held: ReadonlySet<string> | undefined): LicenceAccess {
  if (held === undefined) return { state: "unverified", how: "the partner user's GDAP roles could not be read" };
  const has = held.size > 0 ? [...held].sort().join(", ") : "no GDAP role";
  const how = `the partner user's GDAP roles in this tenant (${has})`;
  const may = (roles: readonly string[]) => roles.some((r) => held.has(r));
  if (may(GRAPH_ROLES_NEEDED.write)) return { state: "verified", how };
  return {
    state: "refused",
    how,
    missing: `it needs a GDAP role of ${anyOf(GRAPH_ROLES_NEEDED.write)} (it has ${has}); add a security group the user is in, with one of these roles, to the customer's GDAP relationship`,
    readable: may(GRAPH_ROLES_NEEDED.read),
  };
}

const isActive = (status: string): boolean => status.trim().toLowerCase() === "active";

import type { GraphClient } from "../graph/client.js";
import { roleName } from "../graph/gdap-roles.js";
import type { AccessCheck } from "./access-check.js";

/**
 * GDAP roles through Graph on the partner tenant (reference pages
 * delegatedadminrelationship-list, delegatedadminrelationship-list-accessassignments,
 * serviceprincipal-list-transitivememberof): the active relationships with the customer, their
 * active access assignments, and of those the ones granted to a security group the credential
 * is a member of. The credential's groups are read once per run. Any failure to read (no
 * permission for relationships, a throttled partner tenant) is "cannot tell", never "no roles".
 */
export function graphAccessCheck(graph: GraphClient): AccessCheck {
  let groups: Promise<Set<string>> | undefined;
  const groupsOf = () => (groups ??= graph.memberOf().then((objects) => new Set(objects.map((o) => o.id.toLowerCase()))));

  return {
    async rolesFor(customerId) {
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
    },
  };
}

const isActive = (status: string): boolean => status.trim().toLowerCase() === "active";

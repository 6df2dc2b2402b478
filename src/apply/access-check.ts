/**
 * Before the first write for a customer, is the credential allowed to do every step its actions
 * need there? Partner Center authorises customer-tenant calls through GDAP roles, per customer
 * relationship; a credential that may buy but not assign licences would otherwise buy the seats
 * and then fail every reassignment (the customer pays twice). So a customer whose actions need a
 * role the credential lacks there gets no write at all.
 */
import { kindOf } from "../actions/registry.js";
import type { Permission } from "../actions/types.js";
import type { AccessCheck } from "../access/access-check.js";
import { GRAPH_ROLES_NEEDED, anyOf } from "../graph/gdap-roles.js";
import type { Action } from "../reconcile/types.js";

export type { AccessCheck };

/**
 * GDAP roles that allow a permission in the customer's tenant (Microsoft's least-privileged roles
 * for the calls). `commerce` is not a GDAP matter: Partner Center's agent roles (Admin agent,
 * Sales agent) govern orders and subscriptions, and a refusal there comes before any money moves.
 */
export const GDAP_ROLES_FOR: Record<Permission, readonly string[] | undefined> = {
  licenses: GRAPH_ROLES_NEEDED.write,
  commerce: undefined,
};

/** Why the credential may not apply these actions for the customer, or undefined when it may (or cannot tell). */
export async function accessProblem(access: AccessCheck | undefined, customerId: string, actions: readonly Action[]): Promise<string | undefined> {
  if (!access) return undefined;
  const needed = new Set(actions.map((a) => kindOf(a).permission));
  const gdap = [...needed].flatMap((p) => (GDAP_ROLES_FOR[p] ? [[p, GDAP_ROLES_FOR[p]] as const] : []));
  if (gdap.length === 0) return undefined;
  const held = await access.rolesFor(customerId);
  if (held === undefined) return undefined;
  for (const [permission, roles] of gdap) {
    if (!roles.some((r) => held.has(r))) {
      const has = held.size > 0 ? [...held].sort().join(", ") : "no GDAP role";
      return `the credential may not change ${permission} in this customer's tenant: it needs a GDAP role of ${anyOf(roles)} (it has ${has}); nothing was written for this customer`;
    }
  }
  return undefined;
}

/**
 * Which Microsoft Graph application permission allows which call, for app-only tokens (client
 * credentials): what the app may do in a customer tenant is the `roles` claim of its token there,
 * the application permissions consented in that tenant — GDAP grants nothing to an application.
 * Sources (learn.microsoft.com):
 * - access-token-claims-reference: app-only tokens carry their application permissions in `roles`;
 * - graph/api/user-list: User.Read.All, or User.ReadWrite.All, Directory.Read.All,
 *   Directory.ReadWrite.All (graph/migrate-azure-ad-graph-permissions-differences: "reading users
 *   in app-only scenarios requires only the User.Read.All permission");
 * - graph/api/subscribedsku-list: LicenseAssignment.Read.All, or Directory.Read.All,
 *   Directory.ReadWrite.All, Organization.Read.All, Organization.ReadWrite.All;
 * - graph/api/user-assignlicense: LicenseAssignment.ReadWrite.All, or Directory.ReadWrite.All,
 *   User.ReadWrite.All;
 * - graph/api/group-get, group-list-members, group-list-memberswithlicenseerrors: GroupMember.Read.All,
 *   or Group.Read.All, Directory.Read.All, Group.ReadWrite.All, Directory.ReadWrite.All;
 * - graph/api/group-assignlicense: LicenseAssignment.ReadWrite.All, or Directory.ReadWrite.All, Group.ReadWrite.All;
 * - graph/api/user-update: User.ReadWrite.All, or Directory.ReadWrite.All.
 */
import type { FixtureCredential, GraphPermission } from "../types.js";

export type GraphCallKind = "users" | "subscribedSkus" | "assignLicense" | "groups" | "groupAssignLicense" | "updateUser";

/** Application permissions any one of which allows the call. */
export const APP_PERMISSIONS: Record<GraphCallKind, readonly GraphPermission[]> = {
  users: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  subscribedSkus: ["LicenseAssignment.Read.All", "Directory.Read.All", "Directory.ReadWrite.All", "Organization.Read.All", "Organization.ReadWrite.All"],
  assignLicense: ["LicenseAssignment.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"],
  groups: ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  groupAssignLicense: ["LicenseAssignment.ReadWrite.All", "Directory.ReadWrite.All", "Group.ReadWrite.All"],
  updateUser: ["User.ReadWrite.All", "Directory.ReadWrite.All"],
};

export function appMayCall(roles: readonly string[], call: GraphCallKind): boolean {
  const held = new Set(roles.map((r) => r.toLowerCase()));
  return APP_PERMISSIONS[call].some((p) => held.has(p.toLowerCase()));
}

/**
 * The application permissions consented for the app in a customer tenant: the tenant's own entry,
 * else `*`; undefined where the app was never consented (no entry, or listed in `withoutConsent`).
 */
export function consentedPermissions(cred: FixtureCredential, tenant: string): GraphPermission[] | undefined {
  const wanted = tenant.toLowerCase();
  if (cred.withoutConsent?.some((t) => t.toLowerCase() === wanted)) return undefined;
  const own = Object.entries(cred.consents ?? {}).find(([k]) => k.toLowerCase() === wanted);
  return own ? own[1] : cred.consents?.["*"];
}

/**
 * What an app-only credential (client secret, certificate, federated assertion) may do in a
 * customer tenant: GDAP grants nothing to an application; the app acts with the application
 * permissions consented for it in that tenant (Partner Center's application-consent API,
 * `POST /customers/{id}/applicationconsents`), which the tenant's token carries in its `roles`
 * claim. Sources (learn.microsoft.com):
 * - entra/identity-platform/access-token-claims-reference: `roles`, the application permissions
 *   of an app-only token; `idtyp: app`;
 * - graph/api/user-list: User.Read.All, or User.ReadWrite.All, Directory.Read.All, Directory.ReadWrite.All;
 * - graph/api/subscribedsku-list: LicenseAssignment.Read.All, or Directory.Read.All,
 *   Directory.ReadWrite.All, Organization.Read.All, Organization.ReadWrite.All;
 * - graph/api/user-assignlicense: LicenseAssignment.ReadWrite.All, or Directory.ReadWrite.All, User.ReadWrite.All;
 * - partner-center/developer/control-panel-vendor-apis: consenting an app in a customer tenant;
 * - entra/identity-platform/reference-error-codes: AADSTS700016, the app is not in the tenant's directory.
 */

export type AppWork = "users" | "subscribedSkus" | "assignLicense";

/** Application permissions any one of which allows the work. */
export const APP_PERMISSIONS: Record<AppWork, readonly string[]> = {
  users: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  subscribedSkus: ["LicenseAssignment.Read.All", "Directory.Read.All", "Directory.ReadWrite.All", "Organization.Read.All", "Organization.ReadWrite.All"],
  assignLicense: ["LicenseAssignment.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"],
};

/** The least each work needs, what a partner asks the customer's consent for. */
export const LEAST_APP_PERMISSIONS = ["User.Read.All", "LicenseAssignment.Read.All", "LicenseAssignment.ReadWrite.All"] as const;

/** Entra ID's code for "the application was not found in the directory": the app was never consented there. */
export const NO_CONSENT_CODE = "AADSTS700016";

/** The work of `works` that none of `roles` allows. */
export function missingWork(roles: readonly string[], works: readonly AppWork[]): AppWork[] {
  const held = new Set(roles.map((r) => r.toLowerCase()));
  return works.filter((w) => !APP_PERMISSIONS[w].some((p) => held.has(p.toLowerCase())));
}

/**
 * The `roles` claim of an access token (a JWT: its payload is read, not verified: the service
 * that issued it enforces it, pcplan only learns from it what the service will allow). Undefined
 * when the token is not a JWT pcplan can read; an empty list when it carries no `roles`.
 */
export function rolesOfToken(token: string): string[] | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (typeof claims !== "object" || claims === null) return undefined;
    const roles = (claims as { roles?: unknown }).roles;
    return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [];
  } catch {
    return undefined;
  }
}

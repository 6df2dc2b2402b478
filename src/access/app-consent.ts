/**
 * App-only credentials (client secret, certificate, federated assertion): what the app may do in
 * a customer tenant is what was consented for it there, carried in the `roles` claim of its
 * token for that tenant (src/graph/app-permissions.ts names the reference pages). GDAP grants an
 * application nothing. No consent: Entra ID issues no token (AADSTS700016), and the customer is
 * refused with the fix: consent the app through Partner Center.
 */
import { missingWork, NO_CONSENT_CODE, rolesOfToken, APP_PERMISSIONS, type AppWork } from "../graph/app-permissions.js";
import type { TenantTokenProvider } from "../graph/auth.js";
import { anyOf } from "../graph/gdap-roles.js";
import { consentFix, GraphTokenError } from "../graph/errors.js";
import type { AccessCheck, LicenceAccess } from "./access-check.js";

const WORDS: Record<AppWork, string> = { users: "reading users", subscribedSkus: "reading subscribed SKUs", assignLicense: "assigning licences" };

export function appConsentCheck(tokens: TenantTokenProvider): AccessCheck {
  return {
    async licenceAccess(customerId) {
      let token: string;
      try {
        token = await tokens(customerId);
      } catch (err) {
        if (err instanceof GraphTokenError && err.aadsts === NO_CONSENT_CODE) return noConsent(customerId);
        throw err;
      }
      return judge(customerId, rolesOfToken(token));
    },
  };
}

function noConsent(customerId: string): LicenceAccess {
  return {
    state: "refused",
    how: "app-only credential: the app's consent in this tenant",
    missing: `the app has no consent in this customer's tenant (${NO_CONSENT_CODE}: Entra ID issues it no token there); ${consentFix(customerId)}`,
    readable: false,
  };
}

function judge(customerId: string, roles: string[] | undefined): LicenceAccess {
  if (roles === undefined) return { state: "unverified", how: "app-only credential whose token for this tenant shows no permissions" };
  const held = roles.length > 0 ? [...roles].sort().join(", ") : "none";
  const how = `app-only credential: the app's consent in this tenant (application permissions: ${held})`;
  const missing = missingWork(roles, ["users", "subscribedSkus", "assignLicense"]);
  if (missing.length === 0) return { state: "verified", how };
  const needs = missing.map((w) => `${WORDS[w]} needs ${anyOf(APP_PERMISSIONS[w])}`).join("; ");
  return {
    state: "refused",
    how,
    missing: `the app's consent there does not allow it: ${needs}; ${consentFix(customerId)}`,
    readable: !missing.includes("users") && !missing.includes("subscribedSkus"),
  };
}

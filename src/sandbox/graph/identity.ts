/**
 * The sandbox's Microsoft Entra ID subset, as MSAL calls it for a known (non-Microsoft)
 * authority: `GET /{tenant}/v2.0/.well-known/openid-configuration` and `POST
 * /{tenant}/oauth2/v2.0/token` with the client-credentials or refresh-token grant. Tokens are
 * issued per tenant: the partner's own, or a customer's where the app is consented (app-only:
 * with the consented permissions in `roles`; app+user: also where the user has a GDAP
 * relationship); Partner Center's scope is answered with the credential's Partner Center token. Errors in Entra ID's shape (`error`,
 * `error_description` starting with the AADSTS code, `error_codes`).
 */
import { randomUUID } from "node:crypto";
import { gdapRoles } from "../auth.js";
import type { WorldState } from "../state.js";
import type { FixtureCredential } from "../types.js";
import { consentedPermissions } from "./permissions.js";
import { GRAPH_APP_ID, GRAPH_RESOURCE, PARTNER_CENTER_RESOURCE, TOKEN_LIFETIME_SEC, type TokenSigner } from "../tokens.js";

export interface IdentityContext {
  state: WorldState;
  signer: TokenSigner;
  /** `https://127.0.0.1:port`: the authority host, also the issuer's. */
  origin: string;
}

export interface IdentityAnswer {
  status: number;
  body: unknown;
}

const TENANT_PATH = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/i;

/** Whether a path is the identity side's (the rest of the HTTPS listener is Graph). */
export function identityRoute(path: string): { tenant: string; kind: "openid" | "token" } | undefined {
  const m = TENANT_PATH.exec(path);
  if (!m?.[1] || !m[2]) return undefined;
  return { tenant: decodeURIComponent(m[1]).toLowerCase(), kind: m[2].toLowerCase().startsWith("oauth2") ? "token" : "openid" };
}

function aadError(status: number, error: string, code: number, description: string): IdentityAnswer {
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
    },
  };
}

function knownTenant(ctx: IdentityContext, tenant: string): boolean {
  return tenant === ctx.state.world.partner.id.toLowerCase() || ctx.state.customer(tenant) !== undefined;
}

const unknownTenant = (tenant: string): IdentityAnswer =>
  aadError(
    400,
    "invalid_tenant",
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  );

export function openIdConfiguration(ctx: IdentityContext, tenant: string): IdentityAnswer {
  if (!knownTenant(ctx, tenant)) return unknownTenant(tenant);
  const base = `${ctx.origin}/${tenant}`;
  return {
    status: 200,
    body: {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      tenant_region_scope: null,
      cloud_instance_name: "pcplan-sandbox",
    },
  };
}

const PARTNER_CENTER_SCOPES = ["https://api.partnercenter.microsoft.com/.default", "https://api.partnercenter.microsoft.com/user_impersonation"];

/**
 * The resource the scope asks for: Graph's `.default`, or Partner Center's (answered with the
 * credential's Partner Center bearer token, so one set of app credentials serves both APIs, as
 * in production). MSAL adds `openid profile offline_access`, which pass.
 */
function resourceOf(scope: string): "graph" | "partner-center" | undefined {
  const scopes = scope.split(/\s+/).filter(Boolean);
  const resources = scopes.filter((s) => !["openid", "profile", "offline_access", "email"].includes(s)).map((s) => s.toLowerCase());
  if (resources.length !== 1 || resources[0] === undefined) return undefined;
  if ([`${GRAPH_RESOURCE}/.default`, `${GRAPH_APP_ID}/.default`].includes(resources[0])) return "graph";
  return PARTNER_CENTER_SCOPES.includes(resources[0]) ? "partner-center" : undefined;
}

type Grant = "client_credentials" | "refresh_token";

/** The credential the form authenticates (client id, secret, and for app+user the refresh token), or Entra ID's refusal. */
function clientOf(ctx: IdentityContext, tenant: string, grant: Grant, form: URLSearchParams): FixtureCredential | IdentityAnswer {
  const clientId = (form.get("client_id") ?? "").toLowerCase();
  const cred = ctx.state.world.credentials.find((c) => c.clientId?.toLowerCase() === clientId);
  if (!cred) return notInDirectory(clientId, tenant);
  if (!cred.clientSecret || form.get("client_secret") !== cred.clientSecret) {
    return aadError(
      401,
      "invalid_client",
      7000215,
      "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
    );
  }
  if (grant === "refresh_token" && (!cred.refreshToken || form.get("refresh_token") !== cred.refreshToken)) {
    return aadError(400, "invalid_grant", 70000, "Provided grant is invalid or malformed.");
  }
  return cred;
}

export function issueToken(ctx: IdentityContext, tenant: string, form: URLSearchParams): IdentityAnswer {
  if (!knownTenant(ctx, tenant)) return unknownTenant(tenant);
  const grant = form.get("grant_type") ?? "";
  if (grant !== "client_credentials" && grant !== "refresh_token") {
    return aadError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant}'.`);
  }
  const cred = clientOf(ctx, tenant, grant, form);
  if ("status" in cred) return cred;
  const scope = form.get("scope") ?? "";
  const resource = resourceOf(scope);
  if (!resource) {
    return aadError(
      400,
      "invalid_scope",
      70011,
      `The provided value for scope '${scope}' is not valid. This sandbox issues tokens for ${GRAPH_RESOURCE}/.default and Partner Center only.`,
    );
  }
  return resource === "partner-center" ? partnerCenterToken(ctx, cred, tenant, grant, scope) : graphToken(ctx, cred, tenant, grant);
}

/**
 * A Partner Center token, issued in the partner's tenant only. App+user (the partner user's
 * refresh token) is the credential's fixture token, acting with its agent role; app-only (client
 * credentials) a signed token the Partner Center side tells apart, since some calls answer App+User
 * credentials only (partner-center-authentication; get-order-provisioning-status).
 */
function partnerCenterToken(ctx: IdentityContext, cred: FixtureCredential, tenant: string, grant: Grant, scope: string): IdentityAnswer {
  if (tenant !== ctx.state.world.partner.id.toLowerCase())
    return aadError(400, "invalid_request", 90009, `Partner Center tokens are issued in the partner's tenant, not '${tenant}'.`);
  const token =
    grant === "refresh_token" ? cred.token : ctx.signer.issue({ aud: PARTNER_CENTER_RESOURCE, tid: tenant, appid: cred.clientId ?? "", idtyp: "app" }).token;
  return {
    status: 200,
    body: {
      token_type: "Bearer",
      expires_in: TOKEN_LIFETIME_SEC,
      ext_expires_in: TOKEN_LIFETIME_SEC,
      access_token: token,
      ...(grant === "refresh_token" ? { refresh_token: cred.refreshToken, scope } : {}),
    },
  };
}

/**
 * A Graph token for one tenant. App-only (client credentials): only where the app was consented,
 * carrying the consented application permissions in `roles`. App+user (the partner user's refresh
 * token): where the app was consented and the user holds a GDAP relationship (any role); what it
 * may do is then the user's GDAP roles (graph/routes.ts). The partner's own tenant always issues.
 */
function graphToken(ctx: IdentityContext, cred: FixtureCredential, tenant: string, grant: Grant): IdentityAnswer {
  const clientId = cred.clientId ?? "";
  const partner = tenant === ctx.state.world.partner.id.toLowerCase();
  const consented = partner ? [] : consentedPermissions(cred, tenant);
  if (grant === "client_credentials" && !consented) return notInDirectory(clientId, tenant);
  if (grant === "refresh_token") {
    const refused = partner ? undefined : userConsentProblem(cred, tenant, consented);
    if (refused) return refused;
  }
  const roles = grant === "client_credentials" && consented && consented.length > 0 ? { roles: [...consented] } : {};
  const idtyp = grant === "client_credentials" ? "app" : "user";
  const { token, expiresIn } = ctx.signer.issue({ aud: GRAPH_RESOURCE, tid: tenant, appid: clientId, idtyp, ...roles });
  const body: Record<string, unknown> = { token_type: "Bearer", expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token };
  if (grant === "refresh_token") Object.assign(body, { refresh_token: cred.refreshToken, scope: `${GRAPH_RESOURCE}/.default` });
  return { status: 200, body };
}

/**
 * Entra ID's answer to an app a tenant does not know: it was never consented there (reference
 * reference-error-codes, AADSTS700016 UnauthorizedClient_DoesNotMatchRequest).
 */
function notInDirectory(clientId: string, tenant: string): IdentityAnswer {
  return aadError(
    400,
    "unauthorized_client",
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  );
}

/** An app+user token needs the app consented in the tenant (AADSTS65001) and the user's GDAP relationship there. */
function userConsentProblem(cred: FixtureCredential, tenant: string, consented: readonly string[] | undefined): IdentityAnswer | undefined {
  const clientId = cred.clientId ?? "";
  if (!consented) {
    return aadError(
      400,
      "invalid_grant",
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource.`,
    );
  }
  if (gdapRoles(cred, tenant).size === 0) {
    return aadError(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. The partner has no delegated admin relationship with this tenant.`,
    );
  }
  return undefined;
}

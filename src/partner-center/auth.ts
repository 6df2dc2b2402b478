/**
 * Credentials from the environment, in this order:
 * 1. `PARTNER_CENTER_TOKEN` — a bearer token used as is (wins over everything else).
 * 2. `AZURE_TENANT_ID` + `AZURE_CLIENT_ID` + (`AZURE_CLIENT_SECRET` or a client assertion read
 *    from `AZURE_FEDERATED_TOKEN_FILE`, e.g. GitHub OIDC / workload identity), through
 *    `@azure/msal-node`'s ConfidentialClientApplication:
 *    - with `PARTNER_CENTER_REFRESH_TOKEN`: app+user (secure application model),
 *      `acquireTokenByRefreshToken`, scope `…/user_impersonation`;
 *    - otherwise app-only client credentials, scope `…/.default`.
 * Tokens are cached until shortly before they expire. MSAL is loaded and constructed lazily,
 * on the first token request. Secrets are registered for redaction and never printed.
 */
import { readFile } from "node:fs/promises";
import { PcplanError } from "../errors.js";
import { PC_ERROR_CODES } from "./errors.js";
import { redactSecrets, registerSecret, sanitizeError } from "./redact.js";
import type { TokenProvider } from "./transport.js";

export const PARTNER_CENTER_RESOURCE = "https://api.partnercenter.microsoft.com";
export const APP_ONLY_SCOPE = `${PARTNER_CENTER_RESOURCE}/.default`;
export const APP_USER_SCOPE = `${PARTNER_CENTER_RESOURCE}/user_impersonation`;
/** Refresh this long before `expiresOn`. */
export const EXPIRY_MARGIN_MS = 5 * 60_000;

export const CREDENTIAL_ENV_VARS = [
  "PARTNER_CENTER_TOKEN",
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
  "AZURE_FEDERATED_TOKEN_FILE",
  "PARTNER_CENTER_REFRESH_TOKEN",
] as const;

export type CredentialSource =
  | { kind: "static-token"; token: string }
  | {
      kind: "client-credentials" | "refresh-token";
      tenantId: string;
      clientId: string;
      clientSecret?: string;
      federatedTokenFile?: string;
      refreshToken?: string;
      authorityHost: string;
      scope: string;
    };

type Env = Record<string, string | undefined>;

function val(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** Decide where credentials come from. Pure: reads only `env`. Throws a PcplanError listing the env vars. */
export function resolveCredentialSource(env: Env = process.env): CredentialSource {
  const token = val(env, "PARTNER_CENTER_TOKEN");
  if (token) return { kind: "static-token", token: token.replace(/^Bearer\s+/i, "") };

  const tenantId = val(env, "AZURE_TENANT_ID");
  const clientId = val(env, "AZURE_CLIENT_ID");
  const clientSecret = val(env, "AZURE_CLIENT_SECRET");
  const federatedTokenFile = val(env, "AZURE_FEDERATED_TOKEN_FILE");
  const refreshToken = val(env, "PARTNER_CENTER_REFRESH_TOKEN");
  const missing: string[] = [];
  if (!tenantId) missing.push("AZURE_TENANT_ID");
  if (!clientId) missing.push("AZURE_CLIENT_ID");
  if (!clientSecret && !federatedTokenFile) missing.push("AZURE_CLIENT_SECRET (or AZURE_FEDERATED_TOKEN_FILE)");
  if (!tenantId || !clientId || (!clientSecret && !federatedTokenFile)) {
    const anySet = tenantId || clientId || clientSecret || federatedTokenFile || refreshToken;
    throw new PcplanError(
      PC_ERROR_CODES.credentials,
      (anySet ? `Incomplete Partner Center credentials: missing ${missing.join(", ")}. ` : "No Partner Center credentials found. ") +
        "Set PARTNER_CENTER_TOKEN to a bearer token, or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET " +
        "(or AZURE_FEDERATED_TOKEN_FILE) for an app registration, plus PARTNER_CENTER_REFRESH_TOKEN for app+user " +
        "calls (users, licenses, subscribed SKUs). Or use --sandbox.",
      true,
    );
  }
  const authorityHost = (val(env, "AZURE_AUTHORITY_HOST") ?? "https://login.microsoftonline.com").replace(/\/+$/, "");
  const common = {
    tenantId,
    clientId,
    authorityHost,
    ...(clientSecret ? { clientSecret } : { federatedTokenFile }),
  };
  return refreshToken
    ? { kind: "refresh-token", ...common, refreshToken, scope: APP_USER_SCOPE }
    : { kind: "client-credentials", ...common, scope: APP_ONLY_SCOPE };
}

/** What we need from MSAL (a ConfidentialClientApplication); injectable for tests. */
export interface TokenApp {
  acquireTokenByClientCredential(req: { scopes: string[] }): Promise<TokenResult | null>;
  acquireTokenByRefreshToken(req: { scopes: string[]; refreshToken: string }): Promise<TokenResult | null>;
}
export interface TokenResult {
  accessToken: string;
  expiresOn: Date | null;
}
export type TokenAppFactory = (source: Extract<CredentialSource, { kind: "client-credentials" | "refresh-token" }>) => Promise<TokenApp>;

/**
 * A client assertion callback reading a federated token file (GitHub OIDC, workload
 * identity). Re-read on every call: those tokens rotate.
 */
export function clientAssertionFromFile(file: string): () => Promise<string> {
  return async () => {
    const assertion = (await readFile(file, "utf8")).trim();
    if (!assertion) throw new Error(`the federated token file ${file} is empty`);
    registerSecret(assertion);
    return assertion;
  };
}

/**
 * MSAL trusts Microsoft's authority host on its own; any other (a sovereign cloud, the sandbox,
 * a test double) must be named with its port, or MSAL asks Microsoft's instance discovery to
 * vouch for it and fails offline.
 */
export function knownAuthoritiesFor(authorityHost: string): string[] {
  const url = new URL(authorityHost);
  return url.origin === "https://login.microsoftonline.com" ? [] : [url.host];
}

const msalFactory: TokenAppFactory = async (source) => {
  const { ConfidentialClientApplication } = await import("@azure/msal-node");
  const known = knownAuthoritiesFor(source.authorityHost);
  return new ConfidentialClientApplication({
    auth: {
      clientId: source.clientId,
      authority: `${source.authorityHost}/${source.tenantId}`,
      ...(known.length > 0 ? { knownAuthorities: known } : {}),
      ...(source.clientSecret ? { clientSecret: source.clientSecret } : { clientAssertion: clientAssertionFromFile(source.federatedTokenFile ?? "") }),
    },
  });
};

export interface TokenProviderOptions {
  /** Build the MSAL application (default: `@azure/msal-node` ConfidentialClientApplication). */
  createApp?: TokenAppFactory;
  now?: () => number;
  /** The scope asked for with a refresh token, when not Partner Center's (the Partner API's price sheet). */
  appUserScope?: string;
}

/** The Partner API (price sheets) takes a token for its own resource, App+User only (get-a-price-sheet). */
export const PARTNER_API_SCOPE = "https://api.partner.microsoft.com/user_impersonation";

/**
 * The token for the price sheet call, or why there is none: a bearer token given as is is used
 * as is (the caller chose it); app-only credentials cannot call it ("Application-only isn't yet
 * supported", https://learn.microsoft.com/partner-center/developer/get-a-price-sheet); with a
 * refresh token, one for the Partner API's resource.
 */
export function priceSheetTokenFromEnv(env: Env = process.env, opts: TokenProviderOptions = {}): TokenProvider | string {
  const source = resolveCredentialSource(env);
  if (source.kind === "client-credentials")
    return "the price sheet API takes App+User credentials only (PARTNER_CENTER_REFRESH_TOKEN); price the plan with --prices FILE";
  return tokenProviderFromEnv(env, { ...opts, appUserScope: PARTNER_API_SCOPE });
}

/** A TokenProvider from the environment (see the file comment). Throws at once if credentials are missing. */
export function tokenProviderFromEnv(env: Env = process.env, opts: TokenProviderOptions = {}): TokenProvider {
  const resolved = resolveCredentialSource(env);
  const source = resolved.kind === "refresh-token" && opts.appUserScope ? { ...resolved, scope: opts.appUserScope } : resolved;
  if (source.kind === "static-token") {
    registerSecret(source.token);
    const token = source.token;
    return () => Promise.resolve(token);
  }
  registerSecret(source.clientSecret);
  registerSecret(source.refreshToken);
  const secrets = [source.clientSecret, source.refreshToken].filter((s): s is string => !!s);
  const createApp = opts.createApp ?? msalFactory;
  const now = opts.now ?? Date.now;
  let app: Promise<TokenApp> | undefined;
  let cached: { token: string; refreshAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const acquire = async (): Promise<string> => {
    try {
      app ??= createApp(source);
      const a = await app;
      const result =
        source.kind === "refresh-token"
          ? await a.acquireTokenByRefreshToken({ scopes: [source.scope], refreshToken: source.refreshToken ?? "" })
          : await a.acquireTokenByClientCredential({ scopes: [source.scope] });
      if (!result?.accessToken) throw new Error("Microsoft Entra ID returned no access token");
      registerSecret(result.accessToken);
      const expiresAt = result.expiresOn?.getTime() ?? now() + 10 * 60_000;
      cached = { token: result.accessToken, refreshAt: Math.max(now(), expiresAt - EXPIRY_MARGIN_MS) };
      return result.accessToken;
    } catch (err) {
      app = undefined; // try a fresh application next time
      const message = err instanceof Error ? err.message : String(err);
      throw new PcplanError(
        PC_ERROR_CODES.credentials,
        `Could not obtain a Partner Center token (${source.kind === "refresh-token" ? "app+user, refresh token" : "app-only, client credentials"}) ` +
          `for client ${source.clientId} in tenant ${source.tenantId}: ${redactSecrets(message, secrets)}`,
        true,
        { cause: sanitizeError(err, secrets) },
      );
    }
  };

  return () => {
    if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
    inFlight ??= acquire().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

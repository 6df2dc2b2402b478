/**
 * Access tokens for Microsoft Graph, one per customer tenant (docs/graph.md): `@azure/msal-node`
 * with the authority `{AZURE_AUTHORITY_HOST}/{tenant}` and the scope
 * `https://graph.microsoft.com/.default`, using the same app credentials as Partner Center
 * (client secret or federated assertion; with `PARTNER_CENTER_REFRESH_TOKEN` the partner's
 * refresh token, exchanged per tenant). A host that is not Microsoft's (a sovereign cloud, the
 * sandbox) is passed as `knownAuthorities` with its port, so MSAL reads its OpenID
 * configuration instead of asking Microsoft's instance discovery to vouch for it. Tokens are
 * cached per tenant until shortly before they expire, requests for one tenant share one flight,
 * and every token and secret is registered for redaction.
 */
import type { Configuration, INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import type { IncomingHttpHeaders } from "node:http";
import pLimit from "p-limit";
import { clientAssertionFromFile, EXPIRY_MARGIN_MS, knownAuthoritiesFor, resolveCredentialSource, type CredentialSource } from "../partner-center/auth.js";
import { redactSecrets, registerSecret, sanitizeError } from "../partner-center/redact.js";
import { GRAPH_ERROR_CODES, GraphTokenError } from "./errors.js";
import { trusting } from "../http/node-send.js";
import { PcplanError } from "../errors.js";

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
/** Tenants one MSAL application gets tokens for before a fresh one takes over (its cache stays small). */
const TENANTS_PER_APP = 100;
/**
 * Token requests in flight at once. A run that starts every customer at once would otherwise
 * ask for thousands of tokens together, and no customer could begin until they all came back;
 * in turn, the first customers get theirs at once and their Graph calls overlap the rest. Each
 * is a connection of its own (a TLS handshake) and MSAL's work on the client's one thread: at 64,
 * handshakes took a fifth of the client's first 0.4 s of a Graph run while Graph's first requests
 * waited for the CPU; 32 keep ahead of Graph's own pace (docs/performance.md, "Graph").
 */
export const TOKEN_REQUESTS_IN_FLIGHT = 32;

/** App credentials (not a bare bearer token: that is for one tenant only). */
export type AppCredentials = Extract<CredentialSource, { kind: "client-credentials" | "refresh-token" }>;

/** Returns a Graph bearer token for the tenant. Throws `GraphTokenError` naming the tenant when refused. */
export type TenantTokenProvider = ((tenantId: string) => Promise<string>) & {
  /**
   * Asks for the tenants' tokens now, before any call needs them (a run names its tenants before
   * it reads anything). Nothing is thrown here: a refusal waits for the tenant's first call.
   */
  prefetch?(tenantIds: readonly string[]): void;
};

/** What we need from MSAL; injectable for tests of the caching. */
export interface GraphTokenApp {
  acquireTokenByClientCredential(req: {
    scopes: string[];
    authority: string;
    skipCache?: boolean;
  }): Promise<{ accessToken: string; expiresOn: Date | null } | null>;
  acquireTokenByRefreshToken(req: {
    scopes: string[];
    authority: string;
    refreshToken: string;
  }): Promise<{ accessToken: string; expiresOn: Date | null } | null>;
}

export interface GraphTokenOptions {
  /** `fetch` for MSAL's requests (tests' calls trusting the sandbox's certificate); default node:https (`msalHttpsNetwork`). */
  fetch?: typeof fetch;
  /** MSAL's network module (before `fetch`): `msalHttpsNetwork` for the sandbox. */
  network?: INetworkModule;
  createApp?: (config: Configuration) => Promise<GraphTokenApp>;
  now?: () => number;
}

/** One request of MSAL's: status, headers and body text. */
type MsalSend = (
  url: string,
  method: "GET" | "POST",
  headers: Record<string, string>,
  body: string | undefined,
) => Promise<{ status: number; headers: Record<string, string>; text: string }>;

function msalNetworkOver(send: MsalSend): INetworkModule {
  const request = async <T>(url: string, method: "GET" | "POST", options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const res = await send(url, method, options?.headers ?? {}, method === "POST" ? (options?.body ?? "") : undefined);
    let body: unknown = {};
    try {
      body = res.text ? JSON.parse(res.text) : {};
    } catch {
      // MSAL reports the status; a non-JSON error page has nothing more to say.
    }
    return { headers: res.headers, body: body as T, status: res.status };
  };
  return {
    sendGetRequestAsync: (url, options) => request(url, "GET", options),
    sendPostRequestAsync: (url, options) => request(url, "POST", options),
  };
}

/** MSAL's network module over a given fetch (tests' own calls to the sandbox). */
export function msalNetwork(doFetch: typeof fetch): INetworkModule {
  return msalNetworkOver(async (url, method, headers, body) => {
    const res = await doFetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    return { status: res.status, headers: Object.fromEntries(res.headers), text: await res.text() };
  });
}

/**
 * MSAL's network module over node:https, kept alive: every token request pcplan makes goes this
 * way, trusting the system's certificates, or `caPem` alone (the in-process sandbox's). MSAL's own
 * module (msal-node 7) sends through Node's `fetch` (undici): a token request cost the client
 * about three times the CPU that way (1.3–1.7 ms against 0.4–0.6 ms measured here), and a run asks
 * for one per customer tenant (docs/performance.md, "Graph").
 */
export function msalHttpsNetwork(caPem?: string): INetworkModule {
  // node:https is loaded on the first token request, not with the module.
  const loaded = import("node:https").then((https) => ({
    https,
    agent: new https.Agent({ ...(caPem !== undefined ? { secureContext: trusting(caPem) } : {}), keepAlive: true, maxSockets: TOKEN_REQUESTS_IN_FLIGHT }),
  }));
  return msalNetworkOver(async (url, method, headers, body) => {
    const { https, agent } = await loaded;
    return new Promise((resolve, reject) => {
      const length = body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) };
      const req = https.request(url, { method, agent, headers: { ...headers, ...length } }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("error", reject);
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: headersOf(res.headers), text }));
      });
      req.on("error", reject);
      req.end(body);
    });
  });
}

const headersOf = (h: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(Object.entries(h).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(", ") : v]])));

const msalApp = async (config: Configuration): Promise<GraphTokenApp> => {
  const { ConfidentialClientApplication } = await import("@azure/msal-node");
  return new ConfidentialClientApplication(config);
};

/** `AADSTS65001: The user or administrator has not consented …` → that first sentence, without trace ids. */
function shortReason(message: string): string {
  const m = /AADSTS\d+:[^.]*\./.exec(message);
  return (m ? m[0] : (message.split("\n")[0] ?? message)).slice(0, 300);
}

export function graphTokenProvider(creds: AppCredentials, opts: GraphTokenOptions = {}): TenantTokenProvider {
  const { config, host, secrets } = msalConfig(creds, opts);
  const now = opts.now ?? Date.now;
  const apps = msalApps(() => (opts.createApp ?? msalApp)(config));
  const cached = new Map<string, { token: string; refreshAt: number }>();
  const fewAtATime = pLimit(TOKEN_REQUESTS_IN_FLIGHT);
  const inFlight = new Map<string, Promise<string>>();

  const acquire = async (tenant: string): Promise<string> => {
    try {
      const authority = `${host}/${tenant}`;
      const result = await apps((a) =>
        creds.kind === "refresh-token"
          ? a.acquireTokenByRefreshToken({ scopes: [GRAPH_SCOPE], authority, refreshToken: creds.refreshToken ?? "" })
          : // Our own per-tenant cache answers first; MSAL's lookup scans every token it holds (slow with thousands of tenants).
            a.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE], authority, skipCache: true }),
      );
      if (!result?.accessToken) throw new Error("Microsoft Entra ID returned no access token");
      registerSecret(result.accessToken);
      const expiresAt = result.expiresOn?.getTime() ?? now() + 10 * 60_000;
      cached.set(tenant, { token: result.accessToken, refreshAt: Math.max(now(), expiresAt - EXPIRY_MARGIN_MS) });
      return result.accessToken;
    } catch (err) {
      const message = redactSecrets(err instanceof Error ? err.message : String(err), secrets);
      throw new GraphTokenError({
        tenant,
        description: shortReason(message),
        principal: creds.kind === "refresh-token" ? "user" : "app",
        cause: sanitizeError(err, secrets),
      });
    }
  };

  const token = (tenant: string): Promise<string> => {
    const hit = cached.get(tenant);
    if (hit && now() < hit.refreshAt) return Promise.resolve(hit.token);
    let flight = inFlight.get(tenant);
    if (!flight) {
      flight = fewAtATime(() => acquire(tenant)).finally(() => inFlight.delete(tenant));
      inFlight.set(tenant, flight);
    }
    return flight;
  };
  return withPrefetch(token, (tenant) => cached.has(tenant));
}

/**
 * A prefetched token is its tenant's first call's acquisition, started early. That call takes a
 * refusal as it stands (asking again at once would double the identity platform's work for the
 * same answer); a token got goes by the cache (and its refresh) like any other.
 */
function withPrefetch(token: (tenant: string) => Promise<string>, got: (tenant: string) => boolean): TenantTokenProvider {
  const ahead = new Map<string, Promise<string>>();
  const provider = (tenantId: string) => {
    const tenant = tenantId.toLowerCase();
    const early = ahead.get(tenant);
    ahead.delete(tenant);
    return early && !got(tenant) ? early : token(tenant);
  };
  const prefetch = (tenantIds: readonly string[]) => {
    for (const id of tenantIds) {
      const tenant = id.toLowerCase();
      if (ahead.has(tenant) || got(tenant)) continue;
      const flight = token(tenant);
      flight.catch(() => undefined);
      ahead.set(tenant, flight);
    }
  };
  return Object.assign(provider, { prefetch });
}

/** MSAL's configuration for these credentials; every secret in them registered for redaction. */
function msalConfig(creds: AppCredentials, opts: GraphTokenOptions): { config: Configuration; host: string; secrets: string[] } {
  const host = creds.authorityHost.replace(/\/+$/, "");
  let known: string[];
  try {
    known = knownAuthoritiesFor(host);
  } catch {
    throw new PcplanError(GRAPH_ERROR_CODES.credentials, `AZURE_AUTHORITY_HOST is not a URL: ${host}`);
  }
  const secrets = [creds.clientSecret, creds.refreshToken].filter((s): s is string => !!s);
  for (const s of secrets) registerSecret(s);
  const config: Configuration = {
    auth: {
      clientId: creds.clientId,
      authority: `${host}/${creds.tenantId}`,
      ...(known.length > 0 ? { knownAuthorities: known } : {}),
      ...(creds.clientSecret ? { clientSecret: creds.clientSecret } : { clientAssertion: clientAssertionFromFile(creds.federatedTokenFile ?? "") }),
    },
    system: { networkClient: opts.network ?? (opts.fetch ? msalNetwork(opts.fetch) : msalHttpsNetwork()) },
  };
  return { config, host, secrets };
}

/**
 * Runs a token request on an MSAL application serving a bounded number of tenants. MSAL keeps
 * every token it got in its own cache and scans all of them on every request; pcplan caches per
 * tenant itself, so a fresh application takes over every TENANTS_PER_APP tenants. A fresh
 * application first reads the authority's OpenID configuration; its first request goes alone, so
 * the others find it cached instead of each reading it again. Meanwhile the application before
 * it serves on (a few more tenants than TENANTS_PER_APP): waiting for the fresh one stalled every
 * token request for two round trips at each change (docs/performance.md, "Graph").
 */
function msalApps(create: () => Promise<GraphTokenApp>): <T>(request: (app: GraphTokenApp) => Promise<T>) => Promise<T> {
  type App = { instance: Promise<GraphTokenApp>; warm: Promise<void>; ready: boolean };
  let app: App | undefined;
  let previous: App | undefined;
  let requests = 0;
  return async (request) => {
    const fresh = requests++ % TENANTS_PER_APP === 0;
    if (fresh) [previous, app] = [app?.ready ? app : previous, undefined];
    const current = (app ??= { instance: create(), warm: Promise.resolve(), ready: false });
    if (!fresh && !current.ready) {
      if (previous) return previous.instance.then(request);
      await current.warm;
    }
    const answer = current.instance.then(request);
    const warmed = () => void (current.ready = true);
    if (fresh) current.warm = answer.then(warmed, warmed);
    return answer;
  };
}

/**
 * The app credentials Graph can use, from the environment: the same variables as Partner
 * Center's (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE,
 * optional PARTNER_CENTER_REFRESH_TOKEN, AZURE_AUTHORITY_HOST), whether or not a bare
 * PARTNER_CENTER_TOKEN is also set (a bearer token for Partner Center is no Graph credential).
 * Undefined when they are incomplete.
 */
export function graphCredentialsFromEnv(env: Record<string, string | undefined>): AppCredentials | undefined {
  try {
    const source = resolveCredentialSource({ ...env, PARTNER_CENTER_TOKEN: undefined });
    return source.kind === "static-token" ? undefined : source;
  } catch {
    return undefined;
  }
}

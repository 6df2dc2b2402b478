/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers from the wire are checked by assertions, not types */
/** Graph-side test helpers: HTTPS calls to the sandbox's Graph listener and a Graph client wired to it. */
import { readFileSync } from "node:fs";
import { graphTokenProvider, msalHttpsNetwork, type TenantTokenProvider } from "../../../src/graph/auth.js";
import { createGraphClient, type GraphClient } from "../../../src/graph/client.js";
import type { GraphHttp } from "../../../src/graph/http.js";
import { fetchTrusting } from "../../helpers/trust.js";
import { SANDBOX_APPS, type SandboxHandle } from "../../../src/sandbox/index.js";
import { createGraphHttp } from "../../../src/graph/transport-http.js";
import { createRequestBudget } from "../../../src/partner-center/client.js";

export const PARTNER = "b9bdfd4a-f695-4a56-b12b-cfe874dc9999";
export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

let trusted: typeof fetch | undefined;
/** A fetch trusting the sandbox's certificate (the same for every sandbox). */
export function sandboxFetch(sb: SandboxHandle): typeof fetch {
  return (trusted ??= fetchTrusting(readFileSync(sb.graph.caPath, "utf8")));
}

export interface App {
  clientId: string;
  clientSecret: string;
  refreshToken?: string;
}

/** A token straight from the sandbox's token endpoint (client credentials unless `form` says otherwise). */
/** The environment a partner sets for app credentials, pointed at the sandbox's Graph and token endpoint. */
export function graphAppEnv(sb: SandboxHandle, app: App = SANDBOX_APPS.admin): Record<string, string | undefined> {
  return {
    AZURE_TENANT_ID: PARTNER,
    AZURE_CLIENT_ID: app.clientId,
    AZURE_CLIENT_SECRET: app.clientSecret,
    AZURE_AUTHORITY_HOST: sb.graph.endpoint,
    GRAPH_ENDPOINT: sb.graph.endpoint,
    NODE_EXTRA_CA_CERTS: sb.graph.caPath,
    PARTNER_CENTER_TOKEN: undefined,
  };
}

export async function requestToken(
  sb: SandboxHandle,
  tenant: string,
  app: App = SANDBOX_APPS.admin,
  form: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await sandboxFetch(sb)(`${sb.graph.endpoint}/${tenant}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      scope: GRAPH_SCOPE,
      ...form,
    }).toString(),
  });
  return { status: res.status, body: await res.json() };
}

export async function tokenFor(sb: SandboxHandle, tenant: string, app: App = SANDBOX_APPS.admin): Promise<string> {
  const t = await requestToken(sb, tenant, app);
  if (t.status !== 200) throw new Error(`no token for ${tenant}: ${JSON.stringify(t.body)}`);
  return t.body.access_token as string;
}

export interface GraphReply {
  status: number;
  headers: Headers;
  body: any;
}

/** One Graph request; `path` below `/v1.0`. */
export async function graphCall(
  sb: SandboxHandle,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<GraphReply> {
  const res = await sandboxFetch(sb)(`${sb.graph.endpoint}/v1.0${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export interface GraphSetup {
  tokens: TenantTokenProvider;
  http: GraphHttp;
  client: GraphClient;
}

/**
 * The Graph client as pcplan builds it, against this sandbox, with the demo admin app (or another):
 * app-only (client credentials), or with `asUser` the app's partner user through its refresh token.
 */
export function graphClientFor(sb: SandboxHandle, app: App = SANDBOX_APPS.admin, asUser = false): GraphSetup {
  // Over node:https trusting the sandbox's certificate, as `pcplan … --sandbox` sends.
  const ca = readFileSync(sb.graph.caPath, "utf8");
  const tokens = graphTokenProvider(
    {
      kind: asUser ? "refresh-token" : "client-credentials",
      tenantId: PARTNER,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      ...(asUser ? { refreshToken: app.refreshToken } : {}),
      authorityHost: sb.graph.endpoint,
      scope: GRAPH_SCOPE,
    },
    { network: msalHttpsNetwork(ca) },
  );
  const http = createGraphHttp({ endpoint: sb.graph.endpoint, tokens, budget: createRequestBudget({}), ca });
  return {
    tokens,
    http,
    client: createGraphClient({
      endpoint: sb.graph.endpoint,
      tokens,
      http,
      partnerTenant: PARTNER,
      principal: asUser ? { kind: "user" } : { kind: "app", clientId: app.clientId },
    }),
  };
}

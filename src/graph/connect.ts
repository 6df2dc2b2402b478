/**
 * Everything Graph needs for a run, assembled once: per-tenant tokens (MSAL), the HTTP layer,
 * the client, and from them the licence backend and the GDAP access check.
 */
import { graphAccessCheck } from "../access/graph-access-check.js";
import type { AccessCheck } from "../access/access-check.js";
import type { LicenseBackendFactory } from "../licenses/backend.js";
import { graphLicenses } from "../licenses/graph-backend.js";
import { graphTokenProvider, type AppCredentials, type TenantTokenProvider } from "./auth.js";
import { createGraphClient, type GraphClient } from "./client.js";
import type { GraphHttp } from "./http.js";

export interface GraphConnection {
  client: GraphClient;
  tokens: TenantTokenProvider;
  licenses: LicenseBackendFactory;
  access: AccessCheck;
  /** A token for Graph on the partner's own tenant: the credentials and the authority work. Throws otherwise. */
  probe(): Promise<void>;
}

export interface GraphConnectOptions {
  /** The Graph host without `/v1.0`. */
  endpoint: string;
  creds: AppCredentials;
  /** An in-process client's fetch trusting the sandbox's certificate (src/graph/trust.ts). */
  fetch?: typeof fetch;
  /** Builds pcplan's HTTP layer for Graph over the tenant tokens. */
  http: (tokens: TenantTokenProvider) => GraphHttp;
}

export function connectGraph(o: GraphConnectOptions): GraphConnection {
  const tokens = graphTokenProvider(o.creds, o.fetch ? { fetch: o.fetch } : {});
  const client = createGraphClient({
    endpoint: o.endpoint,
    tokens,
    http: o.http(tokens),
    partnerTenant: o.creds.tenantId,
    principal: o.creds.kind === "refresh-token" ? { kind: "user" } : { kind: "app", clientId: o.creds.clientId },
  });
  return {
    client,
    tokens,
    licenses: (limit) => graphLicenses(client, limit),
    access: graphAccessCheck(client),
    probe: async () => {
      await tokens(o.creds.tenantId);
    },
  };
}

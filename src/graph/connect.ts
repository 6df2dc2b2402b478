/**
 * Everything Graph needs for a run, assembled once: per-tenant tokens (MSAL), the HTTP layer and
 * the client. The licence backend and the GDAP access check are built on the client above this
 * adapter (src/licenses/, src/access/), by the CLI's connection.
 */
import type { INetworkModule } from "@azure/msal-node";
import { graphTokenProvider, type AppCredentials, type TenantTokenProvider } from "./auth.js";
import { createGraphClient, type GraphClient } from "./client.js";
import type { GraphHttp } from "./http.js";

export interface GraphConnection {
  client: GraphClient;
  tokens: TenantTokenProvider;
  /** An app-only credential, or the partner user's (a refresh token). */
  principal: "app" | "user";
  /** A token for Graph on the partner's own tenant: the credentials and the authority work. Throws otherwise. */
  probe(): Promise<void>;
}

export interface GraphConnectOptions {
  /** The Graph host without `/v1.0`. */
  endpoint: string;
  creds: AppCredentials;
  /** MSAL's network module for the tokens (auth.ts `msalHttpsNetwork` for the sandbox). */
  network?: INetworkModule;
  /** Builds pcplan's HTTP layer for Graph over the tenant tokens. */
  http: (tokens: TenantTokenProvider) => GraphHttp;
}

export function connectGraph(o: GraphConnectOptions): GraphConnection {
  const tokens = graphTokenProvider(o.creds, o.network ? { network: o.network } : {});
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
    principal: o.creds.kind === "refresh-token" ? "user" : "app",
    probe: async () => {
      await tokens(o.creds.tenantId);
    },
  };
}

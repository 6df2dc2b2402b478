import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { cannotTell, type AccessCheck } from "../access/access-check.js";
import { PcplanError } from "../errors.js";
import { graphCredentialsFromEnv, type AppCredentials } from "../graph/auth.js";
import { connectGraph, type GraphConnection } from "../graph/connect.js";
import type { GraphHttpStats } from "../graph/http.js";
import { createGraphHttp } from "../graph/transport-http.js";
import { fetchTrusting } from "../graph/trust.js";
import type { LicenseApi, LicenseBackendFactory } from "../licenses/backend.js";
import { partnerCenterLicenses } from "../licenses/partner-center-backend.js";
import { createPartnerCenterClient, type PartnerCenterClient } from "../partner-center/client.js";
import { tokenProviderFromEnv } from "../partner-center/auth.js";
import { redact } from "../partner-center/redact.js";
import { validatedApi } from "../partner-center/validated-api.js";
import { DEMO_FIXTURE_PATH, SANDBOX_APPS, SANDBOX_TOKENS, loadFixture, startSandbox } from "../sandbox/index.js";
import { acquireLock } from "../util/lock-file.js";
import type { Io } from "./io.js";

export type LicenseApiChoice = LicenseApi | "auto";

export interface ConnectionOptions {
  sandbox?: boolean;
  endpoint: string;
  maxRps?: number;
  /** Sandbox clock (the demo's deadlines and deprovisioning follow it). */
  clock?: string;
  /** Where licences are read and changed (default auto). */
  licenseApi?: LicenseApiChoice;
  /** The Graph host without `/v1.0` (default https://graph.microsoft.com). */
  graphEndpoint?: string;
}

export interface Connection {
  api: PartnerCenterClient;
  /** Where licence state is read and changed, and which of the two it is. */
  licenses: LicenseBackendFactory;
  licenseApi: LicenseApi;
  /** The credential's GDAP roles per customer, where the licence API can tell (Graph). */
  access: AccessCheck;
  /** Graph traffic, when licences go through Graph. */
  graphStats?: () => GraphHttpStats;
  /** What the plans were read from, as saved plans record it (no credentials in it). */
  endpoint: string;
  close(): Promise<void>;
}

/** Where `--sandbox` keeps its world and pcplan its audit log and locks. */
export const STATE_DIR = ".pcplan";

const DEFAULT_GRAPH_ENDPOINT = "https://graph.microsoft.com";

/**
 * `--sandbox` starts the demo Partner Center in-process on an ephemeral port, its state kept in
 * `.pcplan/` so `plan --sandbox` then `apply --sandbox` see the same world. Only one process at
 * a time may serve that state (two would each write their own copy and lose the other's writes),
 * so it is locked while the sandbox runs. Otherwise the given endpoint, with credentials from
 * the environment. Licences go through Graph (the sandbox serves it too) unless
 * `--license-api partner-center`, or `auto` finds no app credentials that reach Graph.
 */
export async function connect(io: Io, opts: ConnectionOptions, cwd = process.cwd()): Promise<Connection> {
  const maxRps = opts.maxRps;
  const want = opts.licenseApi ?? "auto";
  if (opts.sandbox) {
    const dir = join(cwd, STATE_DIR);
    const statePath = join(dir, "sandbox-state.json");
    const lock = await acquireLock(`${statePath}.lock`, "another pcplan --sandbox");
    try {
      const fixture = await loadFixture(DEMO_FIXTURE_PATH);
      const sandbox = await startSandbox({ fixture, port: 0, statePath, ...(opts.clock ? { clock: opts.clock } : {}) });
      const api = validatedApi(createPartnerCenterClient({ endpoint: sandbox.url, token: () => Promise.resolve(SANDBOX_TOKENS.admin), ...(maxRps ? { maxRps } : {}) }));
      const trusted = fetchTrusting(await readFile(sandbox.graph.caPath, "utf8"));
      const creds: AppCredentials = {
        kind: "client-credentials",
        tenantId: fixture.partner.id,
        clientId: SANDBOX_APPS.admin.clientId,
        clientSecret: SANDBOX_APPS.admin.clientSecret,
        authorityHost: sandbox.graph.endpoint,
        scope: "",
      };
      const graph = want === "partner-center" ? undefined : connectGraph({ endpoint: sandbox.graph.endpoint, creds, fetch: trusted, http: (tokens) => createGraphHttp({ tokens, fetch: trusted }) });
      const chosen = await chooseLicenses(io, want, api, graph);
      return {
        api,
        ...chosen,
        endpoint: "sandbox (demo world)",
        close: async () => {
          await sandbox.close();
          await lock.release();
        },
      };
    } catch (err) {
      await lock.release();
      throw err;
    }
  }
  // Every answer the engine decides on is checked against its schema first (src/partner-center/response-schemas.ts).
  const api = validatedApi(createPartnerCenterClient({ endpoint: opts.endpoint, token: tokenProviderFromEnv(process.env), ...(maxRps ? { maxRps } : {}) }));
  const creds = want === "partner-center" ? undefined : graphCredentialsFromEnv(process.env);
  if (want === "graph" && !creds) {
    throw new PcplanError(
      "GRAPH_CREDENTIALS",
      "--license-api graph needs app credentials: AZURE_TENANT_ID (the partner's tenant), AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_FEDERATED_TOKEN_FILE), " +
        "optionally PARTNER_CENTER_REFRESH_TOKEN; a bare PARTNER_CENTER_TOKEN is not enough. See docs/graph.md.",
    );
  }
  const endpoint = opts.graphEndpoint ?? DEFAULT_GRAPH_ENDPOINT;
  const graph = creds ? connectGraph({ endpoint, creds, http: (tokens) => createGraphHttp({ tokens }) }) : undefined;
  const chosen = await chooseLicenses(io, want, api, graph);
  return { api, ...chosen, endpoint: withoutCredentials(opts.endpoint), close: () => Promise.resolve() };
}

type LicenseChoice = Pick<Connection, "licenses" | "licenseApi" | "access" | "graphStats">;

/**
 * Graph when asked, or (auto) when its credentials get a token on the partner's tenant;
 * otherwise Partner Center. Asked for Graph and unreachable is an error; auto falls back and
 * says why on stderr.
 */
async function chooseLicenses(io: Io, want: LicenseApiChoice, api: PartnerCenterClient, graph: GraphConnection | undefined): Promise<LicenseChoice> {
  const partnerCenter: LicenseChoice = { licenses: (limit) => partnerCenterLicenses(api, limit), licenseApi: "partner-center", access: cannotTell };
  if (!graph || want === "partner-center") return partnerCenter;
  try {
    await graph.probe();
  } catch (err) {
    if (want === "graph") throw err;
    io.err(`Licences through Partner Center: Microsoft Graph is not reachable with these credentials (${redact(err instanceof Error ? err.message : String(err))}).\n`);
    return partnerCenter;
  }
  return { licenses: graph.licenses, licenseApi: "graph", access: graph.access, graphStats: () => graph.client.stats() };
}

/** An endpoint as it may be shown and saved: any `user:password@` removed. */
export function withoutCredentials(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    u.username = "";
    u.password = "";
    return u.href.replace(/\/+$/, "");
  } catch {
    return endpoint.replace(/\/\/[^/@]*@/, "//");
  }
}

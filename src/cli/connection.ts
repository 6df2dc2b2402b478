import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { askedOnce, cannotTell, type AccessCheck } from "../access/access-check.js";
import { appConsentCheck } from "../access/app-consent.js";
import { graphAccessCheck } from "../access/graph-access-check.js";
import { fileJournal, journalScope, type PurchaseJournal } from "../journal/purchase-journal.js";
import { fileScheduleJournal, type ScheduleJournal } from "../journal/schedule-journal.js";
import { PcplanError } from "../errors.js";
import { graphCredentialsFromEnv, msalHttpsNetwork, type AppCredentials } from "../graph/auth.js";
import { connectGraph, type GraphConnection } from "../graph/connect.js";
import type { GraphHttpStats } from "../graph/http.js";
import { createGraphHttp } from "../graph/transport-http.js";
import type { LicenseApi, LicenseBackendFactory } from "../licenses/backend.js";
import { graphLicenses } from "../licenses/graph-backend.js";
import { partnerCenterLicenses } from "../licenses/partner-center-backend.js";
import { createPartnerCenterClient, createRequestBudget, type PartnerCenterClient } from "../partner-center/client.js";
import type { ClientEvent } from "../partner-center/events.js";
import { priceSheetTokenFromEnv, tokenProviderFromEnv } from "../partner-center/auth.js";
import { createPriceSheetClient, priceSheetEndpoint } from "../partner-center/price-sheet-client.js";
import { redact } from "../partner-center/redact.js";
import { validatedApi } from "../partner-center/validated-api.js";
import type { RunDeadline } from "../http/deadline.js";
import { acquireLock } from "../util/lock-file.js";
import { skippedWaitMs } from "../util/wait-clock.js";
import { waitTracker } from "./wait-tracker.js";
import type { Io } from "./io.js";
import type { PriceSheetSource } from "./price-sheets.js";

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
  /** The run's time limit (`--timeout`), for every request of either service. */
  deadline?: RunDeadline;
}

export interface Connection {
  api: PartnerCenterClient;
  /** Where licence state is read and changed, and which of the two it is. */
  licenses: LicenseBackendFactory;
  licenseApi: LicenseApi;
  /** What the credential may do with each customer's licences (the app's consent, the user's GDAP roles, or not known). */
  access: AccessCheck;
  /** Graph traffic, when licences go through Graph. */
  graphStats?: () => GraphHttpStats;
  /** What the plans were read from, as saved plans record it (no credentials in it). */
  endpoint: string;
  /** The endpoint and partner the purchase journal's lines belong to (src/journal/purchase-journal.ts). */
  journalScope: string;
  /** Where prices come from without `--prices FILE` (src/cli/price-sheets.ts); absent: nowhere, and nothing is said. */
  prices?: PriceSheetSource;
  /** What the run waits on longest now (a request without an answer, a retry's wait), for the progress line; undefined when nothing waits. */
  waitingOn(): string | undefined;
  close(): Promise<void>;
}

/** Where `--sandbox` keeps its world and pcplan its audit log, journal of purchases and locks. */
export const STATE_DIR = ".pcplan";

const DEFAULT_GRAPH_ENDPOINT = "https://graph.microsoft.com";

/** pcplan's journal of the carts and orders it placed at this connection's endpoint, for its partner (docs/new-commerce.md), read by plan and apply. */
export function purchaseJournal(io: Pick<Io, "err">, conn: Pick<Connection, "journalScope">, cwd = process.cwd()): PurchaseJournal {
  return fileJournal(purchaseJournalPath(cwd), Date.now, (message) => io.err(`warning: ${message}\n`), conn.journalScope);
}

export function purchaseJournalPath(cwd = process.cwd()): string {
  return join(cwd, STATE_DIR, "purchases.jsonl");
}

/** pcplan's record of the changes it scheduled for renewals (docs/costs.md), read by plan and apply. */
export function scheduleJournal(cwd = process.cwd()): ScheduleJournal {
  return fileScheduleJournal(join(cwd, STATE_DIR, "schedules.jsonl"));
}

/**
 * `--sandbox` starts the demo Partner Center in-process on an ephemeral port, its state kept in
 * `.pcplan/` so `plan --sandbox` then `apply --sandbox` see the same world. Only one process at
 * a time may serve that state (two would each write their own copy and lose the other's writes),
 * so it is locked while the sandbox runs. Otherwise the given endpoint, with credentials from
 * the environment. Licences go through Graph (the sandbox serves it too) unless
 * `--license-api partner-center`, or `auto` finds no app credentials that reach Graph. Partner
 * Center and Graph requests share one request budget (scopes per host and tenant).
 */
export async function connect(io: Io, opts: ConnectionOptions, cwd = process.cwd()): Promise<Connection> {
  const want = opts.licenseApi ?? "auto";
  const waits = waitTracker();
  const announce = announceWaits(io);
  const onEvent = (e: ClientEvent) => {
    waits.onEvent(e);
    announce(e);
  };
  const retry = { ...testRetryTiming(process.env), ...(opts.deadline ? { deadline: opts.deadline } : {}) };
  const budget = createRequestBudget({ ...(opts.maxRps ? { maxRps: opts.maxRps } : {}), onEvent });
  if (opts.sandbox) return { ...(await connectSandbox(io, opts, { want, budget, onEvent, retry }, cwd)), waitingOn: waits.waitingOn };
  // The client refuses an endpoint with user:password@ before any request (src/partner-center/client.ts).
  // Every answer the engine decides on is checked against its schema first (src/partner-center/response-schemas.ts).
  const api = validatedApi(createPartnerCenterClient({ endpoint: opts.endpoint, token: tokenProviderFromEnv(process.env), onEvent, budget, ...retry }));
  const creds = want === "partner-center" ? undefined : graphCredentialsFromEnv(process.env);
  if (want === "graph" && !creds) {
    throw new PcplanError(
      "GRAPH_CREDENTIALS",
      "--license-api graph needs app credentials: AZURE_TENANT_ID (the partner's tenant), AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_FEDERATED_TOKEN_FILE), " +
        "optionally PARTNER_CENTER_REFRESH_TOKEN; a bare PARTNER_CENTER_TOKEN is not enough. See docs/graph.md.",
    );
  }
  const graphEndpoint = opts.graphEndpoint ?? DEFAULT_GRAPH_ENDPOINT;
  const graph = creds
    ? connectGraph({ endpoint: graphEndpoint, creds, http: (tokens) => createGraphHttp({ endpoint: graphEndpoint, tokens, budget, onEvent, ...retry }) })
    : undefined;
  const chosen = await chooseLicenses(io, want, api, graph);
  const endpoint = opts.endpoint.replace(/\/+$/, "");
  const priceToken = priceSheetTokenFromEnv(process.env);
  const prices: PriceSheetSource =
    typeof priceToken === "string"
      ? { unavailable: priceToken }
      : { client: createPriceSheetClient({ endpoint: priceSheetEndpoint(endpoint), token: priceToken, onEvent, budget, ...retry }) };
  return {
    api,
    ...chosen,
    endpoint,
    journalScope: journalScope(endpoint, partnerOf(process.env)),
    prices,
    waitingOn: waits.waitingOn,
    close: () => Promise.resolve(),
  };
}

/**
 * The demo world, in-process. The sandbox (a test double and demo) is loaded here only, by dynamic
 * import: nothing of it is on the product's path. Its Graph side is reached over https trusting
 * its self-signed certificate alone.
 */
async function connectSandbox(
  io: Io,
  opts: ConnectionOptions,
  shared: { want: LicenseApiChoice; budget: ReturnType<typeof createRequestBudget>; onEvent: (e: ClientEvent) => void; retry: RetryTiming },
  cwd: string,
): Promise<Omit<Connection, "waitingOn">> {
  const { want, budget, onEvent, retry } = shared;
  const dir = join(cwd, STATE_DIR);
  const statePath = join(dir, "sandbox-state.json");
  const lock = await acquireLock(`${statePath}.lock`, "another pcplan --sandbox");
  let stop = (): Promise<void> => lock.release();
  try {
    const { DEMO_FIXTURE_PATH, SANDBOX_APPS, SANDBOX_TOKENS, loadFixture, startSandbox } = await import("../sandbox/index.js");
    const fixture = await loadFixture(DEMO_FIXTURE_PATH, { shipped: true });
    const sandbox = await startSandbox({ fixture, port: 0, statePath, clockSkew: skippedWaitMs, ...(opts.clock ? { clock: opts.clock } : {}) });
    stop = async () => {
      await sandbox.close();
      await lock.release();
    };
    const api = validatedApi(
      createPartnerCenterClient({ endpoint: sandbox.url, token: () => Promise.resolve(SANDBOX_TOKENS.admin), onEvent, budget, ...retry }),
    );
    const ca = await readFile(sandbox.graph.caPath, "utf8");
    const creds: AppCredentials = {
      kind: "client-credentials",
      tenantId: fixture.partner.id,
      clientId: SANDBOX_APPS.admin.clientId,
      clientSecret: SANDBOX_APPS.admin.clientSecret,
      authorityHost: sandbox.graph.endpoint,
      scope: "",
    };
    const graph =
      want === "partner-center"
        ? undefined
        : connectGraph({
            endpoint: sandbox.graph.endpoint,
            creds,
            network: msalHttpsNetwork(ca),
            http: (tokens) => createGraphHttp({ endpoint: sandbox.graph.endpoint, tokens, budget, ca, onEvent, ...retry }),
          });
    const chosen = await chooseLicenses(io, want, api, graph);
    const token = () => Promise.resolve(SANDBOX_TOKENS.admin);
    // Cached under the same name whatever port it listens on, as its journal lines are.
    const client = createPriceSheetClient({ endpoint: priceSheetEndpoint(sandbox.url), token, onEvent, budget, ...retry });
    const prices = { client: { ...client, endpoint: "sandbox (demo world)" } };
    // The in-process sandbox keeps its world in .pcplan/ between runs: its journal lines stay its own, whatever port it listens on.
    return { api, ...chosen, endpoint: "sandbox (demo world)", journalScope: journalScope("sandbox (demo world)", fixture.partner.id), prices, close: stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

interface RetryTiming {
  baseDelayMs?: number;
  maxDelayMs?: number;
  deadline?: RunDeadline;
}

/**
 * For tests only (docs/testing.md; never in --help): `PCPLAN_TEST_BACKOFF_MS=N` makes the retries'
 * backoff start at N ms (capped at 10 × N) instead of 200 ms (capped at 20 s), so a test of
 * failing calls does not wait out real backoff. A Retry-After the service sends is still honoured.
 */
function testRetryTiming(env: NodeJS.ProcessEnv): RetryTiming {
  const ms = Number(env.PCPLAN_TEST_BACKOFF_MS);
  return env.PCPLAN_TEST_BACKOFF_MS && ms >= 0 ? { baseDelayMs: ms, maxDelayMs: 10 * ms } : {};
}

type LicenseChoice = Pick<Connection, "licenses" | "licenseApi" | "access" | "graphStats">;

/**
 * Graph when asked, or (auto) when its credentials get a token on the partner's tenant;
 * otherwise Partner Center. Asked for Graph and unreachable is an error; auto falls back and
 * says why on stderr.
 */
async function chooseLicenses(io: Io, want: LicenseApiChoice, api: PartnerCenterClient, graph: GraphConnection | undefined): Promise<LicenseChoice> {
  const partnerCenter: LicenseChoice = {
    licenses: (limit) => partnerCenterLicenses(api, limit),
    licenseApi: "partner-center",
    access: cannotTell("the Partner Center licence API cannot show it"),
  };
  if (!graph || want === "partner-center") return partnerCenter;
  try {
    await graph.probe();
  } catch (err) {
    if (want === "graph") throw err;
    io.err(
      `Licences through Partner Center: Microsoft Graph is not reachable with these credentials (${redact(err instanceof Error ? err.message : String(err))}).\n`,
    );
    return partnerCenter;
  }
  const client = graph.client;
  // GDAP grants roles to the partner's users; an app-only credential acts with its consent in each tenant.
  const access = graph.principal === "user" ? graphAccessCheck(client) : appConsentCheck(graph.tokens);
  return { licenses: (limit) => graphLicenses(client, limit), licenseApi: "graph", access: askedOnce(access), graphStats: () => client.stats() };
}

/**
 * The partner a run works for, as far as the environment tells: the app's tenant (AZURE_TENANT_ID),
 * else the `tid` claim of a bare Partner Center token that is a JWT; undefined otherwise.
 */
function partnerOf(env: NodeJS.ProcessEnv): string | undefined {
  if (env.AZURE_TENANT_ID) return env.AZURE_TENANT_ID;
  const payload = env.PARTNER_CENTER_TOKEN?.replace(/^Bearer\s+/i, "").split(".")[1];
  if (!payload) return undefined;
  try {
    const tid = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { tid?: unknown }).tid;
    return typeof tid === "string" ? tid : undefined;
  } catch {
    return undefined;
  }
}

/** A long wait is never silent: "waiting 60 s: Partner Center asked to retry GET /v1/… after 60 s". */
function announceWaits(io: Io): (e: ClientEvent) => void {
  return (e) => {
    if (e.type === "waiting") io.err(`waiting ${Math.round(e.delayMs / 1000)} s: ${e.reason}\n`);
  };
}

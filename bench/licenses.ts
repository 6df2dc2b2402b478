/**
 * Licences through Partner Center or through Microsoft Graph: the same generated world and
 * plans, one sandbox child (Partner Center over HTTP, Graph and tokens over HTTPS), `plan` run
 * in-process once with each licence backend. Both must plan the same; the figures compare calls
 * (Graph's counted as Graph counts them: each `$batch` member; token requests counted apart)
 * against what the data needs, wall time and each run's own lower bound. The client is told none
 * of the limits.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computePlan, type ComputedPlan } from "../src/engine/compute-plan.js";
import { USERS_PAGE } from "../src/graph/client.js";
import type { INetworkModule } from "@azure/msal-node";
import { msalHttpsNetwork } from "../src/graph/auth.js";
import { connectGraph } from "../src/graph/connect.js";
import type { GraphHttp } from "../src/graph/http.js";
import { createGraphHttp } from "../src/graph/transport-http.js";
import { sendNode } from "../src/http/node-send.js";
import type { Sender } from "../src/http/wire.js";
import type { RequestBudget } from "../src/http/budget/request-budget.js";
import { createRequestBudget } from "../src/http/options.js";
import type { LicenseBackendFactory } from "../src/licenses/backend.js";
import { graphLicenses } from "../src/licenses/graph-backend.js";
import { partnerCenterLicenses } from "../src/licenses/partner-center-backend.js";
import { createPartnerCenterClient } from "../src/partner-center/client.js";
import type { MigrationPlan } from "../src/plan-file/types.js";
import { SANDBOX_APPS, SANDBOX_CERT_PATH, SANDBOX_TOKENS, type SandboxFixture } from "../src/sandbox/index.js";
import { worldSkus } from "../test/helpers/world-plans.js";
import { callCounter, type CallCount } from "./calls.js";
import { graphAppBound, simulateGraph, type GraphSimRun } from "./graph-sim.js";
import { graphTimeline, type GraphTimeline } from "./graph-timeline.js";
import { ENGINE_CONCURRENCY, NOW, PAGE_SIZE, preparedWorld, startSandboxChild, type EngineBenchOptions, type Minimum, type Sandbox } from "./engine.js";

export interface LicenseBenchOptions extends Omit<EngineBenchOptions, "rateLimitCustomer"> {
  /** Graph requests per second across all tenants (Graph's per-app limit; each `$batch` member counts). */
  graphRateLimit?: number;
  /** Graph requests per second per tenant. */
  graphRateLimitTenant?: number;
}

export interface BackendRun {
  /** Partner Center's calls (429 retries included) and what of them the data needs. */
  partnerCenter: CallCount;
  /** Graph's calls as Graph counts them (members), first attempts per tenant, and their retries. */
  graph: { perTenant: Map<string, number>; total: number; retries: number; memberRetries: number; throttled: number };
  tokenRequests: number;
  /** Where the Graph run's time went (undefined for the Partner Center run). */
  timeline?: GraphTimeline;
  wallMs: number;
  throttled: number;
  computed: ComputedPlan;
}

export interface LicenseNeeds {
  /** Partner Center's licence calls the world needs: subscribed SKUs, users pages and licence reads up to the last holder. */
  partnerCenter: number;
  /** Graph's, per tenant: the subscribed SKUs, and the holders' pages where the source is consumed. */
  graph: Map<string, number>;
}

/** What each backend must read of this world to learn the licence state. */
export function licenceNeeds(world: SandboxFixture, planned: ReadonlySet<string>): LicenseNeeds {
  const { source } = worldSkus(world);
  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  let partnerCenter = 0;
  const graph = new Map<string, number>();
  for (const c of world.customers) {
    if (!planned.has(c.id.toLowerCase())) continue;
    const holders = c.users.filter((u) => u.licenses.some((l) => l.toLowerCase() === source)).length;
    const last = c.users.findLastIndex((u) => u.licenses.some((l) => l.toLowerCase() === source));
    partnerCenter += 1 + (last >= 0 ? pages(c.users.length, PAGE_SIZE) + last + 1 : 0);
    graph.set(c.id.toLowerCase(), 1 + (holders > 0 ? pages(holders, USERS_PAGE) : 0));
  }
  return { partnerCenter, graph };
}

/** `GraphHttp` counting what it sends per tenant, as Graph counts it (a `$batch`: its members). */
function countingGraph(http: GraphHttp, perTenant: Map<string, number>): GraphHttp {
  return {
    send: (req) => {
      perTenant.set(req.tenant, (perTenant.get(req.tenant) ?? 0) + (req.weight ?? 1));
      return http.send(req);
    },
    memberThrottled: (...args) => http.memberThrottled(...args),
    stats: () => http.stats(),
  };
}

/** The tenant a sandbox token is for (its `tid` claim): which tenant a Graph request on the wire draws from. */
function tenantOf(authorization: string | undefined): string {
  const auth = authorization ?? "";
  const payload = auth.split(".")[1] ?? "";
  try {
    const { tid } = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { tid?: unknown };
    return typeof tid === "string" ? tid : "";
  } catch {
    return "";
  }
}

type Timeline = ReturnType<typeof graphTimeline>;

/**
 * The sandbox-trusting network, telling the timeline each token request (MSAL's, over node:https
 * as the CLI's `--sandbox` sends them) and each Graph request on the wire (and its 429s).
 */
function timedNetwork(ca: string, timeline: Timeline): { tokens: INetworkModule; graph: Sender; ca: string; tokenRequests: () => number } {
  let tokenRequests = 0;
  const network = msalHttpsNetwork(ca);
  const timed =
    <A extends unknown[], R>(send: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      tokenRequests++;
      const done = timeline.token();
      try {
        return await send(...args);
      } finally {
        done();
      }
    };
  const tokens: INetworkModule = {
    sendGetRequestAsync: timed((url, options) => network.sendGetRequestAsync(url, options)),
    sendPostRequestAsync: timed((url, options) => network.sendPostRequestAsync(url, options)),
  };
  // Graph's requests as the CLI sends them (node:https, trusting the sandbox's certificate: `ca`).
  const graph: Sender = async (attempt, signal, alive) => {
    const tenant = tenantOf(attempt.headers.Authorization);
    timeline.sent(tenant);
    const res = await sendNode(attempt, signal, alive);
    timeline.answered();
    if (res.status === 429) timeline.throttled(tenant);
    return res;
  };
  return { tokens, graph, ca, tokenRequests: () => tokenRequests };
}

async function graphBackend(sandbox: Sandbox, partnerTenant: string, budget: RequestBudget, perTenant: Map<string, number>, timeline: Timeline) {
  const f = timedNetwork(await readFile(SANDBOX_CERT_PATH, "utf8"), timeline);
  const { clientId, clientSecret } = SANDBOX_APPS.admin;
  const graph = connectGraph({
    endpoint: sandbox.graph,
    creds: { kind: "client-credentials", tenantId: partnerTenant, clientId, clientSecret, authorityHost: sandbox.graph, scope: "" },
    network: f.tokens,
    http: (tokens) => countingGraph(createGraphHttp({ endpoint: sandbox.graph, tokens, budget, ca: f.ca, send: f.graph, onEvent: timeline.event }), perTenant),
  });
  const licenses: LicenseBackendFactory = (limit) => graphLicenses(graph.client, limit);
  return { licenses, stats: () => graph.client.stats(), tokenRequests: f.tokenRequests, probe: () => graph.probe() };
}

async function run(
  sandbox: Sandbox,
  plans: readonly MigrationPlan[],
  api: "partner-center" | "graph",
  partnerTenant: string,
  tenantBurst: number,
): Promise<BackendRun> {
  const graphHost = new URL(sandbox.graph).host;
  const timeline = graphTimeline(tenantBurst);
  const budget = createRequestBudget({ onEvent: (e) => e.type === "rate" && e.kind === "partner" && e.scope.includes(graphHost) && timeline.cut(e.rps) });
  const counter = callCounter();
  const client = createPartnerCenterClient({
    endpoint: sandbox.url,
    token: () => Promise.resolve(SANDBOX_TOKENS.admin),
    correlationId: `bench-${api}`,
    budget,
    onEvent: counter.onEvent,
  });
  const perTenant = new Map<string, number>();
  const graph = api === "graph" ? await graphBackend(sandbox, partnerTenant, budget, perTenant, timeline) : undefined;
  const licenses: LicenseBackendFactory = graph?.licenses ?? ((limit) => partnerCenterLicenses(client, limit));
  // As `pcplan plan` does before it reads anything (src/cli/connection.ts, chooseLicenses): a
  // token on the partner's own tenant shows the credentials work, and loads MSAL.
  await graph?.probe();
  const tokensBefore = graph?.tokenRequests() ?? 0;
  const start = performance.now();
  timeline.begin();
  const computed = await computePlan(client, plans, { now: NOW, warnDays: 30, concurrency: ENGINE_CONCURRENCY, country: "US", licenses });
  const wallMs = performance.now() - start;
  const g = graph?.stats() ?? { requests: 0, retries: 0, throttled: 0, memberRetries: 0 };
  const total = [...perTenant.values()].reduce((a, b) => a + b, 0);
  return {
    partnerCenter: counter.count(),
    graph: { perTenant, total, retries: g.retries, memberRetries: g.memberRetries, throttled: g.throttled },
    tokenRequests: (graph?.tokenRequests() ?? 0) - tokensBefore,
    ...(graph ? { timeline: timeline.result() } : {}),
    wallMs,
    throttled: client.stats().throttled + g.throttled,
    computed,
  };
}

export interface LicenseBench {
  planned: number;
  minimum: Minimum;
  needs: LicenseNeeds;
  partnerCenter: BackendRun;
  graph: BackendRun;
  /** Graph's licence reads of this world on the simulated clock (bench/graph-sim.ts): the budget's share, without this machine's CPU. */
  graphSim?: GraphSimRun;
  /** Both backends planned exactly the same actions for every customer. */
  samePlan: boolean;
  actions: number;
}

export async function benchLicenseApis(o: LicenseBenchOptions): Promise<LicenseBench> {
  const dir = await mkdtemp(join(tmpdir(), "pcplan-bench-licences-"));
  const extra = [
    ...(o.graphRateLimit ? ["--graph-rate-limit", String(o.graphRateLimit)] : []),
    ...(o.graphRateLimitTenant ? ["--graph-rate-limit-tenant", String(o.graphRateLimitTenant)] : []),
  ];
  const sandbox = await startSandboxChild(o, extra);
  try {
    const { world, plans, minimum } = await preparedWorld(o, dir);
    const needs = licenceNeeds(world, new Set(minimum.perCustomer.keys()));
    const burst = o.graphRateLimitTenant ?? 0;
    const partnerCenter = await run(sandbox, plans, "partner-center", world.partner.id, burst);
    const graph = await run(sandbox, plans, "graph", world.partner.id, burst);
    const actionsOf = (c: ComputedPlan) => JSON.stringify(c.customers.map((p) => [p.customerId, p.actions]));
    const actions = graph.computed.customers.reduce((n, c) => n + c.actions.length, 0);
    const graphSim = o.graphRateLimit
      ? await simulateGraph({ tenants: [...needs.graph.values()], appRps: o.graphRateLimit, tenantRps: o.graphRateLimitTenant ?? 0, latencyMs: o.latencyMs })
      : undefined;
    return {
      planned: minimum.perCustomer.size,
      minimum,
      needs,
      partnerCenter,
      graph,
      ...(graphSim ? { graphSim } : {}),
      samePlan: actionsOf(partnerCenter.computed) === actionsOf(graph.computed),
      actions,
    };
  } finally {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Calls beyond the first second's burst at a rate: the time a limit imposes (ms). */
const byRate = (calls: number, rate: number) => (Math.max(0, calls - rate) / rate) * 1000;

/**
 * Each run's lower bound. Partner Center's: (its calls the data needs − burst) / rate. Graph's:
 * the largest of Partner Center's share (the calls besides licences), Graph's per-app limit over
 * the requests the data needs (`graphAppBound`), the busiest tenant under the per-tenant limit,
 * and the critical path (offers → token → counts → holders: a few round trips).
 */
export function licenceBounds(r: LicenseBench, o: LicenseBenchOptions): { partnerCenter: number; graph: { ms: number; kind: string } } {
  const commerce = r.minimum.total - r.needs.partnerCenter;
  const graphNeeds = [...r.needs.graph.values()];
  const graphCalls = graphNeeds.reduce((a, b) => a + b, 0);
  const candidates: [string, number][] = [
    ["Partner Center's share: (calls − burst) / rate", byRate(commerce, o.rateLimit)],
    [
      "Graph's per-app limit: a token's round trip + (calls − burst) / rate + the last request's round trip",
      o.graphRateLimit ? graphAppBound(graphCalls, o.graphRateLimit, o.latencyMs) : 0,
    ],
    ["busiest tenant at Graph's per-tenant limit", o.graphRateLimitTenant ? byRate(Math.max(...graphNeeds), o.graphRateLimitTenant) : 0],
    ["critical path", 5 * o.latencyMs],
  ];
  const [kind, ms] = candidates.reduce((a, b) => (b[1] > a[1] ? b : a));
  return { partnerCenter: byRate(r.minimum.total, o.rateLimit), graph: { ms, kind } };
}

/**
 * Licences through Partner Center or through Microsoft Graph: the same generated world and
 * plans, one sandbox child (Partner Center over HTTP, Graph and tokens over HTTPS), `plan` run
 * in-process once with each licence backend. Both must plan the same; the table compares calls
 * (Graph's run also makes token requests, one per customer tenant, counted apart), wall time
 * and each run's own lower bound. The client is told none of the limits.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computePlan, type ComputedPlan } from "../src/engine/compute-plan.js";
import { connectGraph } from "../src/graph/connect.js";
import { USERS_PAGE } from "../src/graph/client.js";
import { createGraphHttp } from "../src/graph/transport-http.js";
import { fetchTrusting } from "../src/graph/trust.js";
import type { LicenseBackendFactory } from "../src/licenses/backend.js";
import { graphLicenses } from "../src/licenses/graph-backend.js";
import { partnerCenterLicenses } from "../src/licenses/partner-center-backend.js";
import { createPartnerCenterClient, createRequestBudget } from "../src/partner-center/client.js";
import { loadPlans } from "../src/plan-file/index.js";
import type { MigrationPlan } from "../src/plan-file/types.js";
import { SANDBOX_APPS, SANDBOX_CERT_PATH, SANDBOX_TOKENS, generateWorld, type SandboxFixture } from "../src/sandbox/index.js";
import { worldSkus, writeWorldPlans } from "../test/helpers/world-plans.js";
import { ENGINE_CONCURRENCY, NOW, PAGE_SIZE, SEED, startSandboxChild, type EngineBenchOptions, type Sandbox } from "./engine.js";

export interface LicenseBenchOptions extends Omit<EngineBenchOptions, "naivePrefix" | "rateLimitCustomer"> {
  /** Graph requests per second across all tenants (Graph's per-app limit; each `$batch` member counts). */
  graphRateLimit?: number;
  /** Graph requests per second per tenant. */
  graphRateLimitTenant?: number;
}

export interface BackendRun {
  api: "partner-center" | "graph";
  /** Requests to Partner Center's API and to Graph's (429 retries included), and token requests. */
  partnerCenterCalls: number;
  graphCalls: number;
  tokenRequests: number;
  minimumCalls: number;
  wallMs: number;
  boundMs: number;
  boundKind: string;
  throttled: number;
}

export interface LicenseBench {
  planned: number;
  partnerCenter: BackendRun;
  graph: BackendRun;
  /** Both backends planned exactly the same actions for every customer. */
  samePlan: boolean;
  actions: number;
}

/** What each backend must read of this world: the licence calls, and Graph's limit units per tenant. */
function licenceCalls(world: SandboxFixture, planned: ReadonlySet<string>): { partnerCenter: number; graph: number; graphUnits: number[] } {
  const { source } = worldSkus(world);
  const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
  let partnerCenter = 0;
  let graph = 0;
  const graphUnits: number[] = [];
  for (const c of world.customers) {
    if (!planned.has(c.id.toLowerCase())) continue;
    const holders = c.users.filter((u) => u.licenses.some((l) => l.toLowerCase() === source)).length;
    const last = c.users.findLastIndex((u) => u.licenses.some((l) => l.toLowerCase() === source));
    // Partner Center: subscribed SKUs; where a source unit is consumed, the users pages and one licences read per user up to the last holder.
    partnerCenter += 1 + (last >= 0 ? pages(c.users.length, PAGE_SIZE) + last + 1 : 0);
    // Graph: one $batch (subscribedSkus + the first page of holders), then each further page of 999.
    const further = pages(holders, USERS_PAGE) - 1;
    graph += 1 + further;
    graphUnits.push(2 + further);
  }
  return { partnerCenter, graph, graphUnits };
}

/** Calls beyond the first second's burst at a rate: the time a limit imposes (ms). */
const byRate = (calls: number, rate: number) => (Math.max(0, calls - rate) / rate) * 1000;

async function run(sandbox: Sandbox, plans: readonly MigrationPlan[], api: "partner-center" | "graph", partnerTenant: string) {
  const budget = createRequestBudget({});
  const client = createPartnerCenterClient({
    endpoint: sandbox.url,
    token: () => Promise.resolve(SANDBOX_TOKENS.admin),
    correlationId: `bench-${api}`,
    budget,
  });
  let tokenRequests = 0;
  let licenses: LicenseBackendFactory = (limit) => partnerCenterLicenses(client, limit);
  let graphStats = () => ({ requests: 0, retries: 0, throttled: 0, memberRetries: 0 });
  if (api === "graph") {
    const trusted = fetchTrusting(await readFile(SANDBOX_CERT_PATH, "utf8"));
    const counting: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes("/oauth2/v2.0/token") || url.includes("/.well-known/openid-configuration")) tokenRequests++;
      return trusted(input, init);
    };
    const graph = connectGraph({
      endpoint: sandbox.graph,
      creds: {
        kind: "client-credentials",
        tenantId: partnerTenant,
        clientId: SANDBOX_APPS.admin.clientId,
        clientSecret: SANDBOX_APPS.admin.clientSecret,
        authorityHost: sandbox.graph,
        scope: "",
      },
      fetch: counting,
      http: (tokens) => createGraphHttp({ endpoint: sandbox.graph, tokens, budget, fetch: trusted }),
    });
    licenses = (limit) => graphLicenses(graph.client, limit);
    graphStats = () => graph.client.stats();
  }
  const start = performance.now();
  const computed = await computePlan(client, plans, { now: NOW, warnDays: 30, concurrency: ENGINE_CONCURRENCY, country: "US", licenses });
  const wallMs = performance.now() - start;
  const pc = client.stats();
  const g = graphStats();
  return { computed, wallMs, pc, g, tokenRequests };
}

const actionsOf = (c: ComputedPlan) => JSON.stringify(c.customers.map((p) => [p.customerId, p.actions]));

export async function benchLicenseApis(o: LicenseBenchOptions): Promise<LicenseBench> {
  const world = generateWorld({ customers: o.customers, users: o.users, seed: SEED });
  const dir = await mkdtemp(join(tmpdir(), "pcplan-bench-licences-"));
  const extra = [
    ...(o.graphRateLimit ? ["--graph-rate-limit", String(o.graphRateLimit)] : []),
    ...(o.graphRateLimitTenant ? ["--graph-rate-limit-tenant", String(o.graphRateLimitTenant)] : []),
  ];
  const sandbox = await startSandboxChild({ ...o, naivePrefix: 0 }, extra);
  try {
    const written = await writeWorldPlans(world, dir);
    const loaded = await loadPlans([dir], { cwd: dir });
    if (loaded.diagnostics.some((d) => d.severity === "error")) throw new Error("generated plans did not validate");
    const need = licenceCalls(world, new Set(written.customerIds));
    const viaPartnerCenter = await run(sandbox, loaded.plans, "partner-center", world.partner.id);
    const viaGraph = await run(sandbox, loaded.plans, "graph", world.partner.id);

    // What both runs read from Partner Center besides licences (offers, subscriptions, orders,
    // catalog), as the Graph run made it: each logical call once (its 429 retries left out).
    const commerce = viaGraph.pc.requests - viaGraph.pc.retries;
    const pcMinimum = commerce + need.partnerCenter;
    const graphMinimum = commerce + need.graph;
    const graphBounds: [string, number][] = [
      ["Partner Center's share: (calls − burst) / rate", byRate(commerce, o.rateLimit)],
      ...(o.graphRateLimit
        ? [
            [
              "Graph's per-app limit: ($batch members − burst) / rate",
              byRate(
                need.graphUnits.reduce((a, b) => a + b, 0),
                o.graphRateLimit,
              ),
            ] as [string, number],
          ]
        : []),
      ...(o.graphRateLimitTenant
        ? [["busiest tenant at Graph's per-tenant limit", byRate(Math.max(...need.graphUnits), o.graphRateLimitTenant)] as [string, number]]
        : []),
      // offers → token → $batch (→ further pages): a few round trips.
      ["critical path", 4 * o.latencyMs],
    ];
    const [graphKind, graphBound] = graphBounds.reduce((a, b) => (b[1] > a[1] ? b : a));
    return {
      planned: written.customerIds.length,
      samePlan: actionsOf(viaPartnerCenter.computed) === actionsOf(viaGraph.computed),
      actions: viaGraph.computed.customers.reduce((n, c) => n + c.actions.length, 0),
      partnerCenter: {
        api: "partner-center",
        partnerCenterCalls: viaPartnerCenter.pc.requests,
        graphCalls: 0,
        tokenRequests: 0,
        minimumCalls: pcMinimum,
        wallMs: viaPartnerCenter.wallMs,
        boundMs: byRate(pcMinimum, o.rateLimit),
        boundKind: "(calls − burst) / rate",
        throttled: viaPartnerCenter.pc.throttled,
      },
      graph: {
        api: "graph",
        partnerCenterCalls: viaGraph.pc.requests,
        graphCalls: viaGraph.g.requests,
        tokenRequests: viaGraph.tokenRequests,
        minimumCalls: graphMinimum,
        wallMs: viaGraph.wallMs,
        boundMs: graphBound,
        boundKind: graphKind,
        throttled: viaGraph.pc.throttled + viaGraph.g.throttled,
      },
    };
  } finally {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function printLicenseBench(r: LicenseBench, o: LicenseBenchOptions): void {
  const pc = r.partnerCenter;
  const g = r.graph;
  // What both runs read from Partner Center besides licences is the Graph run's Partner Center share.
  const commerce = g.partnerCenterCalls;
  const pcLicences = pc.partnerCenterCalls - commerce;
  const graphLimits =
    [o.graphRateLimit ? `${o.graphRateLimit} req/s per app` : "", o.graphRateLimitTenant ? `${o.graphRateLimitTenant} req/s per tenant` : ""]
      .filter(Boolean)
      .join(" + ") || "none";
  const rows: [string, string, string][] = [
    ["", "licences through Partner Center", "licences through Graph"],
    ["licence calls", `${pcLicences}`, `${g.graphCalls} (${((g.graphCalls / pcLicences) * 100).toFixed(1)}%; target ≤ 10%)`],
    [
      "all API calls (licences + commerce)",
      `${pc.partnerCenterCalls}`,
      `${commerce + g.graphCalls} (${(((commerce + g.graphCalls) / pc.partnerCenterCalls) * 100).toFixed(1)}%)`,
    ],
    ["calls the world needs", `${pc.minimumCalls}`, `${g.minimumCalls}`],
    ["token requests (one per customer tenant)", "—", `${g.tokenRequests}`],
    ["wall time", s(pc.wallMs), s(g.wallMs)],
    ["lower bound", `${s(pc.boundMs)} (${pc.boundKind})`, `${s(g.boundMs)} (${g.boundKind})`],
    ["ratio to its bound", `${(pc.wallMs / pc.boundMs).toFixed(3)}×`, `${(g.wallMs / g.boundMs).toFixed(3)}× (target ≤ 1.25×)`],
    ["429s received", `${pc.throttled}`, `${g.throttled}`],
  ];
  console.log(
    `  world: ${o.customers} customers, ${o.users} users; ${r.planned} customers planned; latency ${o.latencyMs} ms; Partner Center ${o.rateLimit} req/s; Graph ${graphLimits} (none told to the client)`,
  );
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  for (const [k, a, b] of rows) console.log(`  ${k.padEnd(w0)}  ${a.padEnd(w1)}  ${b}`);
  console.log(`  same plan through both: ${r.samePlan ? "yes" : "NO"} (${r.actions} actions)`);
}

/** The benchmarks' figures over several runs: each a median with its min and max. */
import type { EngineBenchOptions, EngineRun } from "./engine.js";
import { againstMinimum } from "./calls.js";
import { licenceBounds, type LicenseBench, type LicenseBenchOptions } from "./licenses.js";
import { fmt, over, table } from "./stats.js";

export function printEngineRuns(runs: readonly EngineRun[], o: EngineBenchOptions): void {
  const r0 = runs[0];
  if (!r0) return;
  const limits = `rate limit ${o.rateLimit} req/s${o.rateLimitCustomer ? ` + ${o.rateLimitCustomer} req/s per customer` : ""} (not told to the client)`;
  const m = r0.minimum;
  table([
    [
      "world",
      `${r0.customers} customers, ${r0.users} users; ${r0.planned} customers planned; latency ${o.latencyMs} ms, ${limits}; ${runs.length} run${runs.length === 1 ? "" : "s"}`,
    ],
    ["ratio to bound", `${over(runs, (r) => r.wallMs / r.boundMs, fmt.ratio)} (median (min–max); target ≤ ${o.rateLimitCustomer ? "1.2" : "1.15"}×)`],
    ["wall time", over(runs, (r) => r.wallMs, fmt.s)],
    [`lower bound (${r0.boundKind})`, fmt.s(r0.boundMs)],
    ["API calls made / minimum", `${over(runs, (r) => r.calls.attempts, fmt.int)} / ${m.total} (${m.partnerWide} partner-wide, the rest per customer)`],
    ["  beyond the minimum: retries after a 429", over(runs, (r) => r.calls.retriesAfter429, fmt.int)],
    ["  … after a 5xx or a dropped connection", over(runs, (r) => r.calls.retriesOther, fmt.int)],
    ["  … first calls beyond a customer's minimum", over(runs, (r) => r.perCustomer.extraFirst, fmt.int)],
    ["customers read with exactly their minimum", `${over(runs, (r) => r.perCustomer.atMinimum, fmt.int)} of ${r0.planned}`],
    ["429s / share of requests", `${over(runs, (r) => r.throttled, fmt.int)} / ${over(runs, (r) => r.throttled / r.calls.attempts, fmt.pct)} (target ≤ 1%)`],
    ["rate reached (busiest second)", over(runs, (r) => r.peakRps, fmt.int)],
    ["budget cuts: partner / customers' rate", `${over(runs, (r) => r.partnerCuts, fmt.int)} / ${over(runs, (r) => r.tenantCuts, fmt.int)}`],
    ["customers' learned rate", learnedRate(runs)],
    ["peak RSS", over(runs, (r) => r.peakRss, fmt.mb)],
    ["peak heap above baseline / retained after", `${over(runs, (r) => r.peakHeapAboveBaseline, fmt.mb)} / ${over(runs, (r) => r.retainedHeap, fmt.mb)}`],
    ["actions planned", String(r0.actions)],
  ]);
}

/** The customers' learned rate over the runs that learned one. */
function learnedRate(runs: readonly EngineRun[]): string {
  const learned = runs.flatMap((r) => (r.tenantRps === null ? [] : [r.tenantRps]));
  if (learned.length === 0) return "never limited";
  return `${over(learned, (n) => n, fmt.rps)}${learned.length < runs.length ? ` (${runs.length - learned.length} of ${runs.length} runs never limited)` : ""}`;
}

export function printLicenseRuns(runs: readonly LicenseBench[], o: LicenseBenchOptions): void {
  const r0 = runs[0];
  if (!r0) return;
  const graphLimits = [o.graphRateLimit ? `${o.graphRateLimit} req/s per app` : "", o.graphRateLimitTenant ? `${o.graphRateLimitTenant} req/s per tenant` : ""]
    .filter(Boolean)
    .join(" + ");
  const graphNeed = [...r0.needs.graph.values()].reduce((a, b) => a + b, 0);
  const pcNeed = r0.needs.partnerCenter;
  const bound = licenceBounds(r0, o);
  const graphFirst = (r: LicenseBench) => r.graph.graph.total - r.graph.graph.memberRetries;
  const atMinimum = (r: LicenseBench) => [...r0.needs.graph].filter(([id, n]) => (r.graph.graph.perTenant.get(id) ?? 0) === n).length;
  console.log(
    `  world: ${o.customers} customers, ${o.users} users; ${r0.planned} planned; latency ${o.latencyMs} ms; Partner Center ${o.rateLimit} req/s; Graph ${graphLimits || "unlimited"} (none told to the client); ${runs.length} runs`,
  );
  table([
    ["licences through Partner Center", ""],
    ["  licence calls made / the data needs", `${over(runs, (r) => r.partnerCenter.partnerCenter.attempts - (r.minimum.total - pcNeed), fmt.int)} / ${pcNeed}`],
    [
      "  … retries after a 429 / other / partner-wide first calls",
      `${over(runs, (r) => r.partnerCenter.partnerCenter.retriesAfter429, fmt.int)} / ${over(runs, (r) => r.partnerCenter.partnerCenter.retriesOther, fmt.int)} / ${over(runs, (r) => r.partnerCenter.partnerCenter.partnerWide, fmt.int)}`,
    ],
    [
      "  customers read with exactly their minimum",
      `${over(runs, (r) => againstMinimum(r.partnerCenter.partnerCenter, r.minimum.perCustomer).atMinimum, fmt.int)} of ${r0.planned}`,
    ],
    ["  wall time / bound", `${over(runs, (r) => r.partnerCenter.wallMs, fmt.s)} / ${fmt.s(bound.partnerCenter)}`],
    ["  ratio to bound", over(runs, (r) => r.partnerCenter.wallMs / bound.partnerCenter, fmt.ratio)],
    ["licences through Microsoft Graph", ""],
    [
      "  licence calls (members) made / the data needs",
      `${over(runs, (r) => r.graph.graph.total, fmt.int)} / ${graphNeed} (${over(runs, (r) => r.graph.graph.total / graphNeed, fmt.ratio)}; target ≤ 1.1×)`,
    ],
    [
      "  … first calls / retries of members / of requests",
      `${over(runs, graphFirst, fmt.int)} / ${over(runs, (r) => r.graph.graph.memberRetries, fmt.int)} / ${over(runs, (r) => r.graph.graph.retries, fmt.int)}`,
    ],
    ["  tenants read with exactly their minimum", `${over(runs, atMinimum, fmt.int)} of ${r0.needs.graph.size}`],
    ["  share of Partner Center's licence calls", over(runs, (r) => r.graph.graph.total / pcNeed, fmt.pct)],
    ["  token requests (one per customer tenant)", over(runs, (r) => r.graph.tokenRequests, fmt.int)],
    ["  wall time / bound", `${over(runs, (r) => r.graph.wallMs, fmt.s)} / ${fmt.s(bound.graph.ms)} (${bound.graph.kind})`],
    ["  ratio to bound", `${over(runs, (r) => r.graph.wallMs / bound.graph.ms, fmt.ratio)} (target ≤ 1.25×)`],
    ["  429s (Partner Center and Graph)", over(runs, (r) => r.graph.throttled, fmt.int)],
    ...graphSplit(runs),
    ...graphSimRows(runs),
    ["same plan through both", `${runs.every((r) => r.samePlan) ? "yes" : "NO"} (${r0.actions} actions)`],
  ]);
}

/** Where the Graph run's time went (bench/graph-timeline.ts), over the runs. */
function graphSplit(runs: readonly LicenseBench[]): [string, string][] {
  const t = runs.flatMap((r) => (r.graph.timeline ? [r.graph.timeline] : []));
  const median = [...runs].sort((a, b) => a.graph.wallMs - b.graph.wallMs)[runs.length >> 1]?.graph.timeline;
  if (t.length === 0 || !median) return [];
  return [
    ["  where the time goes:", ""],
    ["    first Graph request sent at", over(t, (x) => x.firstGraphMs, fmt.ms)],
    [
      "    token requests: first sent / last answered / answered before it",
      `${over(t, (x) => x.tokens.firstMs, fmt.ms)} / ${over(t, (x) => x.tokens.lastMs, fmt.ms)} / ${over(t, (x) => x.tokens.beforeFirstGraph, fmt.int)}`,
    ],
    ["    last Graph answer at", over(t, (x) => x.lastGraphMs, fmt.ms)],
    [
      "    429s: the per-app limit's / maybe a tenant's; the first at",
      `${over(t, (x) => x.throttled.perApp, fmt.int)} / ${over(t, (x) => x.throttled.perTenantPossible, fmt.int)}; ${over(t, (x) => x.throttled.firstMs, fmt.ms)}`,
    ],
    ["    in Retry-After waits (wall) / 100 ms slots sending nothing", `${over(t, (x) => x.retryWaitMs, fmt.ms)} / ${over(t, (x) => x.idleMs, fmt.ms)}`],
    ["    Graph budget cuts (median run: ms → req/s)", median.cuts.map(([ms, rps]) => `${ms.toFixed(0)} → ${rps.toFixed(0)}`).join(", ") || "none"],
    ["    Graph requests per 100 ms (median run)", median.perSlot.join(" ")],
  ];
}

/** Graph's licence reads on the simulated clock (bench/graph-sim.ts): the same on every run. */
function graphSimRows(runs: readonly LicenseBench[]): [string, string][] {
  const sims = runs.flatMap((r) => (r.graphSim ? [r.graphSim] : []));
  const s0 = sims[0];
  if (!s0) return [];
  return [
    ["  the same Graph reads on the simulated clock:", ""],
    ["    time / bound", `${over(sims, (x) => x.virtualMs, fmt.s)} / ${fmt.s(s0.boundMs)}: ${over(sims, (x) => x.virtualMs / x.boundMs, fmt.ratio)}`],
    ["    requests / 429s (per-app limit, per-tenant)", `${s0.calls} / ${s0.throttled.app}, ${s0.throttled.tenant}`],
    ["    requests per 100 ms", s0.perSlot.join(" ")],
  ];
}

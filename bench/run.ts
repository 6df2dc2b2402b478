// `npm run bench`: every benchmark, each figure over several runs (median, min–max); the rate over
// time to docs/rate-over-time.svg. Options: `--runs N` (default 3), `--only a,b` (sections: validate,
// reconcile, cold-start, budget, engine, licences, cli, scale), `--scale-runs N` (default 1), `--small` (the
// 300-customer world only), `--quick` (small worlds, one run, no scale: checks the harness).
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { generateWorld } from "../src/sandbox/index.js";
import { writeWorldPlans } from "../test/helpers/world-plans.js";
import { benchCli, benchColdStart, type CliRun } from "./cli.js";
import { SEED, benchEngine, startSandboxChild, type EngineBenchOptions, type EngineRun } from "./engine.js";
import { benchLicenseApis, type LicenseBenchOptions } from "./licenses.js";
import { naiveSequential } from "./naive.js";
import { printEngineRuns, printLicenseRuns } from "./print.js";
import { benchScale } from "./scale.js";
import { fewLargeAmongSmall, simWorld, simulate } from "./budget-sim.js";
import { ratePlot } from "./rate-plot.js";
import { benchReconcile } from "./reconcile.js";
import { fmt, over, table } from "./stats.js";
import { benchValidate } from "./validate.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
// The 300-customer world only (the figures issue 27 started from): minutes, not an hour.
const smallOnly = args.includes("--small");
const runs = quick ? 1 : Number(args[args.indexOf("--runs") + 1] ?? 3) || 3;
const only = args.includes("--only") ? new Set((args[args.indexOf("--only") + 1] ?? "").split(",")) : undefined;
const wants = (section: string) => !only || only.has(section);
const REPO = resolve(import.meta.dirname, "..");

const full = { customers: 2_000, users: 50_000, latencyMs: 20 };
const small = { customers: 300, users: 7_500, latencyMs: 40 };

// The 10,000-customer world takes many minutes a run: once unless `--scale-runs N`.
const scaleRuns = Number(args[args.indexOf("--scale-runs") + 1] ?? 1) || 1;

async function repeat<T>(label: string, f: () => Promise<T>, times = runs): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < times; i++) {
    out.push(await f());
    process.stderr.write(`  ${label}: run ${i + 1} of ${times} done\n`);
  }
  return out;
}

let built = false;
/** The CLI sections time the built CLI (bin/pcplan.js → dist/): built once, from this checkout. */
function buildCli(): void {
  if (built) return;
  execFileSync(process.execPath, [join(REPO, "node_modules/typescript/bin/tsc"), "-p", join(REPO, "tsconfig.build.json")], { stdio: "inherit" });
  built = true;
}

async function engineSection(): Promise<EngineRun[]> {
  const smallRows: EngineBenchOptions[] = [
    { ...small, label: "400 req/s", rateLimit: 400 },
    { ...small, label: "400 req/s + 5 req/s per customer", rateLimit: 400, rateLimitCustomer: 5 },
    { ...small, label: "50 req/s", rateLimit: 50 },
  ];
  const rows: EngineBenchOptions[] = quick
    ? [{ ...small, label: "400 req/s", rateLimit: 400 }]
    : smallOnly
      ? smallRows
      : [
          { ...full, label: "400 req/s", rateLimit: 400 },
          { ...full, label: "400 req/s + 5 req/s per customer", rateLimit: 400, rateLimitCustomer: 5 },
          // A tighter partner limit: the same calls would take 11 minutes on the full world.
          { ...small, label: "50 req/s", rateLimit: 50 },
          { ...small, label: "400 req/s", rateLimit: 400 },
          { ...small, label: "400 req/s + 5 req/s per customer", rateLimit: 400, rateLimitCustomer: 5 },
          // A quarter of the full world: peak memory above what is held should stay flat as customers grow.
          { ...full, label: "400 req/s, a quarter of the world", rateLimit: 400, customers: 500, users: 12_500 },
        ];
  const firsts: EngineRun[] = [];
  for (const o of rows) {
    console.log(`plan (engine, in-process) against \`pcplan sandbox --generate customers=${o.customers},users=${o.users}\` in a child process — ${o.label}:`);
    const done = await repeat(`${o.customers} customers, ${o.label}`, () => benchEngine(o));
    printEngineRuns(done, o);
    if (done[0]) firsts.push(done[0]);
    console.log("");
  }
  return firsts;
}

async function naiveSection(): Promise<void> {
  const o = { ...full, label: "naive", rateLimit: 400 };
  const sandbox = await startSandboxChild(o);
  try {
    const n = await naiveSequential(sandbox.url, generateWorld({ customers: o.customers, users: o.users, seed: SEED }), 50);
    console.log(
      `naive sequential client against the full world at 400 req/s: ${n.calls} calls for the first ${n.customersRead} customers in ${fmt.s(n.wallMs)} (${(n.wallMs / n.calls).toFixed(1)} ms/call);`,
    );
    console.log(`  the whole world (${n.fullWorldCalls} calls) extrapolated ≈ ${fmt.s(n.extrapolatedMs)} at the same ms/call`);
  } finally {
    await sandbox.stop();
  }
}

async function licenceSection(): Promise<void> {
  const o: LicenseBenchOptions = { ...(quick || smallOnly ? small : full), label: "licences", rateLimit: 400, graphRateLimit: 150, graphRateLimitTenant: 20 };
  console.log(
    `plan with licences through Partner Center, then through Microsoft Graph, against \`pcplan sandbox --generate customers=${o.customers},users=${o.users}\`:`,
  );
  printLicenseRuns(await repeat("licences", () => benchLicenseApis(o)), o);
  console.log("");
}

function printCliRuns(done: readonly CliRun[], o: EngineBenchOptions, what: string): void {
  const r0 = done[0];
  if (!r0) return;
  console.log(
    `pcplan plan with default flags (${what}), ${o.customers} customers behind ${o.latencyMs} ms, ${o.label} (not told to the client), ${done.length} runs:`,
  );
  table([
    ["wall time (the whole command)", over(done, (r) => r.wallMs, fmt.s)],
    ["bound ((calls − burst) / rate + one latency)", fmt.s(r0.boundMs)],
    ["ratio to bound", `${over(done, (r) => r.wallMs / r.boundMs, fmt.ratio)} (target ≤ ${o.rateLimitCustomer ? "1.2" : "1.15"}×)`],
    [
      `requests (--verbose) / minimum Partner Center calls`,
      `${over(done, (r) => r.requests, fmt.int)} / ${r0.minimum}${r0.graph ? " (licences through Graph: its requests counted in)" : ""}`,
    ],
    ["429s / share", `${over(done, (r) => r.throttled, fmt.int)} / ${over(done, (r) => r.throttled / r.requests, fmt.pct)}`],
    ["exit codes", [...new Set(done.map((r) => String(r.exit)))].join(", ")],
  ]);
  console.log("");
}

async function cliSection(): Promise<void> {
  buildCli();
  const rows: [EngineBenchOptions, boolean, string][] = [
    [{ ...small, label: "400 req/s", rateLimit: 400 }, false, "licences through Partner Center: a token only"],
    [{ ...small, label: "400 req/s + 5 req/s per customer", rateLimit: 400, rateLimitCustomer: 5 }, false, "licences through Partner Center"],
    [{ ...small, label: "20 req/s", rateLimit: 20 }, false, "licences through Partner Center"],
  ];
  for (const [o, graph, what] of quick ? rows.slice(0, 1) : smallOnly ? rows.slice(0, 2) : rows)
    printCliRuns(await repeat(`cli ${o.label}`, () => benchCli(o, graph)), o, what);
}

async function coldStartSection(): Promise<void> {
  buildCli();
  const dir = await mkdtemp(join(tmpdir(), "pcplan-bench-start-"));
  try {
    await writeWorldPlans(generateWorld({ customers: 300, users: 7_500, seed: SEED }), dir);
    const done = await repeat("cold start", () => benchColdStart(dir));
    console.log(`cold start of the built CLI (${done.length} runs):`);
    table([
      ["pcplan --version (the whole process)", over(done, (r) => r.versionMs, fmt.ms)],
      ["pcplan plan: start to its first request", over(done, (r) => r.firstRequestMs, fmt.ms)],
    ]);
    console.log("");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function budgetSection(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "pcplan-bench-budget-"));
  try {
    const rows: (EngineBenchOptions & { shaped?: typeof fewLargeAmongSmall })[] = [
      { ...small, label: "400 req/s", rateLimit: 400 },
      { ...small, label: "400 req/s + 5 req/s per customer", rateLimit: 400, rateLimitCustomer: 5 },
      { ...small, label: "50 req/s", rateLimit: 50 },
      // Few customers, each with much work: the per-customer limit is what binds.
      { label: "400 req/s + 5 req/s per customer, 12 large customers", customers: 12, users: 2_400, latencyMs: 40, rateLimit: 400, rateLimitCustomer: 5 },
      // A few large customers among many small ones: their limit must be told from the partner's.
      {
        label: "50 req/s + 5 req/s per customer, 4 large customers among 60 small",
        customers: 64,
        users: 0,
        latencyMs: 40,
        rateLimit: 50,
        rateLimitCustomer: 5,
        shaped: fewLargeAmongSmall,
      },
    ];
    for (const o of quick ? rows.slice(0, 1) : rows) {
      const { work, minimum } = o.shaped ? o.shaped() : await simWorld(o, join(dir, o.label.replace(/\W+/g, "-")));
      const done = await repeat(`budget ${o.label}`, () => simulate(o, work, minimum));
      const r0 = done[0];
      if (!r0) continue;
      console.log(
        `the request budget on the simulated clock (bench/budget-sim.ts), ${o.shaped ? `${o.customers} customers' reads` : `${o.customers} customers / ${o.users} users`}, ${o.latencyMs} ms, ${o.label} (not told to the client), ${done.length} runs:`,
      );
      const target = o.rateLimitCustomer ? 1.2 : 1.15;
      table([
        ["ratio to bound (simulated time)", `${over(done, (r) => r.virtualMs / r.boundMs, fmt.ratio)} (target ≤ ${target}×)`],
        [`simulated time / bound (${r0.boundKind})`, `${over(done, (r) => r.virtualMs, fmt.s)} / ${fmt.s(r0.boundMs)}`],
        ["calls / minimum", `${over(done, (r) => r.calls, fmt.int)} / ${r0.minimum}`],
        ["429s / share", `${over(done, (r) => r.throttled, fmt.int)} / ${over(done, (r) => r.throttled / r.calls, fmt.pct)} (target ≤ 1%)`],
        ["budget cuts: partner / customers' rate", `${over(done, (r) => r.partnerCuts, fmt.int)} / ${over(done, (r) => r.tenantCuts, fmt.int)}`],
        [
          "429s put down to: partner / customers (by the customers' limits)",
          `${over(done, (r) => r.partnerThrottled, fmt.int)} / ${over(done, (r) => r.tenantThrottled, fmt.int)} (${over(done, (r) => r.byTenantLimit, fmt.int)})`,
        ],
        [
          "customers' learned rate",
          done.some((r) => r.tenantRps !== null) ? `${over(done, (r) => r.tenantRps ?? Number.NaN, fmt.rps)}` : "none (never limited)",
        ],
      ]);
      console.log("");
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function scaleSection(): Promise<void> {
  const o: EngineBenchOptions = { label: "400 req/s", customers: 10_000, users: 250_000, latencyMs: 20, rateLimit: 400 };
  console.log(
    `scale: pcplan plan --format json (the built CLI, default flags) on ${o.customers} customers / ${o.users} users, ${o.label} (not told to the client):`,
  );
  buildCli();
  const done = await repeat("scale", () => benchScale(o), scaleRuns);
  const r0 = done[0];
  if (!r0) return;
  table([
    [
      "customers planned / in the JSON written",
      `${r0.planned} / ${over(done, (r) => r.customersInOutput, fmt.int)} (${over(done, (r) => r.outputBytes, fmt.mb)} of JSON)`,
    ],
    ["peak RSS of the pcplan process", `${over(done, (r) => r.peakRss, fmt.mb)} (target < 1 GB)`],
    ["wall time (the whole command)", over(done, (r) => r.wallMs, fmt.s)],
    [`lower bound (${r0.boundKind})`, fmt.s(r0.boundMs)],
    ["ratio to bound", over(done, (r) => r.wallMs / r.boundMs, fmt.ratio)],
    ["requests (--verbose) / minimum", `${over(done, (r) => r.requests, fmt.int)} / ${r0.minimum}`],
    ["429s / share", `${over(done, (r) => r.throttled, fmt.int)} / ${over(done, (r) => r.throttled / r.requests, fmt.pct)}`],
    ["exit codes", [...new Set(done.map((r) => String(r.exit)))].join(", ")],
  ]);
  console.log("");
}

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}, ${process.platform}/${process.arch}; ${new Date().toISOString().slice(0, 10)}\n`,
);
if (wants("validate")) await benchValidate(runs);
if (wants("reconcile")) benchReconcile();
if (wants("cold-start")) await coldStartSection();
if (wants("budget")) await budgetSection();
if (wants("engine")) {
  const firsts = await engineSection();
  if (!quick && !smallOnly) await naiveSection();
  if (!quick && !smallOnly && firsts.length >= 3) await writeFile(resolve(REPO, "docs", "rate-over-time.svg"), ratePlot(firsts.slice(0, 3)));
}
if (wants("licences")) await licenceSection();
if (wants("cli")) await cliSection();
if (wants("scale") && !quick) await scaleSection();

// `npm run bench`: every benchmark in turn, figures to stdout, the rate over time to docs/rate-over-time.svg.
// `npm run bench -- --quick` runs the engine on small worlds (a smoke test of the harness).
import { writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { benchEngine, printEngineRun, type EngineBenchOptions, type EngineRun } from "./engine.js";
import { benchLicenseApis, printLicenseBench, type LicenseBenchOptions } from "./licenses.js";
import { ratePlot } from "./rate-plot.js";
import { benchReconcile } from "./reconcile.js";
import { benchValidate } from "./validate.js";

const quick = process.argv.includes("--quick");

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}, ${process.platform}/${process.arch}`,
);
console.log("");

await benchValidate();
console.log("");

for (const r of benchReconcile()) {
  console.log(
    `reconcile (pure): ${r.users} users (${r.shape}) → ${r.actions} actions in ${r.medianMs.toFixed(1)} ms median, ${r.maxMs.toFixed(1)} ms max of 7 (target well under 1 s)`,
  );
}
console.log("");

const full = { customers: 2_000, users: 50_000, latencyMs: 20, naivePrefix: 50 };
const small = { customers: 300, users: 7_500, latencyMs: 40, naivePrefix: 20 };
const runs: [EngineBenchOptions, boolean][] = quick
  ? [
      [{ ...small, label: "400 req/s", rateLimit: 400 }, true],
      [{ ...small, label: "400 req/s + 5 req/s per customer", rateLimit: 400, rateLimitCustomer: 5 }, false],
    ]
  : [
      [{ ...full, label: "400 req/s", rateLimit: 400 }, true],
      [{ ...full, label: "400 req/s + 5 req/s per customer", rateLimit: 400, rateLimitCustomer: 5 }, false],
      // A tighter partner limit: the same calls would take 11 minutes on the full world.
      [{ ...small, label: "50 req/s", rateLimit: 50 }, false],
      // A quarter of the full world: peak memory above what is held should stay flat as customers grow.
      [{ ...full, label: "400 req/s, a quarter of the world", rateLimit: 400, customers: 500, users: 12_500 }, false],
    ];
const done: EngineRun[] = [];
for (const [o, naive] of runs) {
  console.log(`plan (engine, in-process) against \`pcplan sandbox --generate customers=${o.customers},users=${o.users}\` in a child process — ${o.label}:`);
  const r = await benchEngine(o, naive);
  printEngineRun(r, o);
  done.push(r);
  console.log("");
}
// Licences through Partner Center vs Microsoft Graph, one world and sandbox for both. Graph's
// per-app limit is set, like Partner Center's, to a rate this machine reaches while it also
// serves every tenant's token and the Partner Center share (docs/performance.md).
const licenceRuns: LicenseBenchOptions[] = quick
  ? [{ ...small, label: "licences", rateLimit: 400, graphRateLimit: 150, graphRateLimitTenant: 20 }]
  : [{ ...full, label: "licences", rateLimit: 400, graphRateLimit: 150, graphRateLimitTenant: 20 }];
for (const o of licenceRuns) {
  console.log(
    `plan with licences through Partner Center, then through Microsoft Graph, against \`pcplan sandbox --generate customers=${o.customers},users=${o.users}\` in a child process:`,
  );
  printLicenseBench(await benchLicenseApis(o), o);
  console.log("");
}
if (!quick) {
  const file = resolve(import.meta.dirname, "..", "docs", "rate-over-time.svg");
  await writeFile(file, ratePlot(done.slice(0, 3)));
  console.log(`rate over time: ${join("docs", "rate-over-time.svg")}`);
}

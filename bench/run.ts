// `npm run bench`: every benchmark in turn, figures to stdout.
// `npm run bench -- --quick` runs the engine on a small world (a smoke test of the harness).
import { cpus, totalmem } from "node:os";
import { benchEngine, printEngineRun, type EngineBenchOptions } from "./engine.js";
import { benchReconcile } from "./reconcile.js";
import { benchValidate } from "./validate.js";

const quick = process.argv.includes("--quick");

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}, ${process.platform}/${process.arch}`);
console.log("");

await benchValidate();
console.log("");

for (const r of benchReconcile()) {
  console.log(`reconcile (pure): ${r.users} users (${r.shape}) → ${r.actions} actions in ${r.medianMs.toFixed(1)} ms median, ${r.maxMs.toFixed(1)} ms max of 7 (target well under 1 s)`);
}
console.log("");

const full: EngineBenchOptions = { customers: 2_000, users: 50_000, latencyMs: 20, rateLimit: 400, naivePrefix: 50 };
const runs: [EngineBenchOptions, boolean][] = quick
  ? [[{ ...full, customers: 200, users: 5_000, naivePrefix: 20 }, true]]
  : [
      [full, true],
      // A quarter of the world: peak memory above what is held should stay flat as customers grow.
      [{ ...full, customers: 500, users: 12_500 }, false],
    ];
for (const [o, naive] of runs) {
  console.log(`plan (engine, in-process) against \`pcplan sandbox --generate customers=${o.customers},users=${o.users}\` in a child process:`);
  printEngineRun(await benchEngine(o, naive), o);
  console.log("");
}

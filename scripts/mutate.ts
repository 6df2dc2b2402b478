/**
 * `npm run mutate [-- <group>… [--force]]`: one Stryker run per file group of
 * scripts/mutate-groups.ts, in turn, each against its own tests, then the score per group and
 * overall from their JSON reports. Runs are incremental (`reports/stryker-incremental-<group>.json`,
 * kept in git): a mutant whose code and tests did not change keeps its last result; `--force`
 * re-tests every mutant. Any other argument is passed to Stryker. See docs/testing.md.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { MUTATE_GROUPS, mutateGroup, type MutateGroup } from "./mutate-groups.js";

const BASE_CONFIG = "stryker.config.json";

interface Tally {
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
}

/**
 * One group's run: stryker.config.json with the group's files, its own JSON report and
 * incremental file (so groups can also run side by side, `npm run mutate -- http &`), and
 * `PCPLAN_MUTATE_GROUP` naming its tests for vitest.mutate.config.ts.
 */
function runGroup(group: MutateGroup, strykerArgs: string[]): number {
  const config = groupConfig(group);
  const args = ["stryker", "run", config, "--incremental", ...strykerArgs];
  const started = Date.now();
  console.log(`\n=== ${group.name}: ${new Date(started).toISOString()} npx ${args.join(" ")}`);
  const run = spawnSync("npx", args, {
    stdio: "inherit",
    env: { ...process.env, PCPLAN_MUTATE_GROUP: group.name },
  });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`=== ${group.name}: exit ${run.status ?? run.signal}, ${minutes} min, ended ${new Date().toISOString()}`);
  return run.status ?? 1;
}

function groupConfig(group: MutateGroup): string {
  const { $schema: _schema, ...base } = JSON.parse(readFileSync(BASE_CONFIG, "utf8")) as Record<string, unknown>;
  const config = {
    ...base,
    mutate: group.mutate,
    jsonReporter: { fileName: groupReport(group) },
    incrementalFile: `reports/stryker-incremental-${group.name}.json`,
  };
  const path = `reports/mutation/stryker.${group.name}.config.json`;
  mkdirSync("reports/mutation", { recursive: true });
  writeFileSync(path, JSON.stringify(config, null, 2) + "\n");
  return path;
}

function groupReport(group: MutateGroup): string {
  return `reports/mutation/${group.name}.json`;
}

function tally(reportPath: string): Tally {
  const report = JSON.parse(readFileSync(reportPath, "utf8")) as {
    files: Record<string, { mutants: { status: string }[] }>;
  };
  const t: Tally = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
  for (const file of Object.values(report.files)) {
    for (const m of file.mutants) {
      if (m.status === "Killed") t.killed++;
      else if (m.status === "Timeout") t.timeout++;
      else if (m.status === "Survived") t.survived++;
      else if (m.status === "NoCoverage") t.noCoverage++;
    }
  }
  return t;
}

/** Stryker's score: killed and timed out over every mutant that ran or had no test. */
function score(t: Tally): string {
  const detected = t.killed + t.timeout;
  const total = detected + t.survived + t.noCoverage;
  return total === 0 ? "n/a" : `${((100 * detected) / total).toFixed(2)}%`;
}

function printScores(): void {
  const sum: Tally = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
  console.log("\n| group | score | killed | timed out | survived | no coverage |\n|---|---|---|---|---|---|");
  for (const group of MUTATE_GROUPS) {
    if (!existsSync(groupReport(group))) {
      console.log(`| ${group.name} | not run | | | | |`);
      continue;
    }
    const t = tally(groupReport(group));
    for (const k of Object.keys(sum) as (keyof Tally)[]) sum[k] += t[k];
    console.log(`| ${group.name} | ${score(t)} | ${t.killed} | ${t.timeout} | ${t.survived} | ${t.noCoverage} |`);
  }
  console.log(`| **all** | **${score(sum)}** | ${sum.killed} | ${sum.timeout} | ${sum.survived} | ${sum.noCoverage} |`);
}

const argv = process.argv.slice(2);
const known = new Set(MUTATE_GROUPS.map((g) => g.name));
const named = argv.filter((a) => known.has(a));
const strykerArgs = argv.filter((a) => !known.has(a));
const groups = named.length > 0 ? named.map(mutateGroup) : MUTATE_GROUPS;
let failed = 0;
for (const group of groups) if (runGroup(group, strykerArgs) !== 0) failed++;
printScores();
process.exitCode = failed === 0 ? 0 : 1;

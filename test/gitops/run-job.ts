/**
 * Runs one job of a workflow file here as GitHub would run it, for the tests of the workflows'
 * own steps: each `if:` evaluated (test/gitops/expressions.ts), `run:` steps in bash -eo pipefail
 * with GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, `continue-on-error`, step outcomes and job
 * outputs. What cannot run here is stood in for, and only that: `npm ci` (installed already),
 * checkout, setup-node and the cache (the temp folder is the workspace and keeps its state),
 * upload-artifact (checks the files and answers an artifact URL), and github-script (the step's
 * own script with a fake `github` the test passes). `npx` is a script on PATH: `npx pcplan` runs
 * the built CLI with the test's connection and `--now` added to the commands that read Partner
 * Center; `npx tsx` runs the repository's script under the repository's tsx loader.
 */
import { chmod, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BIN, REPO } from "../helpers/cli.js";
import { runProcess } from "../helpers/run-process.js";
import { condition, interpolate, type ExprContext } from "./expressions.js";
import { scriptOf, type Job, type Step } from "./workflow-files.js";

type Outcome = "success" | "failure" | "skipped";

export interface StepRun {
  step: Step;
  outcome: Outcome;
  stdout: string;
  stderr: string;
}

export interface JobRun {
  result: Outcome;
  steps: StepRun[];
  outputs: Record<string, string>;
  summary: string;
  /** Artifacts uploaded: name → files. */
  artifacts: Record<string, string[]>;
}

export interface RunOptions {
  cwd: string;
  /** Repository variables (`vars.X`). */
  vars?: Record<string, string>;
  /** Secrets (`secrets.X`); unset ones are "" as on GitHub. */
  secrets?: Record<string, string>;
  /** Results and outputs of the jobs this one needs. */
  needs?: Record<string, { result: Outcome; outputs: Record<string, string> }>;
  /** Arguments that connect `npx pcplan` to Partner Center (`--sandbox`, or `--endpoint …`). */
  connect: string;
  now: string;
  env?: Record<string, string>;
  /** The `github` object github-script hands its script. */
  github?: unknown;
  /** `github.ref` (refs/heads/main unless given). */
  ref?: string;
}

const RUN_ID = 42;
export const GITHUB = {
  ref: "refs/heads/main",
  run_id: String(RUN_ID),
  run_attempt: "1",
  server_url: "https://github.com",
  repository: "contoso-partner/licenses",
};
export const RUN_URL = `${GITHUB.server_url}/${GITHUB.repository}/actions/runs/${RUN_ID}`;
export const artifactUrl = (name: string) => `${RUN_URL}/artifacts/${name}`;

const FAKE_NPX = `#!/usr/bin/env bash
case "$1" in
  pcplan)
    shift
    case "$1" in
      plan|apply|status|discover) exec node "$PCPLAN_BIN" "$@" $PCPLAN_CONNECT --now "$PCPLAN_NOW" ;;
      *) exec node "$PCPLAN_BIN" "$@" ;;
    esac ;;
  tsx)
    # The workspace holds plans only: a script path is the repository's (a symbolic link would not
    # do: the wrapper runs only when started by its real path).
    shift; script="$1"; shift
    # tsx's loader in one process: its CLI would start a second node to run the script in.
    [ -e "$script" ] || script="$PCPLAN_REPO/$script"
    exec node --import "$PCPLAN_TSX" "$script" "$@" ;;
  *) echo "unexpected: npx $*" >&2; exit 127 ;;
esac
`;

/** A folder holding the fake `npx`. */
async function fakeNpx(): Promise<string> {
  const bin = await mkdtemp(join(tmpdir(), "pcplan-bin-"));
  await writeFile(join(bin, "npx"), FAKE_NPX);
  await chmod(join(bin, "npx"), 0o755);
  return bin;
}

function context(o: RunOptions, steps: Record<string, { outcome: Outcome; conclusion: Outcome; outputs: Record<string, string> }>): ExprContext {
  const failed = Object.values(steps).some((s) => s.conclusion === "failure");
  return {
    status: { success: !failed, failure: failed },
    lookup(path) {
      const [root, a = "", b = "", c = ""] = path.split(".");
      if (root === "vars") return o.vars?.[a] ?? "";
      if (root === "secrets") return o.secrets?.[a] ?? "";
      if (root === "github") return a === "ref" && o.ref ? o.ref : ((GITHUB as Record<string, string>)[a] ?? "");
      if (root === "needs") return b === "result" ? (o.needs?.[a]?.result ?? "") : (o.needs?.[a]?.outputs[c] ?? "");
      const s = steps[a];
      return b === "outcome" ? (s?.outcome ?? "") : b === "conclusion" ? (s?.conclusion ?? "") : (s?.outputs[c] ?? "");
    },
  };
}

async function readOutputs(file: string): Promise<Record<string, string>> {
  const lines = (await readFile(file, "utf8")).split("\n").filter((l) => l.includes("="));
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

/** Runs a github-script step's own script with the test's `github`, `core.summary` writing to the job summary. */
async function githubScript(step: Step, env: Record<string, string>, o: RunOptions, summaryFile: string): Promise<void> {
  const fs = await import("node:fs");
  const req = (m: string) => {
    if (m !== "node:fs") throw new Error(`unexpected require ${m}`);
    return {
      ...fs,
      existsSync: (p: string) => fs.existsSync(resolve(o.cwd, p)),
      readFileSync: (p: string, e: BufferEncoding) => fs.readFileSync(resolve(o.cwd, p), e),
    };
  };
  const summary = { addRaw: (s: string) => (fs.appendFileSync(summaryFile, s), summary), write: () => Promise.resolve(summary) };
  const ctx = { repo: { owner: "contoso-partner", repo: "licenses" }, serverUrl: GITHUB.server_url, runId: RUN_ID, payload: {} };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  const previous = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    await new AsyncFunction("require", "github", "context", "core", scriptOf(step))(req, o.github, ctx, { summary });
  } finally {
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function upload(step: Step, ectx: ExprContext, o: RunOptions, artifacts: Record<string, string[]>): Record<string, string> {
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const name = interpolate(text(step.with?.name) || "artifact", ectx);
  const files = text(step.with?.path)
    .split("\n")
    .map((p) => p.trim())
    .filter((p) => p && existsSync(join(o.cwd, p)));
  if (files.length === 0 && step.with?.["if-no-files-found"] === "error") throw new Error(`upload-artifact ${name}: no files`);
  artifacts[name] = files;
  return { "artifact-url": artifactUrl(name) };
}

/** One step; throws when it fails. */
async function runStep(step: Step, ectx: ExprContext, env: Record<string, string>, o: RunOptions, job: JobRun, files: { summary: string; output: string }) {
  const uses = step.uses?.replace(/@.*/, "");
  if (step.run !== undefined) {
    if (/^npm ci\b/.test(step.run)) return { outputs: {}, stdout: "", stderr: "" };
    const r = await runProcess("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run], { cwd: o.cwd, env });
    if (r.code !== 0) throw Object.assign(new Error(`exit ${r.code}`), { stdout: r.stdout, stderr: r.stderr });
    return { outputs: await readOutputs(files.output), stdout: r.stdout, stderr: r.stderr };
  }
  if (uses === "actions/upload-artifact") return { outputs: upload(step, ectx, o, job.artifacts), stdout: "", stderr: "" };
  if (uses === "actions/github-script") {
    await githubScript(step, env, o, files.summary);
    return { outputs: {}, stdout: "", stderr: "" };
  }
  if (uses && ["actions/checkout", "actions/setup-node", "actions/cache/restore", "actions/cache/save"].includes(uses))
    return { outputs: {}, stdout: "", stderr: "" };
  throw new Error(`no stand-in for ${step.uses ?? step.name ?? "?"}`);
}

/** Runs the job's steps in order as GitHub would; the job itself is skipped when its `if:` is false. */
export async function runJob(job: Job, o: RunOptions): Promise<JobRun> {
  const run: JobRun = { result: "skipped", steps: [], outputs: {}, summary: "", artifacts: {} };
  const byId: Record<string, { outcome: Outcome; conclusion: Outcome; outputs: Record<string, string> }> = {};
  const needsFailed = Object.values(o.needs ?? {}).some((n) => n.result !== "success");
  if (!condition(job.if, { ...context(o, byId), status: { success: !needsFailed, failure: needsFailed } })) return run;
  const bin = await fakeNpx();
  const dir = await mkdtemp(join(tmpdir(), "pcplan-job-"));
  const summaryFile = join(dir, "summary.md");
  await writeFile(summaryFile, "");
  await mkdir(join(dir, "temp"));
  for (const [i, step] of job.steps.entries()) {
    const ectx = context(o, byId);
    const record = (outcome: Outcome, outputs: Record<string, string>, stdout = "", stderr = "") => {
      const conclusion = outcome === "failure" && step["continue-on-error"] ? "success" : outcome;
      if (step.id) byId[step.id] = { outcome, conclusion, outputs };
      run.steps.push({ step, outcome, stdout, stderr });
    };
    if (!condition(step.if, ectx)) {
      record("skipped", {});
      continue;
    }
    const output = join(dir, `output-${i}`);
    await writeFile(output, "");
    const stepEnv = Object.fromEntries(Object.entries({ ...job.env, ...step.env }).map(([k, v]) => [k, interpolate(String(v), ectx)]));
    const env = {
      ...(process.env as Record<string, string>),
      NO_COLOR: "1",
      CI: "true",
      GITHUB_ACTIONS: "true",
      RUNNER_TEMP: join(dir, "temp"),
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      PCPLAN_BIN: BIN,
      PCPLAN_TSX: pathToFileURL(join(REPO, "node_modules/tsx/dist/loader.mjs")).href,
      PCPLAN_REPO: REPO,
      PCPLAN_CONNECT: o.connect,
      PCPLAN_NOW: o.now,
      ...o.env,
      ...stepEnv,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summaryFile,
    };
    try {
      const r = await runStep(step, ectx, env, o, run, { summary: summaryFile, output });
      record("success", r.outputs, r.stdout, r.stderr);
    } catch (err) {
      const e = err as Error & { stdout?: string; stderr?: string };
      record("failure", step.id ? await readOutputs(output) : {}, e.stdout ?? "", e.stderr ?? e.message);
    }
  }
  run.result = Object.values(run.steps).some((s) => s.outcome === "failure" && !s.step["continue-on-error"]) ? "failure" : "success";
  const ectx = context(o, byId);
  run.outputs = Object.fromEntries(Object.entries(job.outputs ?? {}).map(([k, v]) => [k, interpolate(v, ectx)]));
  run.summary = await readFile(summaryFile, "utf8");
  return run;
}

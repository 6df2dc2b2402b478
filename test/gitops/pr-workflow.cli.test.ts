import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { MARKDOWN_LIMIT } from "../../src/render/markdown.js";
import { SANDBOX_TOKENS, generateWorld, startSandbox } from "../../src/sandbox/index.js";
import { BIN, runCli, tempCheckout } from "../helpers/cli.js";
import { runProcess, type ProcessResult } from "../helpers/run-process.js";
import { writeWorldPlans } from "../helpers/world-plans.js";
import { loadWorkflow, scriptOf, type Step } from "./workflow-files.js";

/**
 * Runs the PR preview workflow's own shell steps, in order, as GitHub would (bash -eo pipefail,
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files), in a temp checkout against the sandbox. `npx pcplan`
 * is the CLI from source, with `--sandbox` (or `--endpoint` of a sandbox started here) and `--now`
 * added to the commands that talk to Partner Center. Then runs the sticky-comment script, its
 * `env:` taken from the steps' outcomes and outputs as GitHub would, with a fake GitHub API.
 */
const NOW = "2026-11-24T00:00:00Z";
const job = Object.values(loadWorkflow("plan-preview.yml").jobs)[0];
/** The one step replaced: dependencies are already installed here. */
const INSTALL = /^npm ci\b/;

const PRELUDE = `
npx() {
  if [ "$1" != pcplan ]; then echo "unexpected: npx $*" >&2; return 127; fi
  shift
  case "$1" in
    plan|apply|status|discover) node "$PCPLAN_BIN" "$@" $PCPLAN_CONNECT --now "$PCPLAN_NOW" ;;
    *) node "$PCPLAN_BIN" "$@" ;;
  esac
}
`;

interface StepRun {
  step: Step;
  code: number | null;
  stdout: string;
  stderr: string;
}

interface WorkflowRun {
  steps: StepRun[];
  /** The first failing step ends the job, as on GitHub. */
  failed: StepRun | undefined;
  /** Every step's outputs together. */
  outputs: Record<string, string>;
  /** `steps.<id>.outcome` and `steps.<id>.outputs.<name>`, for the steps with an id. */
  byId: Record<string, { outcome: "success" | "failure" | "skipped"; outputs: Record<string, string> }>;
  summary: string;
}

/** How the harness reaches Partner Center: the demo sandbox, or a sandbox this test started. */
interface Connection {
  args: string;
  env?: Record<string, string>;
}
const DEMO: Connection = { args: "--sandbox" };

function bash(script: string, cwd: string, env: Record<string, string>): Promise<ProcessResult> {
  return runProcess("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", `${PRELUDE}\n${script}`], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", CI: "true", GITHUB_ACTIONS: "true", ...env },
  });
}

/** `${{ secrets.X }}` is empty here (the sandbox needs no credentials); literals pass through. */
function stepEnv(step: Step): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.env ?? {})) {
    const s = String(v);
    if (s.includes("${{")) {
      expect(s, `${k} in step ${step.name}`).toMatch(/^\$\{\{ (secrets|steps)\.[\w.-]+ \}\}$/);
      env[k] = "";
    } else env[k] = s;
  }
  return env;
}

async function runPreviewSteps(cwd: string, tag: string, connection: Connection = DEMO): Promise<WorkflowRun> {
  const summaryFile = join(cwd, `.github-summary-${tag}`);
  await writeFile(summaryFile, "");
  const steps: StepRun[] = [];
  const byId: WorkflowRun["byId"] = {};
  let outputs: Record<string, string> = {};
  let failed: StepRun | undefined;
  for (const [i, step] of job.steps.entries()) {
    if (!step.run) continue;
    if (INSTALL.test(step.run)) continue;
    if (failed) {
      if (step.id) byId[step.id] = { outcome: "skipped", outputs: {} };
      continue;
    }
    const outputFile = join(cwd, `.github-output-${tag}-${i}`);
    await writeFile(outputFile, "");
    const r = await bash(step.run, cwd, {
      ...stepEnv(step),
      ...connection.env,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      PCPLAN_BIN: BIN,
      PCPLAN_NOW: NOW,
      PCPLAN_CONNECT: connection.args,
    });
    const run = { step, ...r };
    steps.push(run);
    const stepOutputs = Object.fromEntries(
      (await readFile(outputFile, "utf8"))
        .split("\n")
        .filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    outputs = { ...outputs, ...stepOutputs };
    if (step.id) byId[step.id] = { outcome: r.code === 0 ? "success" : "failure", outputs: stepOutputs };
    if (r.code !== 0) failed = run;
  }
  return { steps, failed, outputs, byId, summary: await readFile(summaryFile, "utf8") };
}

/** A step's `env:` as GitHub evaluates it after the steps of `run`: `steps.<id>.outcome` / `.outputs.<name>`. */
function evaluatedEnv(step: Step, run: WorkflowRun): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.env ?? {})) {
    const m = /^\$\{\{ steps\.([\w-]+)\.(outcome|outputs\.([\w-]+)) \}\}$/.exec(String(v));
    if (!m) throw new Error(`unexpected env ${k}: ${String(v)} in step ${step.name}`);
    const s = run.byId[m[1]];
    env[k] = m[2] === "outcome" ? (s?.outcome ?? "") : (s?.outputs[m[3]] ?? "");
  }
  return env;
}

type Comment = { id: number; body: string; user: { type: string } };

/** The sticky-comment step's script after `run`, against a fake `github` (issues API) holding `comments`. */
async function runCommentScript(cwd: string, comments: Comment[], run: WorkflowRun) {
  const step = job.steps.find((s) => s.uses?.startsWith("actions/github-script@"))!;
  const script = scriptOf(step);
  const calls: string[] = [];
  let nextId = 100;
  const github = {
    paginate: (fn: (args: unknown) => Promise<{ data: unknown[] }>, args: unknown) => fn(args).then((r) => r.data),
    rest: {
      issues: {
        listComments: () => Promise.resolve({ data: comments.map((c) => ({ ...c })) }),
        updateComment: ({ comment_id, body }: { comment_id: number; body: string }) => {
          calls.push(`update ${comment_id}`);
          comments.find((c) => c.id === comment_id)!.body = body;
          return Promise.resolve({});
        },
        createComment: ({ body }: { body: string }) => {
          calls.push("create");
          comments.push({ id: nextId++, body, user: { type: "Bot" } });
          return Promise.resolve({});
        },
      },
    },
  };
  const context = {
    repo: { owner: "contoso-partner", repo: "licenses" },
    serverUrl: "https://github.com",
    runId: 42,
    payload: { pull_request: { number: 7, head: { sha: "0123456789abcdef" } } },
  };
  // github-script reads files relative to the workspace; here, the temp checkout.
  const fs = await import("node:fs");
  const path = await import("node:path");
  const req = (m: string) => {
    if (m === "node:fs")
      return {
        ...fs,
        existsSync: (p: string) => fs.existsSync(path.resolve(cwd, p)),
        readFileSync: (p: string, enc: BufferEncoding) => fs.readFileSync(path.resolve(cwd, p), enc),
      };
    throw new Error(`unexpected require ${m}`);
  };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  const env = evaluatedEnv(step, run);
  const previous = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    await new AsyncFunction("require", "github", "context", "core", script)(req, github, context, {});
  } finally {
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return calls;
}

describe("the PR preview workflow's commands against the sandbox", () => {
  let cwd: string;
  beforeEach(async () => {
    cwd = await tempCheckout();
  });

  it("validates, plans with changes (exit 2 is success), writes the summary, saves the plan, keeps one comment", { timeout: 180_000 }, async () => {
    const first = await runPreviewSteps(cwd, "1");
    expect(first.failed, first.failed && `${first.failed.step.name}: ${first.failed.stderr}`).toBeUndefined();
    expect(first.steps.map((s) => s.step.name)).toEqual(["Validate plans", "Plan", "HTML preview"]);
    expect(await readFile(join(cwd, "plan.html"), "utf8")).toContain(
      "Plan: 1 order awaited, 9 purchases, 1 resize, 1 group change, 78 reassignments, 7 suspensions, 2 cancellations, 4 auto-renews turned off, 1 transition across 15 customers (1 unchanged)",
    );
    // pcplan plan --detailed-exitcode answered 2; the step maps it to success.
    expect(first.outputs).toEqual({ exitcode: "2", changes: "true" });
    const md = await readFile(join(cwd, "plan.md"), "utf8");
    expect(first.summary).toBe(md);
    expect(md).toMatch(/^### pcplan plan\n/);
    expect(md).toContain(
      "**Plan: 1 order awaited, 9 purchases, 1 resize, 1 group change, 78 reassignments, 7 suspensions, 2 cancellations, 4 auto-renews turned off, 1 transition across 15 customers (1 unchanged).**",
    );
    // One block per customer with changes, and Tailwind's "awaiting provisioning".
    expect(md.match(/<details>/g)).toHaveLength(15);
    // The deadline flag for Woodgrove Bank (ends 2026-12-15, within 30 days).
    expect(md).toMatch(/⚠️ <b>Woodgrove Bank<\/b>[^\n]*source ends 2026-12-15 \(21 days left\)/);
    expect(md).not.toContain("Proseware");
    expect(md.length).toBeLessThan(65_536);
    const saved = JSON.parse(await readFile(join(cwd, "plan.json"), "utf8")) as { formatVersion: number };
    expect(saved.formatVersion).toBe(2);

    // Sticky comment: created once, then updated in place; other comments untouched.
    const comments = [{ id: 1, body: "LGTM", user: { type: "User" } }];
    expect(await runCommentScript(cwd, comments, first)).toEqual(["create"]);
    expect(await runCommentScript(cwd, comments, first)).toEqual(["update 100"]);
    expect(comments).toHaveLength(2);
    expect(comments[1].body.startsWith("<!-- pcplan-plan -->\n### pcplan plan")).toBe(true);
    expect(comments[1].body).toContain("Preview of 0123456");

    // After the merge is applied, the same steps report no changes with exit code 0.
    // Tailwind's order provisions a minute after the in-process sandbox starts: apply's polls a hundred
    // times shorter, which that sandbox sees pass whole (docs/testing.md), instead of a real minute.
    const applied = await runCli(["apply", "plan.json", "--auto-approve", "--sandbox", "--now", NOW], { cwd, env: { PCPLAN_TEST_TIME_SCALE: "0.01" } });
    expect(applied.code, applied.stderr).toBe(0);
    const second = await runPreviewSteps(cwd, "2");
    expect(second.failed, second.failed?.stderr).toBeUndefined();
    expect(second.outputs).toEqual({ exitcode: "0", changes: "false" });
    expect(second.summary).toContain("**No changes. Live state matches the plans.**");
    expect(await runCommentScript(cwd, comments, second)).toEqual(["update 100"]);
    expect(comments[1].body).toContain("No changes.");
  });

  it("fails the job when plan fails (exit 1), and the comment says so", { timeout: 120_000 }, async () => {
    // A well-formed plan naming a customer the partner does not have: valid, but plan errors.
    await writeFile(
      join(cwd, "plans", "zz-unknown.yaml"),
      "apiVersion: pcplan/v1\nkind: MigrationPlan\nmetadata: { name: unknown-customer }\nspec:\n  source: { sku: MCOIMP }\n  target: { sku: DESKLESSPACK }\n  customers:\n    - id: 00000000-0000-4000-8000-000000000001\n",
    );
    const r = await runPreviewSteps(cwd, "err");
    expect(r.failed?.step.name).toBe("Plan");
    expect(r.failed?.code).toBe(1);
    expect(r.outputs).toEqual({ exitcode: "1" });
    expect(r.failed?.stdout).toContain("::error title=pcplan plan::pcplan plan failed with exit code 1");
    const comments: Comment[] = [];
    await runCommentScript(cwd, comments, r);
    expect(comments[0].body).toContain("**pcplan plan failed (exit 1).**");
  });

  it("stops at validation with a GitHub annotation, and the old preview comment is replaced by one saying so", { timeout: 120_000 }, async () => {
    // The PR's previous push got a preview.
    const good = await runPreviewSteps(cwd, "good");
    expect(good.failed).toBeUndefined();
    const comments: Comment[] = [{ id: 1, body: "LGTM", user: { type: "User" } }];
    expect(await runCommentScript(cwd, comments, good)).toEqual(["create"]);
    expect(comments[1].body).toContain("### pcplan plan");
    await rm(join(cwd, "plan.md"));
    await rm(join(cwd, "plan.json"));

    await writeFile(
      join(cwd, "plans", "zz-bad.yaml"),
      "apiVersion: pcplan/v1\nkind: MigrationPlan\nmetadata: { name: bad-plan }\nspec:\n  source: { sku: MCOIMP }\n  target: { sku: NOT_A_SKU }\n  customers:\n    - id: 00000000-0000-4000-8000-000000000002\n",
    );
    const r = await runPreviewSteps(cwd, "bad");
    expect(r.failed?.step.name).toBe("Validate plans");
    expect(r.failed?.code).toBe(1);
    expect(`${r.failed?.stdout}${r.failed?.stderr}`).toMatch(/::error file=plans\/zz-bad\.yaml,line=6,col=\d+/);
    expect(r.outputs).toEqual({});
    expect(r.byId).toMatchObject({ validate: { outcome: "failure" }, plan: { outcome: "skipped" } });
    expect(existsSync(join(cwd, "plan.json"))).toBe(false);

    // The comment step runs (its `if` is !cancelled(), checked in workflows.test.ts) and replaces
    // the outdated preview: no stale "### pcplan plan" stays on the PR.
    expect(await runCommentScript(cwd, comments, r)).toEqual(["update 100"]);
    expect(comments).toHaveLength(2);
    const body = comments[1].body;
    expect(body.startsWith("<!-- pcplan-plan -->\n> **pcplan validate failed:** the plan files have errors")).toBe(true);
    expect(body).toContain("No preview until they are fixed.");
    expect(body).toContain("(https://github.com/contoso-partner/licenses/actions/runs/42)");
    expect(body).not.toContain("### pcplan plan");
    expect(body).not.toContain("saved plan in the `pcplan-plan` artifact");
  });

  it("posts a 300-customer preview whole: pcplan's truncation note kept, every <details> closed", { timeout: 300_000 }, async () => {
    // 300 customers are enough to pass GitHub's limit (232 planned, 67 of them left out of the
    // preview): more would cost the two full plans of the workflow's steps time and prove no more.
    const world = generateWorld({ customers: 300, users: 750, seed: 12 });
    const sandbox = await startSandbox({ fixture: world, port: 0, clock: NOW });
    try {
      const dir = await mkdtemp(join(tmpdir(), "pcplan-big-"));
      const { customerIds } = await writeWorldPlans(world, join(dir, "plans"));
      expect(customerIds.length).toBeGreaterThan(200);
      const connection = { args: `--endpoint ${sandbox.url} --max-rps 100000 --concurrency 32`, env: { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin } };
      const r = await runPreviewSteps(dir, "big", connection);
      expect(r.failed, r.failed && `${r.failed.step.name}: ${r.failed.stderr}`).toBeUndefined();
      expect(r.outputs).toEqual({ exitcode: "2", changes: "true" });
      const md = await readFile(join(dir, "plan.md"), "utf8");
      // pcplan fitted it, leaving the workflow's lines room under GitHub's limit.
      expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
      const note =
        /\n> \*\*Preview truncated:\*\* \d+ more customers with changes not shown \(GitHub's 65,536-character limit for a comment\)\. The full plan is in the saved plan artifact; run `pcplan show plan\.json`\.\n(\n#### Costs[^]*)?$/;
      expect(md).toMatch(note);

      const comments: Comment[] = [];
      expect(await runCommentScript(dir, comments, r)).toEqual(["create"]);
      const body = comments[0].body;
      expect(body.length).toBeLessThanOrEqual(65_536);
      // Posted whole: marker, pcplan's markdown unchanged, the footer.
      expect(body).toBe(
        `<!-- pcplan-plan -->\n${md}\n\n<sub>Preview of 0123456 · [run](https://github.com/contoso-partner/licenses/actions/runs/42) · saved plan in the \`pcplan-plan\` artifact</sub>\n`,
      );
      const count = (re: RegExp) => body.match(re)?.length ?? 0;
      expect(count(/<details>/g)).toBeGreaterThan(50);
      expect(count(/<details>/g)).toBe(count(/<\/details>/g));
      expect(count(/^```/gm) % 2).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});

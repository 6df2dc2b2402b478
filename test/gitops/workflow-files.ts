import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO } from "../helpers/cli.js";

/** A GitHub Actions workflow, typed loosely: the tests check the shape they rely on. */
export interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  "continue-on-error"?: boolean;
}

export interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  outputs?: Record<string, string>;
  "runs-on"?: unknown;
  permissions?: Record<string, string> | string;
  environment?: string | { name: string };
  concurrency?: unknown;
  strategy?: { "fail-fast"?: boolean; matrix?: Record<string, unknown> };
  env?: Record<string, unknown>;
  steps: Step[];
}

export interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; "cancel-in-progress"?: boolean } | string;
  jobs: Record<string, Job>;
}

export const WORKFLOW_DIR = join(REPO, ".github", "workflows");

export function workflowFiles(): string[] {
  return readdirSync(WORKFLOW_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

/** Strict parse: duplicate keys are an error, as they would silently override on GitHub. */
export function loadWorkflow(file: string): Workflow {
  return parse(readFileSync(join(WORKFLOW_DIR, file), "utf8"), { uniqueKeys: true, strict: true }) as Workflow;
}

export function allSteps(wf: Workflow): { job: string; step: Step }[] {
  return Object.entries(wf.jobs).flatMap(([job, j]) => j.steps.map((step) => ({ job, step })));
}

/** The inline script of an actions/github-script step ("" for other steps). */
export function scriptOf(step: Step): string {
  const script = step.with?.script;
  return typeof script === "string" ? script : "";
}

/** The wrapper that fetches (and renews) the GitHub OIDC token for the command it runs. */
export const OIDC_WRAPPER = "npx tsx scripts/with-github-oidc-token.ts -- ";

/** The GitHub OIDC token is requested (our wrapper, getIDToken, or the raw request URL). */
export function usesOidc(job: Job): boolean {
  return job.steps.some((s) => {
    const text = `${s.run ?? ""}${scriptOf(s)}`;
    return text.includes(OIDC_WRAPPER) || /getIDToken\(|ACTIONS_ID_TOKEN_REQUEST/.test(text);
  });
}

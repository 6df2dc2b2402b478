/**
 * The workflows upload the HTML report as an artifact and link it from the job summary. The
 * apply workflow's report steps run here as GitHub would run them (bash, GITHUB_STEP_SUMMARY),
 * against the sandbox after an apply; the preview's link script runs with a stand-in `core.summary`.
 */
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, runCli, tempCheckout } from "../helpers/cli.js";
import { loadWorkflow, scriptOf, type Step } from "../gitops/workflow-files.js";

const NOW = "2026-11-24T00:00:00Z";
const URL = "https://github.com/contoso-partner/licenses/actions/runs/42/artifacts/7";

/** The report's producing step, its upload and its summary link, in that order. */
function reportSteps(file: string, html: string): { make: Step; upload: Step; link: Step } {
  const steps = Object.values(loadWorkflow(file).jobs)[0]?.steps ?? [];
  const make = steps.find((s) => s.run?.includes(`--format html --out ${html}`));
  const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@") && s.with?.path === html);
  const link = steps.find((s) => s.env?.ARTIFACT_URL === `\${{ steps.${upload?.id ?? "?"}.outputs.artifact-url }}`);
  if (!make || !upload || !link) throw new Error(`${file}: no html report, upload or link step for ${html}`);
  expect(steps.indexOf(make)).toBeLessThan(steps.indexOf(upload));
  expect(steps.indexOf(upload)).toBeLessThan(steps.indexOf(link));
  expect(upload.if).toContain(`steps.${make.id}.outcome == 'success'`);
  expect(upload.with?.["if-no-files-found"]).toBe("error");
  return { make, upload, link };
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<number | null> {
  const prelude = `npx() { shift; node "${BIN}" "$@" --sandbox --now "${NOW}"; }\n`;
  return new Promise((done, fail) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", prelude + script], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", CI: "true", ...env },
      stdio: "ignore",
    });
    child.on("error", fail);
    child.on("close", done);
  });
}

describe("workflows publish the HTML report", () => {
  it("apply.yml writes status.html after the apply, uploads it and links it from the job summary", { timeout: 120_000 }, async () => {
    const { make, link } = reportSteps("apply.yml", "status.html");
    const cwd = await tempCheckout();
    const applied = await runCli(["apply", "--auto-approve", "--sandbox", "--now", NOW, "--customer", "c7440f08-58ba-412d-8731-e453f8e7ad85"], { cwd });
    expect(applied.code, applied.stderr).toBe(0);
    const summary = join(cwd, "summary.md");
    await writeFile(summary, "### pcplan plan\n");
    expect(await bash(make.run ?? "", cwd, {})).toBe(0);
    const page = await readFile(join(cwd, "status.html"), "utf8");
    // The audit log the apply wrote gives the suspension its deprovisioning date and the last change.
    expect(page).toMatch(/suspended MCOIMP deprovisioned/);
    expect(page).toMatch(/suspend <span class="outcome-ok">✓ ok<\/span>/);
    expect(await bash(link.run ?? "", cwd, { ARTIFACT_URL: URL, GITHUB_STEP_SUMMARY: summary })).toBe(0);
    expect(await readFile(summary, "utf8")).toBe(
      `### pcplan plan\n\n**[Status report](${URL})** (status.html: download, unzip, open in any browser; it loads nothing from the network)\n`,
    );
  });

  it("plan-preview.yml uploads plan.html and links it from the job summary", async () => {
    const { make, link } = reportSteps("plan-preview.yml", "plan.html");
    expect(make.run).toContain("npx pcplan plan plans");
    let written = "";
    const summary = { addRaw: (s: string) => ((written += s), summary), write: () => Promise.resolve(summary) };
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
    process.env.ARTIFACT_URL = URL;
    try {
      await new AsyncFunction("core", scriptOf(link))({ summary });
    } finally {
      delete process.env.ARTIFACT_URL;
    }
    expect(written).toContain(`**[HTML preview](${URL})**`);
  });
});

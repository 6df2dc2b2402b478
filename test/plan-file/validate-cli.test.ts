/**
 * `pcplan validate` as a user runs it from the repository's root, in-process through `main`
 * (test/helpers/in-process.ts): exit codes, located diagnostics, the JSON document, and GitHub
 * annotations only when GITHUB_ACTIONS=true is in the environment of the run.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { githubAnnotation } from "../../src/cli/views/validate.js";
import { runMain } from "../helpers/in-process.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The test runner may itself run under GitHub Actions: the variable is set only where a test says so. */
const pcplan = (args: string[], env: Record<string, string> = {}) => runMain(args, { cwd: ROOT, env: { GITHUB_ACTIONS: undefined, ...env } });

describe("pcplan validate", () => {
  it("exits 0 for the example plans (plans/ by default)", async () => {
    const r = await pcplan(["validate"]);
    expect(r.stdout).toBe("6 plan files valid.\n");
    expect(r.code).toBe(0);
  });

  it("exits 1 with located diagnostics and a summary", async () => {
    const r = await pcplan(["validate", "plans", "test/plan-file/bad/unknown-sku.yaml", "test/plan-file/bad/invalid-upn.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")).toEqual([
      'test/plan-file/bad/invalid-upn.yaml:9:11  spec.customers[0].id  customer 6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a is already in plan "office365-f1" (plans/office365-f1.yaml:15:11)',
      'test/plan-file/bad/invalid-upn.yaml:13:11  spec.customers[0].exclude[1]  "ceo" is not a user principal name (expected user@domain, e.g. ceo@fabrikam.onmicrosoft.com)',
      "test/plan-file/bad/invalid-upn.yaml:14:11  spec.customers[0].exclude[2]  warning: ceo@fabrikam.onmicrosoft.com is already excluded",
      'test/plan-file/bad/unknown-sku.yaml:4:9  metadata.name  plan name "bad-example" is already used at test/plan-file/bad/invalid-upn.yaml:4:9',
      'test/plan-file/bad/unknown-sku.yaml:7:18  spec.target.sku  unknown SKU "DESKLESPACK" (did you mean "DESKLESSPACK"?)',
      'test/plan-file/bad/unknown-sku.yaml:9:11  spec.customers[0].id  customer 6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a is already in plan "office365-f1" (plans/office365-f1.yaml:15:11)',
      "5 errors, 1 warning in 2 of 8 files.",
      "",
    ]);
  });

  it("counts the files with errors, out of the files checked, and names a tab as a tab", async () => {
    const r = await pcplan(["validate", "plans", "test/plan-file/bad/tab-indent.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")).toEqual([
      "test/plan-file/bad/tab-indent.yaml:9:1  -  tab used for indentation: YAML indents with spaces only; replace the tab with spaces",
      "test/plan-file/bad/tab-indent.yaml:10:1  -  tab used for indentation: YAML indents with spaces only; replace the tab with spaces",
      "2 errors in 1 of 7 files.",
      "",
    ]);
    const one = await pcplan(["validate", "test/plan-file/bad/same-sku.yaml"]);
    expect(one.stdout).toMatch(/\n1 error in 1 file\.\n$/);
    // A path that does not exist is a file with an error too.
    const missing = await pcplan(["validate", "plans", "no-such-plan.yaml"]);
    expect(missing.stdout).toMatch(/\n1 error in 1 of 7 files\.\n$/);
  });

  it("--format json prints only a versioned JSON document", async () => {
    const r = await pcplan(["validate", "--format", "json", "test/plan-file/bad/same-sku.yaml"], { GITHUB_ACTIONS: "true" });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ formatVersion: 1, valid: false, files: [{ path: "test/plan-file/bad/same-sku.yaml" }] });
    expect(out.diagnostics).toEqual([
      {
        severity: "error",
        code: "same-sku",
        file: "test/plan-file/bad/same-sku.yaml",
        line: 7,
        col: 18,
        path: "spec.target.sku",
        message: "target is the source SKU (MCOIMP): nothing would change",
      },
    ]);
    expect(r.stderr).toContain("::error file=test/plan-file/bad/same-sku.yaml,line=7,col=18,title=pcplan validate::spec.target.sku target is");
  });

  it("prints GitHub annotations under GITHUB_ACTIONS=true, and only then", async () => {
    const args = ["validate", "test/plan-file/bad/feature-loss.yaml", "test/plan-file/warn"];
    const ci = await pcplan(args, { GITHUB_ACTIONS: "true" });
    expect(ci.code).toBe(1);
    expect(ci.stdout).toContain(
      "::error file=test/plan-file/bad/feature-loss.yaml,line=7,col=18,title=pcplan validate::spec.target.sku EXCHANGESTANDARD does not cover MCOIMP",
    );
    expect(ci.stdout).toContain("::warning file=test/plan-file/warn/feature-loss-allowed.yaml,line=7,col=18,title=pcplan validate::spec.target.sku users lose");
    const local = await pcplan(args);
    expect(local.stdout).not.toContain("::error");
  });

  it("escapes annotation properties and data per GitHub's rules", () => {
    const line = githubAnnotation({ severity: "error", code: "schema", file: "a:b,c%.yaml", line: 2, col: 3, path: "x", message: "50%\r\nnext: a,b" });
    expect(line).toBe("::error file=a%3Ab%2Cc%25.yaml,line=2,col=3,title=pcplan validate::x 50%25%0D%0Anext: a,b");
  });
});

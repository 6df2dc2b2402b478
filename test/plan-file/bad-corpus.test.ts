import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadPlans } from "../../src/plan-file/index.js";

/**
 * The bad-plan corpus: every file in bad/ with every diagnostic it must produce, exactly
 * (code, LINE:COL, field path, message) and nothing else. Each file is loaded on its own.
 * A code prefixed "warning:" is expected as a warning.
 */
const BAD_DIR = fileURLToPath(new URL("./bad/", import.meta.url));

type Expected = [code: string, at: string, path: string, message: string];

const CORPUS: { file: string; expect: Expected[] }[] = [
  {
    file: "alias-bomb.yaml",
    expect: [["yaml-alias", "12:10", '["x-b"][0]', "too many aliases (over 100 expansions): refused as a possible alias bomb"]],
  },
  {
    file: "ambiguous-sku.yaml",
    expect: [
      [
        "ambiguous-sku",
        "7:18",
        "spec.target.sku",
        'SKU "MCOPSTN5" is ambiguous: it names 2 SKUs, 54a152dc-90de-4996-93d2-bc47e670fc06 (Skype for Business PSTN Domestic Calling (120 Minutes)), d43177b5-475b-4880-92d4-d54c27b5efbd (Skype for Business PSTN Calling Domestic Small); use the skuId',
      ],
    ],
  },
  {
    file: "bad-customer-guid.yaml",
    expect: [["schema", "9:11", "spec.customers[0].id", "must be a GUID (the customer's tenant id), e.g. 6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a"]],
  },
  {
    file: "bad-name-slug.yaml",
    expect: [["schema", "4:9", "metadata.name", "must be a lowercase slug: a-z, 0-9 and single hyphens inside (e.g. retire-skype-plan1)"]],
  },
  {
    file: "bad-sku-pattern.yaml",
    expect: [["schema", "7:18", "spec.target.sku", "must be a skuPartNumber (e.g. DESKLESSPACK) or a skuId GUID"]],
  },
  {
    file: "constructor-key.yaml",
    expect: [
      [
        "schema",
        "6:3",
        "spec.constructor",
        'unknown field "constructor" (expected one of: source, target, customers, suspendSource, purchase, decommission, strategy, groups, servicePlans, usageLocation, seats, allowFeatureLoss)',
      ],
    ],
  },
  {
    file: "custom-tag.yaml",
    expect: [["yaml-unknown-tag", "7:23", "spec.target.sku", "unknown tag !env: plan files hold plain data only"]],
  },
  {
    file: "customer-target-unknown.yaml",
    expect: [["unknown-sku", "10:22", "spec.customers[0].target.sku", 'unknown SKU "m365_f1" (did you mean "M365_F1"?)']],
  },
  {
    file: "customer-without-id.yaml",
    expect: [["schema", "9:7", "spec.customers[0].id", 'missing required field "id"']],
  },
  {
    file: "customers-empty.yaml",
    expect: [["schema", "8:14", "spec.customers", "must list at least 1 item"]],
  },
  {
    file: "duplicate-customer.yaml",
    expect: [
      ["duplicate-customer", "11:11", "spec.customers[1].id", "customer 6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a is already listed at spec.customers[0] (line 9)"],
    ],
  },
  {
    file: "duplicate-key.yaml",
    expect: [["yaml-duplicate-key", "8:3", "spec.source", 'duplicate key "source": a key may appear only once in a mapping']],
  },
  {
    file: "empty-file.yaml",
    expect: [["empty-document", "1:1", "", "the file holds no plan"]],
  },
  {
    file: "exclude-not-list.yaml",
    expect: [["schema", "11:16", "spec.customers[0].exclude", "must be a list, not a string"]],
  },
  {
    file: "feature-loss-customer.yaml",
    expect: [
      [
        "feature-loss",
        "10:22",
        "spec.customers[0].target.sku",
        "POWER_BI_PRO does not cover MCOIMP: it lacks Skype for Business Online (Plan 1) (MCOIMP); choose a target that includes them or set spec.allowFeatureLoss: true",
      ],
    ],
  },
  {
    file: "feature-loss.yaml",
    expect: [
      [
        "feature-loss",
        "7:18",
        "spec.target.sku",
        "EXCHANGESTANDARD does not cover MCOIMP: it lacks Skype for Business Online (Plan 1) (MCOIMP); choose a target that includes them or set spec.allowFeatureLoss: true",
      ],
    ],
  },
  {
    file: "github-workflow.yaml",
    expect: [["not-a-plan", "1:1", "", "not a pcplan plan: expected apiVersion: pcplan/v1 and kind: MigrationPlan"]],
  },
  {
    file: "invalid-upn.yaml",
    expect: [
      ["invalid-upn", "13:11", "spec.customers[0].exclude[1]", '"ceo" is not a user principal name (expected user@domain, e.g. ceo@fabrikam.onmicrosoft.com)'],
      ["warning:duplicate-exclude", "14:11", "spec.customers[0].exclude[2]", "ceo@fabrikam.onmicrosoft.com is already excluded"],
    ],
  },
  {
    file: "many-errors.yaml",
    expect: [
      ["schema", "4:9", "metadata.name", "must be a lowercase slug: a-z, 0-9 and single hyphens inside (e.g. retire-skype-plan1)"],
      ["schema", "7:3", "spec.target.sku", 'missing required field "sku"'],
      ["schema", "9:11", "spec.customers[0].id", "must be a GUID (the customer's tenant id), e.g. 6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a"],
      ["schema", "10:14", "spec.customers[0].seats", 'must be "users" or a whole number of seats (1 or more)'],
      [
        "schema",
        "11:7",
        "spec.customers[0].extra",
        'unknown field "extra" (expected one of: id, name, target, exclude, seats, purchase, decommission, strategy, groups, servicePlans, usageLocation)',
      ],
      ["schema", "12:21", "spec.allowFeatureLoss", "must be true or false, not a string"],
    ],
  },
  {
    file: "missing-spec.yaml",
    expect: [["schema", "1:1", "spec", 'missing required field "spec"']],
  },
  {
    file: "proto-key.yaml",
    expect: [["schema", "5:3", "metadata.__proto__", 'unknown field "__proto__" (expected one of: name, description)']],
  },
  {
    file: "root-list.yaml",
    expect: [["not-a-plan", "1:1", "", "not a pcplan plan: expected a mapping with apiVersion: pcplan/v1 and kind: MigrationPlan"]],
  },
  {
    file: "same-sku.yaml",
    expect: [["same-sku", "7:18", "spec.target.sku", "target is the source SKU (MCOIMP): nothing would change"]],
  },
  {
    file: "seats-word.yaml",
    expect: [["schema", "11:14", "spec.customers[0].seats", 'must be "users" or a whole number of seats (1 or more)']],
  },
  {
    file: "seats-zero.yaml",
    expect: [["schema", "11:10", "spec.seats", 'must be "users" or a whole number of seats (1 or more)']],
  },
  {
    file: "second-document-not-a-plan.yaml",
    expect: [["not-a-plan", "12:1", "", 'not a pcplan plan (found apiVersion "v1", kind "ConfigMap"): expected apiVersion: pcplan/v1 and kind: MigrationPlan']],
  },
  {
    file: "source-as-string.yaml",
    expect: [["schema", "6:11", "spec.source", "must be a mapping, not a string"]],
  },
  {
    file: "source-unknown-guid.yaml",
    expect: [["unknown-sku", "6:18", "spec.source.sku", 'unknown SKU "00000000-0000-0000-0000-000000000000"']],
  },
  {
    file: "suspend-not-boolean.yaml",
    expect: [["schema", "11:18", "spec.suspendSource", "must be true or false, not a string"]],
  },
  {
    // Tabs derail the parser ("A block sequence may not be used as an implicit map key" at 8:13
    // came first): the tabs are named, once per line, and nothing else.
    file: "tab-indent.yaml",
    expect: [
      ["yaml-syntax", "9:1", "", "tab used for indentation: YAML indents with spaces only; replace the tab with spaces"],
      ["yaml-syntax", "10:1", "", "tab used for indentation: YAML indents with spaces only; replace the tab with spaces"],
    ],
  },
  {
    file: "trailing-empty-document.yaml",
    expect: [["empty-document", "11:1", "", "empty document: every document in a plan file must be a plan"]],
  },
  {
    file: "unknown-field.yaml",
    expect: [["schema", "5:3", "metadata.descripton", 'unknown field "descripton" (did you mean "description"?)']],
  },
  {
    file: "unknown-sku.yaml",
    expect: [["unknown-sku", "7:18", "spec.target.sku", 'unknown SKU "DESKLESPACK" (did you mean "DESKLESSPACK"?)']],
  },
  {
    file: "unknown-tag.yaml",
    expect: [["yaml-unknown-tag", "7:20", "spec.target", "unknown tag !!binary: plan files hold plain data only"]],
  },
  {
    file: "unresolved-alias.yaml",
    expect: [["yaml-alias", "7:11", "spec.target", "Unresolved alias (the anchor must be set before the alias): f1"]],
  },
  {
    file: "wrong-api-version.yaml",
    expect: [["schema", "1:13", "apiVersion", 'must be "pcplan/v1"']],
  },
  {
    file: "wrong-kind.yaml",
    expect: [["schema", "2:7", "kind", 'must be "MigrationPlan"']],
  },
  {
    file: "yaml-1.1.yaml",
    expect: [["yaml-syntax", "2:1", "", "%YAML 1.1 is not supported: plan files are YAML 1.2"]],
  },
  {
    file: "yaml-syntax.yaml",
    expect: [["yaml-syntax", "7:3", "spec.target", "Flow map in block collection must be sufficiently indented and end with a }"]],
  },
];

describe("bad plan corpus", () => {
  it("has at least 25 files, each listed once", async () => {
    const { readdir } = await import("node:fs/promises");
    const onDisk = (await readdir(BAD_DIR)).filter((f) => f.endsWith(".yaml")).sort();
    expect(CORPUS.map((c) => c.file).sort()).toEqual(onDisk);
    expect(onDisk.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CORPUS)("$file", async ({ file, expect: expected }) => {
    const result = await loadPlans([file], { cwd: BAD_DIR });
    const got = result.diagnostics.map((d): Expected => [d.severity === "warning" ? `warning:${d.code}` : d.code, `${d.line}:${d.col}`, d.path, d.message]);
    expect(got).toEqual(expected);
    for (const d of result.diagnostics) expect(d.file).toBe(file);
    expect(result.diagnostics.some((d) => d.severity === "error")).toBe(true);
  });
});

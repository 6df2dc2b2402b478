import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDiagnostic, loadPlans } from "../../src/plan-file/index.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const at = (d: { line: number; col: number }) => `${d.line}:${d.col}`;

describe("the example plans", () => {
  it("are valid and match docs/demo-world.md", async () => {
    const result = await loadPlans(["plans"], { cwd: ROOT });
    expect(result.diagnostics).toEqual([]);
    const summary = Object.fromEntries(
      result.plans.map((p) => [p.name, { source: p.source.skuPartNumber, target: p.target.skuPartNumber, customers: p.customers.map((c) => c.name) }]),
    );
    expect(summary).toEqual({
      "office365-f1": {
        source: "MCOIMP",
        target: "DESKLESSPACK",
        customers: ["Contoso Ltd", "Northwind Traders", "Woodgrove Bank", "Adventure Works", "Wide World Importers"],
      },
      "microsoft365-f1": { source: "MCOIMP", target: "M365_F1", customers: ["Fabrikam Inc"] },
      "office365-e1": { source: "MCOIMP", target: "STANDARDPACK", customers: ["Litware Inc"] },
      "government-f3": { source: "MCOIMP_GOV", target: "M365_F1_GOV", customers: ["Tailspin County"] },
      "business-basic-to-standard": {
        source: "O365_BUSINESS_ESSENTIALS",
        target: "O365_BUSINESS_PREMIUM",
        customers: ["Alpine Ski House", "Coho Winery", "Fourth Coffee", "Lamna Healthcare", "Margie's Travel", "Relecloud", "Tailwind Traders"],
      },
      "office365-f1-groups": { source: "MCOIMP", target: "DESKLESSPACK", customers: ["Lucerne Publishing"] },
    });
    // The new-commerce plan's settings, resolved per customer (plan defaults, then overrides).
    const nce = result.plans.find((p) => p.name === "business-basic-to-standard")!.customers;
    expect(nce.map((c) => [c.name, c.purchase.country ?? "-", c.purchase.term, c.purchase.billing, c.decommission, c.strategy])).toEqual([
      ["Alpine Ski House", "-", "P1Y", "monthly", "auto", "purchase"],
      ["Coho Winery", "GB", "P1Y", "monthly", "auto", "purchase"],
      ["Fourth Coffee", "-", "P1Y", "monthly", "auto", "transition"],
      ["Lamna Healthcare", "-", "P1Y", "monthly", "auto", "transition"],
      ["Margie's Travel", "-", "P1Y", "monthly", "auto", "transition"],
      ["Relecloud", "-", "P1Y", "monthly", "auto", "purchase"],
      ["Tailwind Traders", "-", "P1Y", "monthly", "auto", "purchase"],
    ]);
    const fabrikam = result.plans.find((p) => p.name === "microsoft365-f1")!.customers[0];
    expect(fabrikam).toMatchObject({
      id: "367930e6-12d8-4ecc-a320-aabd3f9ebaa0",
      exclude: ["ceo@fabrikam.onmicrosoft.com"],
      seats: "users",
      target: { skuId: "44575883-256e-4a79-9da4-ebe9acabe2b2", skuPartNumber: "M365_F1" },
      at: { file: "plans/microsoft365-f1.yaml", line: 13, col: 7 },
    });
    const ids = result.plans.flatMap((p) => p.customers.map((c) => c.id));
    expect(ids).not.toContain("2b3de9bc-b14a-4216-86c0-c3db61c9641d"); // Proseware is in no plan
    expect(result.plans.every((p) => p.suspendSource && !p.allowFeatureLoss && p.seats === "users")).toBe(true);
    expect(result.files.map((f) => f.path)).toEqual([
      "plans/business-basic-to-standard.yaml",
      "plans/government-f3.yaml",
      "plans/microsoft365-f1.yaml",
      "plans/office365-e1.yaml",
      "plans/office365-f1-groups.yaml",
      "plans/office365-f1.yaml",
    ]);
  });

  it("each starts with the yaml-language-server schema comment", async () => {
    const { readFile, readdir } = await import("node:fs/promises");
    for (const f of await readdir(join(ROOT, "plans"))) {
      expect((await readFile(join(ROOT, "plans", f), "utf8")).split("\n")[0]).toBe("# yaml-language-server: $schema=../schemas/plan.schema.json");
    }
  });
});

describe("collecting diagnostics", () => {
  it("reports every schema error of one file, in source order", async () => {
    const result = await loadPlans(["test/plan-file/bad/many-errors.yaml"], { cwd: ROOT });
    expect(result.diagnostics.map(at)).toEqual(["4:9", "7:3", "9:11", "10:14", "11:7", "12:21"]);
    expect(result.plans).toEqual([]);
  });

  it("reports errors of all files, not just the first", async () => {
    const result = await loadPlans(["test/plan-file/bad/unknown-sku.yaml", "test/plan-file/bad/github-workflow.yaml", "plans", "nope/"], { cwd: ROOT });
    expect(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`)).toEqual([
      "nope/:1:1 file-not-found",
      "test/plan-file/bad/github-workflow.yaml:1:1 not-a-plan",
      "test/plan-file/bad/unknown-sku.yaml:7:18 unknown-sku",
      // Contoso is in plans/office365-f1.yaml, which sorts first.
      "test/plan-file/bad/unknown-sku.yaml:9:11 duplicate-customer",
    ]);
    expect(result.plans).toHaveLength(6);
  });

  it("finds customers and plan names used twice across plans", async () => {
    const result = await loadPlans(["plans", "test/plan-file/cross"], { cwd: ROOT });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'test/plan-file/cross/duplicates.yaml:5:9  metadata.name  plan name "office365-f1" is already used at plans/office365-f1.yaml:9:9',
      'test/plan-file/cross/duplicates.yaml:12:11  spec.customers[1].id  customer 6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a is already in plan "office365-f1" (plans/office365-f1.yaml:15:11)',
    ]);
    expect(result.plans.map((p) => p.file)).not.toContain("test/plan-file/cross/duplicates.yaml");
  });

  it("accepts a feature loss with allowFeatureLoss, as a warning naming the lost features", async () => {
    const result = await loadPlans(["test/plan-file/warn"], { cwd: ROOT });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      "test/plan-file/warn/feature-loss-allowed.yaml:7:18  spec.target.sku  warning: users lose features of MCOIMP moving to EXCHANGESTANDARD: Skype for Business Online (Plan 1) (MCOIMP) (accepted by allowFeatureLoss)",
    ]);
    expect(result.plans.map((p) => p.name)).toEqual(["exchange-only"]);
  });

  it("does not let __proto__ or constructor keys pollute prototypes", async () => {
    await loadPlans(["test/plan-file/bad/proto-key.yaml", "test/plan-file/bad/constructor-key.yaml"], { cwd: ROOT });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("hostile and odd files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pcplan-load-"));
    await writeFile(join(dir, "big.yaml"), "# " + "x".repeat(2048) + "\n");
    await writeFile(join(dir, "latin1.yaml"), Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    await mkdir(join(dir, "empty"));
    await mkdir(join(dir, "nested", "deeper"), { recursive: true });
    const plan = (await import("node:fs/promises")).readFile(join(ROOT, "plans/office365-e1.yaml"));
    await writeFile(join(dir, "nested", "deeper", "e1.yml"), "\uFEFF" + (await plan).toString());
    await writeFile(join(dir, "nested", "notes.txt"), "not yaml, not collected");
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("refuses files over the size limit unparsed", async () => {
    const result = await loadPlans(["big.yaml"], { cwd: dir, maxFileBytes: 1024 });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(["big.yaml:1:1  -  file is 2051 bytes, over the 1024-byte limit for plan files"]);
  });

  it("refuses text that is not UTF-8", async () => {
    const result = await loadPlans(["latin1.yaml"], { cwd: dir });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["file-encoding"]);
  });

  it("warns about an empty folder and walks nested folders for .yaml/.yml (BOM allowed)", async () => {
    const result = await loadPlans(["empty", "nested"], { cwd: dir });
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}`)).toEqual(["warning no-plan-files empty"]);
    expect(result.files.map((f) => f.path)).toEqual(["nested/deeper/e1.yml"]);
    expect(result.plans.map((p) => p.name)).toEqual(["office365-e1"]);
  });

  it("hashes the plan files: same content same hash, any change a different one", async () => {
    const a = await loadPlans(["plans"], { cwd: ROOT });
    const b = await loadPlans(["plans/office365-f1.yaml", "plans"], { cwd: ROOT });
    expect(b.hash).toBe(a.hash);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    const c = await loadPlans(["plans/office365-f1.yaml"], { cwd: ROOT });
    expect(c.hash).not.toBe(a.hash);
    expect(a.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

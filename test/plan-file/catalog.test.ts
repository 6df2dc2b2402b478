import { describe, expect, it } from "vitest";
import { loadCatalog, SUPERSESSIONS } from "../../src/catalog/index.js";
import { loadPlans } from "../../src/plan-file/index.js";

const catalog = loadCatalog();
const id = (name: string) => catalog.resolve(name)!.skuId;

describe("SKU catalog", () => {
  it("resolves every SKU the example plans name, by part number and by skuId", async () => {
    const { plans } = await loadPlans(["plans"]);
    const used = new Set(plans.flatMap((p) => [p.source.skuPartNumber, p.target.skuPartNumber, ...p.customers.map((c) => c.target.skuPartNumber)]));
    expect([...used].sort()).toEqual([
      "DESKLESSPACK",
      "M365_F1",
      "M365_F1_GOV",
      "MCOIMP",
      "MCOIMP_GOV",
      "O365_BUSINESS_ESSENTIALS",
      "O365_BUSINESS_PREMIUM",
      "STANDARDPACK",
    ]);
    for (const name of used) {
      const sku = catalog.resolve(name)!;
      expect(sku.skuPartNumber).toBe(name);
      expect(catalog.resolve(sku.skuId.toUpperCase())).toBe(sku);
    }
  });

  it("has Microsoft's ids and the documented supplement", () => {
    expect(id("MCOIMP")).toBe("b8b749f8-a4ef-4887-9539-c95b1eaa5db7");
    expect(id("DESKLESSPACK")).toBe("4b585984-651b-448a-9e53-3b10f069cf7f");
    expect(catalog.resolve("M365_F1")!.displayName).toBe("Microsoft 365 F1");
    const gov = catalog.resolve("MCOIMP_GOV")!;
    expect(gov).toMatchObject({ skuId: "c2f52e0a-5b3c-4a8e-9d3f-0000000000a1", origin: "supplement", government: true });
    expect(catalog.servicePlans(gov.skuId)).toEqual([
      { id: "8a9f17f1-5872-44e8-9b11-3caade9dc90f", name: "MCOIMP_GOV", displayName: "Skype for Business Online (Plan 1) for Government" },
    ]);
    expect(catalog.resolve("M365_F1_GOV")!.government).toBe(true);
    expect(catalog.resolve("DESKLESSPACK")!.government).toBe(false);
  });

  it("cleans the table's stray blanks and knows ambiguous part numbers", () => {
    expect(catalog.resolve("MCOCAP_FACULTY")!.skuId).toBe("420c7602-7f70-4895-9394-d3d679ea36fb");
    expect(catalog.resolve("MCOPSTN5")).toBeUndefined();
    expect(catalog.candidates("MCOPSTN5")).toHaveLength(2);
    expect(catalog.resolve("NOPE")).toBeUndefined();
  });

  it("suggests the closest part number", () => {
    expect(catalog.suggest("DESKLESPACK")).toBe("DESKLESSPACK");
    expect(catalog.suggest("mcoimp")).toBe("MCOIMP");
    expect(catalog.suggest("M365-F1")).toBe("M365_F1");
    expect(catalog.suggest("completely different")).toBeUndefined();
  });

  it("checks feature coverage: directly, through supersession, and loss", () => {
    expect(catalog.missingFeatures(id("MCOIMP"), id("DESKLESSPACK"))).toEqual([]);
    expect(catalog.missingFeatures(id("MCOIMP"), id("M365_F1"))).toEqual([]);
    expect(catalog.servicePlans(id("STANDARDPACK")).map((p) => p.name)).not.toContain("MCOIMP");
    expect(catalog.missingFeatures(id("MCOIMP"), id("STANDARDPACK"))).toEqual([]); // MCOSTANDARD covers MCOIMP
    expect(catalog.missingFeatures(id("MCOIMP_GOV"), id("M365_F1_GOV"))).toEqual([]);
    expect(catalog.missingFeatures(id("MCOIMP"), id("POWER_BI_PRO")).map((p) => p.name)).toEqual(["MCOIMP"]);
    // Supersession is one-way: Plan 1 does not cover Plan 2.
    expect(catalog.missingFeatures(id("MCOSTANDARD"), id("MCOIMP")).map((p) => p.name)).toEqual(["MCOSTANDARD"]);
  });

  it("supersession entries name service plans that exist in the catalog", () => {
    const plans = new Map(catalog.skus.flatMap((s) => catalog.servicePlans(s.skuId)).map((p) => [p.id, p.name]));
    for (const s of SUPERSESSIONS) {
      expect(plans.get(s.plan.id)).toBe(s.plan.name);
      expect(plans.get(s.covers.id)).toBe(s.covers.name);
    }
  });
});

/** The new-commerce price list as Partner Center exports it: quoting, a byte-order mark, effective dates, errors named by line. */
import { describe, expect, it } from "vitest";
import { mergeCostReports } from "../../src/costs/compute-costs.js";
import { findPrice, parsePriceSheet } from "../../src/costs/price-sheet.js";

const HEAD =
  '\uFEFF"ProductTitle","ProductId","SkuId","TermDuration","BillingPlan","Market","Currency","UnitPrice","EffectiveStartDate","EffectiveEndDate"\r\n';

describe("parsePriceSheet", () => {
  it("reads quoted fields and picks the row whose effective dates hold the day, the latest start first", () => {
    const sheet = parsePriceSheet(
      HEAD +
        '"Basic, ""old""",CFQ7TTC0LH18,1,P1Y,Annual,US,USD,60,2025-01-01T00:00:00Z,2026-03-31T23:59:59Z\r\n' +
        "Basic,CFQ7TTC0LH18,0001,P1Y,Annual,US,USD,72,2026-04-01T00:00:00Z,9999-11-30T23:59:59Z\r\n",
      "prices.csv",
    );
    const want = { productId: "cfq7ttc0lh18", skuId: "0001", term: "P1Y", billing: "Annual" };
    expect(findPrice(sheet, want, "2026-02-01T00:00:00Z")?.unitPrice).toBe(60);
    expect(findPrice(sheet, want, "2026-12-01T00:00:00Z")?.unitPrice).toBe(72);
    expect(findPrice(sheet, { ...want, billing: "monthly" }, "2026-12-01T00:00:00Z")).toBeUndefined();
  });

  it("refuses a file that is not a price list, and a price that is not a number, naming the line", () => {
    expect(() => parsePriceSheet("a,b\n1,2\n", "x.csv")).toThrow(/x\.csv: not a new-commerce price list: no column ProductId/);
    expect(() => parsePriceSheet(HEAD + "B,CFQ7TTC0LH18,0001,P1Y,Annual,US,USD,free,,\r\n", "x.csv")).toThrow(
      /x\.csv, line 2: UnitPrice "free" is not a price/,
    );
  });
});

describe("mergeCostReports", () => {
  const cost = (customerId: string, monthlyIncrease: number) => ({
    customerId,
    name: customerId.toUpperCase(),
    monthlyIncrease,
    overlap: 1,
    refund: 0,
    saving: 0,
    details: [],
    missing: [],
  });
  const report = (currency: string, source: string, ...customers: ReturnType<typeof cost>[]) => ({
    currency,
    source,
    customers,
    total: { monthlyIncrease: 0, overlap: 0, refund: 0, saving: 0 },
  });

  it("keeps the customers' order and sums one currency; another currency is shown apart, out of the total", () => {
    const merged = mergeCostReports(
      [
        report("USD", "the price sheet US 2026-12", cost("b", 10), cost("d", 2.5)),
        report("GBP", "the price sheet GB 2026-12", cost("a", 8)),
        report("", "empty", cost("c", 0)),
      ],
      ["a", "b", "c", "d"],
    );
    expect(merged.customers.map((c) => c.customerId)).toEqual(["a", "b", "c", "d"]);
    expect(merged.currency).toBe("USD");
    expect(merged.total).toEqual({ monthlyIncrease: 12.5, overlap: 3, refund: 0, saving: 0 });
    expect(merged.customers[0]).toMatchObject({ monthlyIncrease: 0, overlap: 0 });
    expect(merged.customers[0]?.missing[0]).toBe("priced in GBP (the price sheet GB 2026-12): +8.00 GBP a month, left out of the total");
    expect(merged.source).toBe("the price sheet US 2026-12, the price sheet GB 2026-12, empty");
  });
});

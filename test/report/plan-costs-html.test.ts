/** What the plan costs on the HTML plan preview (issue 26): a row per customer, the total, escaped like the rest of the page. */
import { describe, expect, it } from "vitest";
import type { CostReport } from "../../src/costs/compute-costs.js";
import { renderPlanHtml, type ReportMeta } from "../../src/render/html/index.js";

const META: ReportMeta = { generatedAt: "2026-12-04T09:30:00Z", plansHash: "ab".repeat(32), version: "9.8.7", warnDays: 30 };
const REPORT = { formatVersion: 1 as const, now: "2026-12-04T00:00:00Z", plans: [] };
const HOSTILE = `Evil <script>alert(1)</script> & 'co'`;

const customer = (customerId: string, name: string, figures: Partial<CostReport["customers"][number]>) => ({
  customerId,
  name,
  monthlyIncrease: 0,
  overlap: 0,
  refund: 0,
  saving: 0,
  details: [],
  missing: [],
  ...figures,
});

const COSTS: CostReport = {
  currency: "USD",
  source: "the price sheet US 2026-12",
  customers: [
    customer("lamna", "Lamna Healthcare", { monthlyIncrease: 62.5, overlap: 163.73 }),
    customer("fourth", "Fourth Coffee", { saving: 830.14 }),
    customer("quiet", "Quiet Co", {}),
    customer("evil", HOSTILE, { monthlyIncrease: 5, missing: [`<b>${HOSTILE}</b> (legacy subscription s1)`] }),
  ],
  total: { monthlyIncrease: 67.5, overlap: 163.73, refund: 0, saving: 830.14 },
};

/** The cells of a table row, tags stripped. */
function cells(page: string, marker: string): string[] {
  const row = new RegExp(`<tr[^>]*${marker}[^>]*>([\\s\\S]*?)</tr>`).exec(page)?.[1] ?? "";
  return [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => (m[1] ?? "").replace(/<[^>]+>/g, "").trim());
}

describe("renderPlanHtml with costs", () => {
  it("shows a row per customer with figures, the plan's total and a header chip", () => {
    const page = renderPlanHtml(REPORT, [], META, COSTS);
    expect(page).toContain("<caption>USD, from the price sheet US 2026-12</caption>");
    expect(cells(page, 'data-customer="lamna"')).toEqual(["Lamna Healthcarelamna", "+62.50", "163.73", "–", "–"]);
    expect(cells(page, 'data-customer="fourth"')).toEqual(["Fourth Coffeefourth", "–", "–", "–", "830.14"]);
    expect(page).not.toContain('data-customer="quiet"');
    expect(cells(page, 'class="total"')).toEqual(["Total", "+67.50", "163.73", "–", "830.14"]);
    expect(page).toContain("<li>costs +67.50 USD a month</li>");
  });

  it("escapes names and what is not priced", () => {
    const page = renderPlanHtml(REPORT, [], META, COSTS);
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain("<b>");
    expect(page).toContain("Evil &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;co&#39;");
    expect(page).toMatch(/not priced: &lt;b&gt;Evil/);
    expect(page.match(/<script/g)).toHaveLength(1);
  });

  it("says why nothing is priced, and shows nothing of costs without a report", () => {
    const unpriced = renderPlanHtml(REPORT, [], META, { ...COSTS, customers: [], unpriced: "the price sheet API gave no US sheet (<403>)" });
    expect(unpriced).toContain("Not priced: the price sheet API gave no US sheet (&lt;403&gt;)");
    expect(unpriced).toContain("<li>costs not priced</li>");
    const none = renderPlanHtml(REPORT, [], META);
    expect(none).not.toContain("Costs");
    expect(none).not.toContain("costs ");
  });
});

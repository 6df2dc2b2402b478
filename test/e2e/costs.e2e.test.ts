/**
 * What a plan costs (issue 26), against the sandbox over HTTP, priced from a new-commerce price
 * list as Partner Center exports it (fixtures/demo-prices.csv): a cost line per customer and a
 * total in text, markdown and JSON; and the guard rail --max-monthly-increase, which refuses an
 * apply before any write.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { NCE, basicToStandard, nceWorlds, writePlan, type NceWorld } from "./nce-world.js";

const start = nceWorlds({ inProcess: true });
const PRICES = fileURLToPath(new URL("../../fixtures/demo-prices.csv", import.meta.url));

async function planFor(world: NceWorld, strategy: string, ...customers: string[]): Promise<string> {
  const list = customers.map((id) => `    - id: ${id}`).join("\n");
  return writePlan(world.cwd, `costs-${strategy}`, basicToStandard(`costs-${strategy}`, `  strategy: ${strategy}\n  customers:\n${list}\n`));
}

describe("cost lines from --prices", () => {
  it("text, markdown and JSON: seats × unit price a month, the overlap until the source ends, the saving of at-renewal", async () => {
    const world = await start();
    const buyNow = await planFor(world, "purchase", NCE.lamna, NCE.fourth);
    const text = await world.cli(["plan", buyNow, "--prices", PRICES]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("Costs (USD, from demo-prices.csv):");
    // Lamna: 5 Business Standard seats at 150.00 a year billed monthly (12.50 a month); its 5 Basic seats (6.00 a month) run 166 more days.
    expect(text.stdout).toContain("Lamna Healthcare: cost +62.50 USD a month now; overlap 163.73 until the source ends");
    expect(text.stdout).toContain("Fourth Coffee: cost +125.00 USD a month now; overlap 398.47 until the source ends");
    expect(text.stdout).toContain("Total: +187.50 USD a month; overlap 562.20; refunds 0.00; at-renewal saves 0.00.");

    const md = await world.cli(["plan", buyNow, "--prices", PRICES, "--format", "markdown"]);
    expect(md.stdout).toContain("- **Lamna Healthcare** — cost: +62.50 USD a month now; overlap 163.73 until the source ends");
    expect(md.stdout).toContain("**Total: +187.50 USD a month; overlap 562.20; refunds 0.00; at-renewal saves 0.00.**");

    const atRenewal = await planFor(world, "at-renewal", NCE.fourth);
    const json = await world.cli(["plan", atRenewal, "--prices", PRICES, "--format", "json"]);
    const costs = (JSON.parse(json.stdout) as { costs: { currency: string; total: Record<string, number> } }).costs;
    expect(costs.currency).toBe("USD");
    expect(costs.total).toEqual({ monthlyIncrease: 0, overlap: 0, refund: 0, saving: 830.14 });
    expect(world.writes()).toEqual([]);
  }, 60_000);

  it("without --prices and without a price sheet nothing is priced, and the preview says so", async () => {
    const world = await start({ sandbox: { priceSheet: null } });
    const plan = await planFor(world, "purchase", NCE.lamna);
    const text = (await world.cli(["plan", plan])).stdout;
    expect(text).toContain("Costs: not priced: the price sheet API gave no US sheet");
    expect(text).not.toContain("Total:");
    const json = await world.cli(["plan", plan, "--format", "json"]);
    expect((JSON.parse(json.stdout) as { costs: { unpriced: string; total: object } }).costs.unpriced).toMatch(/^the price sheet API gave no US sheet/);
  }, 60_000);
});

describe("--max-monthly-increase", () => {
  it("refuses an apply that adds more to the monthly bill, naming each customer, before any write", async () => {
    const world = await start();
    const plan = await planFor(world, "purchase", NCE.lamna, NCE.margie);
    const refused = await world.cli(["apply", plan, "--auto-approve", "--prices", PRICES, "--max-monthly-increase", "100"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "the plan adds 137.50 USD a month, more than --max-monthly-increase 100.00: Margie's Travel +75.00, Lamna Healthcare +62.50; nothing was applied",
    );
    expect(world.writes()).toEqual([]);
    // Without --prices, priced from the price sheet the sandbox serves (the same list prices).
    const fromSheet = await world.cli(["apply", plan, "--auto-approve", "--max-monthly-increase", "100"]);
    expect(fromSheet.code).toBe(1);
    expect(fromSheet.stderr).toContain("the plan adds 137.50 USD a month, more than --max-monthly-increase 100.00");
    expect(world.writes()).toEqual([]);
  }, 60_000);
});

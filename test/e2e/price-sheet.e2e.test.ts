/**
 * Prices from the price sheet API (issue 26): without `--prices`, `plan` fetches the partner's
 * new-commerce price sheet of each customer's market from the sandbox over HTTP
 * (GET /v1.0/sales/pricesheets(Market='US',PricesheetView='updatedlicensebased')/$value), keeps
 * it in .pcplan/prices/ for the month, and a second run asks nothing. Without a sheet the preview
 * says so; nothing is guessed. In-process through `main` (test/helpers/in-process.ts).
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox, type SandboxHandle, type SandboxOptions } from "../../src/sandbox/index.js";
import { tempCheckout } from "../helpers/cli.js";
import { runMain } from "../helpers/in-process.js";
import { NCE, basicToStandard, writePlan } from "./nce-world.js";

const NOW = "2026-11-24T00:00:00Z";
let sandbox: SandboxHandle | undefined;

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function world(opts: Partial<SandboxOptions> = {}) {
  sandbox = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), port: 0, clock: NOW, ...opts });
  const sb = sandbox;
  const cwd = await tempCheckout();
  const list = [NCE.lamna, NCE.fourth].map((id) => `    - id: ${id}`).join("\n");
  const plan = await writePlan(cwd, "costs", basicToStandard("costs", `  strategy: purchase\n  customers:\n${list}\n`));
  const cli = (args: string[], token: string = SANDBOX_TOKENS.admin) =>
    runMain([...args, "--endpoint", sb.url, "--now", NOW], { cwd, env: { PARTNER_CENTER_TOKEN: token } });
  const sheetRequests = () => sb.requestLog.filter((r) => r.path.toLowerCase().startsWith("/v1.0/sales/pricesheets"));
  return { cwd, plan, cli, sheetRequests };
}

describe("prices from the price sheet API", () => {
  it("prices the plan from the market's sheet, cached for the month: the second run asks nothing", async () => {
    const w = await world();
    const first = await w.cli(["plan", w.plan]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("Costs (USD, from the price sheet US 2026-11):");
    expect(first.stdout).toContain("Lamna Healthcare: cost +62.50 USD a month now");
    expect(first.stdout).toContain("Total: +187.50 USD a month;");
    expect(w.sheetRequests().map((r) => r.path)).toEqual(["/v1.0/sales/pricesheets(Market='US',PricesheetView='updatedlicensebased')/$value"]);
    expect(w.sheetRequests()[0]?.status).toBe(200);
    expect(await readdir(join(w.cwd, ".pcplan", "prices"))).toEqual([expect.stringMatching(/^[0-9a-f]{12}-US-2026-11\.csv$/)]);

    const second = await w.cli(["plan", w.plan, "--format", "json"]);
    expect(w.sheetRequests()).toHaveLength(1);
    const costs = (JSON.parse(second.stdout) as { costs: { currency: string; source: string; total: { monthlyIncrease: number } } }).costs;
    expect(costs).toMatchObject({ currency: "USD", source: "the price sheet US 2026-11", total: { monthlyIncrease: 187.5 } });

    // The HTML plan preview carries the same figures, from the same cached sheet.
    expect((await w.cli(["plan", w.plan, "--format", "html", "--out", "plan.html"])).code).toBe(0);
    const page = await readFile(join(w.cwd, "plan.html"), "utf8");
    expect(page).toContain("<caption>USD, from the price sheet US 2026-11</caption>");
    expect(page).toMatch(/<tr class="total"><th scope="row">Total<\/th><td class="num" data-label="A month now">\+187\.50<\/td>/);
    expect(w.sheetRequests()).toHaveLength(1);
  }, 60_000);

  it("without a sheet the preview says so and prices nothing; the guard rail refuses", async () => {
    const w = await world({ priceSheet: null });
    const text = await w.cli(["plan", w.plan]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Costs: not priced: the price sheet API gave no US sheet \(.*404.*\); price the plan with --prices FILE\n/);
    expect(text.stdout).not.toContain("Total:");
    const apply = await w.cli(["apply", w.plan, "--auto-approve", "--max-monthly-increase", "1000"]);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain("--max-monthly-increase 1000: the price sheet API gave no US sheet");
    expect(w.sheetRequests().length).toBeGreaterThan(0);
    expect(sandbox?.requestLog.filter((r) => r.write)).toEqual([]);
  }, 60_000);

  it("a market the sheet has no rows for is named as not priced, not guessed", async () => {
    const w = await world({ priceSheet: "Market,ProductId,SkuId,TermDuration,BillingPlan,Currency,UnitPrice\nGB,CFQ7TTC0LDPB,0001,P1Y,Monthly,GBP,120\n" });
    const text = await w.cli(["plan", w.plan]);
    expect(text.stdout).toContain("not priced: O365_BUSINESS_PREMIUM (CFQ7TTC0LDPB:0001, P1Y billed monthly)");
    expect(text.stdout).toContain("Total: +0.00 a month;");
  }, 60_000);
});

/**
 * Co-terming what is bought (issue 26, `purchase.termEnd`), pcplan in-process through `main`
 * against the sandbox over HTTP: the first term's end a purchase is given, in the preview (text,
 * markdown, JSON), on the cart line and on the subscription bought; a date Partner Center does not
 * offer bought for the full term with the reason; the purchase's request id carrying the end date;
 * a bad `termEnd` named with file, line and field.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { NCE, basicToStandard, nceWorlds, writePlan, type NceWorld } from "./nce-world.js";

const start = nceWorlds({ inProcess: true });

/** Alpine Ski House's Business Basic (new commerce, P1Y): ends 2027-11-19 on the sandbox clock (2026-11-24). */
const ALPINE_SOURCE = "2a1da50c-dbc5-57bc-a87a-16c7289ce76b";
const STANDARD = "CFQ7TTC0LDPB:0001";
const PRICES = fileURLToPath(new URL("../../fixtures/demo-prices.csv", import.meta.url));

async function alpinePlan(world: NceWorld, purchase: string): Promise<string> {
  return writePlan(
    world.cwd,
    "co-term",
    basicToStandard("co-term", `  purchase: ${purchase}\n  customers:\n    - id: ${NCE.alpine}\n      name: Alpine Ski House\n`),
  );
}

const cartPosts = (world: NceWorld) => world.writes(NCE.alpine).filter((e) => e.method === "POST" && e.path.endsWith("/carts"));
const bought = (world: NceWorld) => world.customer(NCE.alpine).subscriptions.find((s) => s.offerId.startsWith(`${STANDARD}:`));

describe("purchase.termEnd: source", () => {
  it("ends the first term with the source's: in the preview, on the cart line and on the subscription bought", async () => {
    const world = await start();
    const plan = await alpinePlan(world, "{ termEnd: source }");
    const line =
      "+ purchase O365_BUSINESS_PREMIUM × 8 (new commerce: Microsoft 365 Business Standard, CFQ7TTC0LDPB:0001, P1Y billed monthly, US; first term ends 2027-11-19, with the source's)";
    const text = await world.cli(["plan", plan]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(line);
    expect(text.stdout).not.toContain("no co-terming");
    expect((await world.cli(["plan", plan, "--format", "markdown"])).stdout).toContain("first term ends 2027-11-19, with the source's");
    const json = JSON.parse((await world.cli(["plan", plan, "--format", "json"])).stdout) as { customers: { actions: Record<string, unknown>[] }[] };
    expect(json.customers[0]?.actions[0]).toMatchObject({ kind: "purchase", commerce: "new", termEnd: { date: "2027-11-19T00:00:00", aligned: "source" } });
    // Only what plan read; the allowed dates were asked for the plan's term.
    expect(world.sandbox.requestLog.some((e) => e.path.endsWith("/subscriptions/customTermEndDates"))).toBe(true);
    expect(world.writes()).toEqual([]);

    const r = await world.cli(["apply", plan, "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(world.customer(NCE.alpine).carts[0]?.lineItems).toEqual([
      expect.objectContaining({ quantity: 8, termDuration: "P1Y", customTermEndDate: "2027-11-19T00:00:00" }),
    ]);
    const source = world.customer(NCE.alpine).subscriptions.find((s) => s.id === ALPINE_SOURCE);
    expect(bought(world)?.commitmentEndDate.slice(0, 10)).toBe(source?.commitmentEndDate.slice(0, 10));
    expect(bought(world)).toMatchObject({ status: "active", quantity: 8, commitmentEndDate: "2027-11-19T00:00:00Z" });
  }, 60_000);

  it("where Partner Center offers no such date (a P1M term ends before the source), buys the full term and says why", async () => {
    const world = await start();
    const plan = await alpinePlan(world, "{ term: P1M, termEnd: source }");
    const text = await world.cli(["plan", plan]);
    expect(text.stdout).toContain(
      `no co-terming (termEnd: source), buying the full term instead: Partner Center offers no P1M term ending with the source's (subscription ${ALPINE_SOURCE} ends 2027-11-19)`,
    );
    expect(text.stdout).toContain("P1M billed monthly, US)");
    const json = JSON.parse((await world.cli(["plan", plan, "--format", "json"])).stdout) as { customers: { actions: object[]; notes: { code: string }[] }[] };
    expect(json.customers[0]?.actions[0]).not.toHaveProperty("termEnd");
    expect(json.customers[0]?.notes.map((n) => n.code)).toContain("term-end-fallback");
    const r = await world.cli(["apply", plan, "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(world.customer(NCE.alpine).carts[0]?.lineItems[0]).not.toHaveProperty("customTermEndDate");
    expect(bought(world)?.commitmentEndDate).toMatch(/^2026-12-24T/);
  }, 60_000);
});

describe("a saved plan (plan --out) with a co-termed purchase", () => {
  it("applies with its end date; once the date is no longer offered, apply FILE refuses it and buys nothing", async () => {
    const world = await start();
    const plan = await alpinePlan(world, "{ termEnd: source }");
    expect((await world.cli(["plan", plan, "--out", "co-term.plan.json"])).code).toBe(0);
    const applied = await world.cli(["apply", "co-term.plan.json"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(bought(world)?.commitmentEndDate).toBe("2027-11-19T00:00:00Z");

    const other = await start();
    const saved = await alpinePlan(other, "{ termEnd: source }");
    expect((await other.cli(["plan", saved, "--out", "co-term.plan.json"])).code).toBe(0);
    // The source's term end moves (as a renewal would move it): the saved date is offered no more.
    other.sandbox.setClock("2027-11-20T00:00:00Z");
    const refused = await other.cli(["apply", "co-term.plan.json"]);
    expect(refused.code).toBe(1);
    // Re-derived from the live state, the purchase has no end date (or another): the saved one is refused.
    expect(refused.stderr).toContain("the saved actions for Alpine Ski House (339e3d7f-8e5f-59cd-8ba8-b4ea3439cd58) are not what the plan files give");
    expect(cartPosts(other)).toEqual([]);
  }, 60_000);
});

describe("purchase.termEnd: calendar-month", () => {
  it("ends the first term on the month's end Partner Center offers", async () => {
    const world = await start();
    const plan = await alpinePlan(world, "{ termEnd: calendar-month }");
    expect((await world.cli(["plan", plan])).stdout).toContain("P1Y billed monthly, US; first term ends 2027-10-31, a calendar month's end)");
    const r = await world.cli(["apply", plan, "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(bought(world)?.commitmentEndDate).toBe("2027-10-31T00:00:00Z");
  }, 60_000);
});

describe("the purchase's request id", () => {
  it("carries the end date: another termEnd is another cart id; the same plan, the same id", async () => {
    const cartId = async (purchase: string) => {
      const world = await start();
      const r = await world.cli(["apply", await alpinePlan(world, purchase), "--auto-approve"]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const ids = cartPosts(world).map((e) => e.requestId);
      expect(ids).toHaveLength(1);
      await world.close();
      return ids[0];
    };
    const full = await cartId("{ termEnd: none }");
    expect(await cartId("{ term: P1Y }")).toBe(full);
    const withSource = await cartId("{ termEnd: source }");
    expect(withSource).not.toBe(full);
    expect(await cartId("{ termEnd: source }")).toBe(withSource);
    expect(await cartId("{ termEnd: calendar-month }")).not.toBe(withSource);
  }, 120_000);
});

describe("what a co-termed purchase costs, and what it may not do", () => {
  it("costs the same a month; the cost detail names the shorter, prorated first term", async () => {
    const world = await start();
    const text = await world.cli(["plan", await alpinePlan(world, "{ termEnd: source }"), "--prices", PRICES]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("Alpine Ski House: cost +100.00 USD a month now");
    expect(text.stdout).toContain("first term prorated to end 2027-11-19 (11.8 months at that price, then the full P1Y term)");
  }, 60_000);

  it("an order still provisioning blocks a purchase with another end date: a changed termEnd is not a second purchase (issue 22)", async () => {
    const world = await start({ sandbox: { provisioningDelayMs: 3_600_000 } });
    const first = await world.cli(["apply", await alpinePlan(world, "{ termEnd: none }"), "--auto-approve", "--provisioning-timeout", "0"]);
    expect(first.code, first.stdout + first.stderr).toBe(3);
    const again = await world.cli(["apply", await alpinePlan(world, "{ termEnd: source }"), "--auto-approve", "--provisioning-timeout", "0"]);
    expect(again.stdout).toMatch(/awaiting provisioning \(order [0-9a-f]+\)/);
    expect(again.stdout).not.toContain("+ purchase");
    expect(cartPosts(world)).toHaveLength(1);
  }, 60_000);
});

describe("a bad termEnd", () => {
  it("is a schema error naming the file, line and field", async () => {
    const world = await start();
    const plan = await alpinePlan(world, "{ termEnd: anniversary }");
    const r = await world.run(["validate", plan], { cwd: world.cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^plans-extra\/co-term\.yaml:8:24 {2}spec\.purchase\.termEnd {2}must be one of: none, source, calendar-month$/m);
  });
});

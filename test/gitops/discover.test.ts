/** The plan skeleton `pcplan discover` writes, as pure functions (end to end on the demo world: discover.e2e.test.ts). */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { customerComment, deadlineOf, planNameFor, renderPlanSkeleton, selectAndSort, type DiscoveredCustomer } from "../../src/discover/index.js";
import { freePlanName } from "../../src/discover/planned.js";
import { loadPlans } from "../../src/plan-file/index.js";

const NOW = "2026-11-24T00:00:00Z";
const SKYPE = { sku: "MCOIMP", displayName: "Skype for Business Online (Plan 1)" };
const F3 = { sku: "DESKLESSPACK", displayName: "Office 365 F3" };

let n = 0;
function customer(name: string, users: number, subs: Partial<DiscoveredCustomer["subscriptions"][number]>[]): DiscoveredCustomer {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    name,
    domain: `c${n}.onmicrosoft.com`,
    sourceUsers: users,
    subscriptions: subs.map((s, i) => ({
      id: `sub-${n}-${i}`,
      quantity: users,
      status: "active",
      autoRenewEnabled: false,
      commitmentEndDate: undefined,
      ...s,
    })),
  };
}

describe("plan skeleton (pure)", () => {
  const contoso = customer("Contoso Ltd", 12, [{ commitmentEndDate: "2027-03-31T00:00:00Z" }]);
  const woodgrove = customer("Woodgrove Bank", 4, [{ commitmentEndDate: "2026-12-15T00:00:00Z" }]);
  const renewing = customer("Renewing Co", 3, [{ commitmentEndDate: "2026-12-01T00:00:00Z", autoRenewEnabled: true }]);
  const lapsed = customer('Lapsed: "Ltd" # 1', 1, [{ commitmentEndDate: "2026-11-01T00:00:00Z" }]);
  const suspendedOnly = customer("Leftover", 2, [{ status: "suspended", commitmentEndDate: "2027-01-01T00:00:00Z" }]);

  it("finds the retiring subscription by autoRenewEnabled = false plus end date", () => {
    expect(deadlineOf(contoso, NOW)).toEqual({ endDate: "2027-03-31T00:00:00Z", daysLeft: 127, retiring: true, autoRenewing: false, activeSubscriptions: 1 });
    const mixed = customer("Mixed", 5, [
      { commitmentEndDate: "2026-12-01T00:00:00Z", autoRenewEnabled: true },
      { commitmentEndDate: "2027-02-01T00:00:00Z", autoRenewEnabled: false },
    ]);
    // The auto-renewing one does not end: the retiring one's date counts.
    expect(deadlineOf(mixed, NOW)).toMatchObject({ endDate: "2027-02-01T00:00:00Z", retiring: true, autoRenewing: true, activeSubscriptions: 2 });
    expect(deadlineOf(suspendedOnly, NOW)).toMatchObject({ endDate: undefined, activeSubscriptions: 0 });
  });

  it("sorts soonest end first: retiring (ended ones first), then auto-renewing, then no date", () => {
    const order = selectAndSort([contoso, suspendedOnly, renewing, woodgrove, lapsed], { now: NOW }).map((e) => e.customer.name);
    expect(order).toEqual([lapsed.name, "Woodgrove Bank", "Contoso Ltd", "Renewing Co", "Leftover"]);
  });

  it("--expiring-within keeps retiring subscriptions ending within DAYS, and those already ended", () => {
    const kept = selectAndSort([contoso, renewing, woodgrove, lapsed, suspendedOnly], { now: NOW, expiringWithin: 30 }).map((e) => e.customer.name);
    expect(kept).toEqual([lapsed.name, "Woodgrove Bank"]);
  });

  it("writes one comment per customer: name, users on the source, end date, days left, auto-renew", () => {
    const [e] = selectAndSort([contoso], { now: NOW });
    expect(customerComment(e, "MCOIMP", 30)).toBe("Contoso Ltd — 12 users on MCOIMP — ends 2027-03-31 (127 days) — autoRenew off");
    const [w] = selectAndSort([woodgrove], { now: NOW });
    expect(customerComment(w, "MCOIMP", 30)).toBe("Woodgrove Bank — 4 users on MCOIMP — ends 2026-12-15 (21 days) — autoRenew off — ENDS SOON");
    const [l] = selectAndSort([lapsed], { now: NOW });
    expect(customerComment(l, "MCOIMP", 30)).toBe(`${lapsed.name} — 1 user on MCOIMP — ended 2026-11-01 (23 days ago) — autoRenew off — ENDED`);
    const [r] = selectAndSort([renewing], { now: NOW });
    expect(customerComment(r, "MCOIMP", 0)).toBe("Renewing Co — 3 users on MCOIMP — ends 2026-12-01 (7 days) — autoRenew on");
  });

  it("names the plan with a valid slug", () => {
    expect(planNameFor("MCOIMP")).toBe("retire-mcoimp");
    expect(planNameFor("MCOIMP_GOV")).toBe("retire-mcoimp-gov");
    expect(planNameFor("b8b749f8-a4ef-4887-9539-c95b1eaa5db7")).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(planNameFor("X".repeat(100)).length).toBeLessThanOrEqual(63);
  });

  it("renders a plan that pcplan validate accepts, names quoted safely, in the sorted order", async () => {
    const text = renderPlanSkeleton([contoso, woodgrove, lapsed, renewing], { name: "retire-mcoimp", source: SKYPE, target: F3, now: NOW, warnDays: 30 });
    expect(text).toMatch(/^# yaml-language-server: \$schema=\.\.\/schemas\/plan\.schema\.json\n/);
    expect(text).toContain("    # Contoso Ltd — 12 users on MCOIMP — ends 2027-03-31 (127 days) — autoRenew off\n    - id: ");
    const doc = parse(text) as { spec: { customers: { id: string; name: string }[]; source: unknown; target: unknown } };
    expect(doc.spec.customers.map((c) => c.name)).toEqual([lapsed.name, "Woodgrove Bank", "Contoso Ltd", "Renewing Co"]);
    expect(doc.spec.source).toEqual({ sku: "MCOIMP" });
    const dir = await mkdtemp(join(tmpdir(), "pcplan-discover-"));
    await writeFile(join(dir, "p.yaml"), text);
    const loaded = await loadPlans([join(dir, "p.yaml")], { cwd: dir });
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.plans[0].customers.map((c) => c.name)).toEqual([lapsed.name, "Woodgrove Bank", "Contoso Ltd", "Renewing Co"]);
  });

  it("takes the next free plan name: metadata.name is unique across plans", () => {
    const taken = new Map([
      ["retire-mcoimp", "plans/a.yaml"],
      ["retire-mcoimp-2", "plans/b.yaml"],
    ]);
    expect(freePlanName("retire-mcoimp", new Map())).toBe("retire-mcoimp");
    expect(freePlanName("retire-mcoimp", taken)).toBe("retire-mcoimp-3");
    const long = "retire-" + "x".repeat(56);
    expect(freePlanName(long, new Map([[long, "p.yaml"]]))).toMatch(/^retire-x+-2$/);
    expect(freePlanName(long, new Map([[long, "p.yaml"]])).length).toBeLessThanOrEqual(63);
  });

  it("refuses to render a plan without customers", () => {
    expect(() => renderPlanSkeleton([], { name: "x", source: SKYPE, target: F3, now: NOW, warnDays: 30 })).toThrow(/no customer/);
  });
});

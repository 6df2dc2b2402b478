/**
 * Co-terming a purchase (`purchase.termEnd`, src/reconcile/strategies/term-end.ts): the end date
 * chosen from the dates Partner Center allows (custom-term-end-dates), or the reason the purchase
 * keeps its full term — on its own and through `reconcile` on model customers.
 */
import { describe, expect, it } from "vitest";
import { reconcile } from "../../src/reconcile/reconcile.js";
import { chooseTermEnd, type TermEndFacts } from "../../src/reconcile/strategies/term-end.js";
import type { AllowedTermEnd } from "../../src/model/live-state.js";
import type { PlanCustomer, PurchaseSettings } from "../../src/plan-file/types.js";
import type { CustomerPlan, LiveSubscription } from "../../src/reconcile/types.js";
import { MODEL_NOW, SKU, catalogFor, liveState, planFor, type ModelCustomer } from "./model.js";

const NEW: PurchaseSettings = { term: "P1Y", billing: "monthly", country: undefined, catalogItem: undefined, commerce: "new" };

const source = (id: string, end: string, commerce: "nce" | "legacy" = "nce"): LiveSubscription => ({
  id,
  offerId: "x",
  skuId: SKU.MCOIMP.skuId,
  unmapped: undefined,
  commerce,
  quantity: 2,
  status: "active",
  autoRenewEnabled: true,
  commitmentEndDate: end,
  creationDate: undefined,
  cancellationAllowedUntil: undefined,
  termDuration: "P1Y",
  billingCycle: "monthly",
});

const MONTH_END: AllowedTermEnd = { date: "2027-10-31T00:00:00", aligned: "calendar-month", subscriptionIds: [] };
const WITH_SRC: AllowedTermEnd = { date: "2027-03-31T00:00:00", aligned: "subscription", subscriptionIds: ["src"] };
const WITH_OTHER: AllowedTermEnd = { date: "2027-05-02T00:00:00", aligned: "subscription", subscriptionIds: ["other"] };

const facts = (over: Partial<TermEndFacts>): TermEndFacts => ({
  wanted: "source",
  commerce: "new",
  term: "P1Y",
  allowed: [MONTH_END, WITH_SRC, WITH_OTHER],
  sources: [source("src", "2027-03-31T00:00:00Z")],
  ...over,
});

describe("choosing a purchase's first term end", () => {
  it("source: the date Partner Center lists for the source subscription, never another subscription's", () => {
    expect(chooseTermEnd(facts({}))).toEqual({ termEnd: { date: "2027-03-31T00:00:00", aligned: "source" } });
  });

  it("source: with several sources, the latest date listed for one of them", () => {
    const sources = [source("src", "2027-03-31T00:00:00Z"), source("other", "2027-05-02T00:00:00Z")];
    expect(chooseTermEnd(facts({ sources }))).toEqual({ termEnd: { date: "2027-05-02T00:00:00", aligned: "source" } });
  });

  it("source: a source end Partner Center does not list is not bought with; the reason names the source and its end", () => {
    const out = chooseTermEnd(facts({ allowed: [MONTH_END, WITH_OTHER], sources: [source("src", "2027-03-31T00:00:00Z", "legacy")] }));
    expect(out).toEqual({ fallback: "Partner Center offers no P1Y term ending with the source's (subscription src (legacy) ends 2027-03-31)" });
  });

  it("source: no active source subscription, nothing to end with", () => {
    expect(chooseTermEnd(facts({ sources: [] }))).toEqual({ fallback: "no active source subscription to end with" });
  });

  it("calendar-month: the month end Partner Center lists, or why there is none", () => {
    expect(chooseTermEnd(facts({ wanted: "calendar-month" }))).toEqual({ termEnd: { date: "2027-10-31T00:00:00", aligned: "calendar-month" } });
    expect(chooseTermEnd(facts({ wanted: "calendar-month", term: "P1M", allowed: [WITH_SRC] }))).toEqual({
      fallback: "Partner Center offers no calendar-month end for a P1M term",
    });
  });

  it("a legacy order has no custom term end; dates not read are not guessed", () => {
    expect(chooseTermEnd(facts({ commerce: "legacy" }))).toEqual({
      fallback: "a legacy order has no custom term end (Partner Center co-terms new-commerce purchases only)",
    });
    expect(chooseTermEnd(facts({ allowed: undefined }))).toEqual({ fallback: "the term end dates Partner Center allows for a P1Y term were not read" });
  });
});

describe("a co-termed purchase through reconcile", () => {
  const customer: ModelCustomer = {
    id: "c1",
    name: "Contoso",
    subs: [{ id: "src", skuId: SKU.MCOIMP.skuId, quantity: 2, status: "active", commerce: "nce", commitmentEndDate: "2027-03-31T00:00:00Z" }],
    users: [0, 1].map((i) => ({ id: `u${i}`, upn: `user${i}@contoso.onmicrosoft.com`, skuIds: [SKU.MCOIMP.skuId] })),
  };
  function plan1(pc: Partial<PlanCustomer>, termEnds?: Map<string, AllowedTermEnd[]>): CustomerPlan {
    const plan = planFor([{ id: "c1", ...pc }]);
    const state = liveState([customer], SKU.MCOIMP.skuId, { catalog: catalogFor(plan, "US") });
    const live = state.customers.get("c1");
    const customers = live && termEnds ? new Map([["c1", { ...live, termEnds }]]) : state.customers;
    const [out] = reconcile([plan], { ...state, customers }, { now: MODEL_NOW, warnDays: 30, country: "US" });
    return out;
  }

  it("buys with the source's term end and says nothing more", () => {
    const out = plan1({ purchase: { ...NEW, termEnd: "source" } }, new Map([["P1Y", [MONTH_END, WITH_SRC]]]));
    expect(out.actions[0]).toMatchObject({ kind: "purchase", commerce: "new", termEnd: { date: "2027-03-31T00:00:00", aligned: "source" } });
    expect(out.notes.filter((n) => n.code === "term-end-fallback")).toEqual([]);
  });

  it("where the date is not offered, buys the full term and says why (never silently)", () => {
    const out = plan1({ purchase: { ...NEW, termEnd: "source" } }, new Map([["P1Y", [MONTH_END]]]));
    expect(out.actions[0]).toMatchObject({ kind: "purchase", commerce: "new" });
    expect(out.actions[0]).not.toHaveProperty("termEnd");
    expect(out.notes).toContainEqual({
      level: "info",
      code: "term-end-fallback",
      message:
        "no co-terming (termEnd: source), buying the full term instead: Partner Center offers no P1Y term ending with the source's (subscription src ends 2027-03-31)",
    });
  });

  it("a legacy order with termEnd set is bought as always, with the reason", () => {
    const out = plan1({ purchase: { ...NEW, commerce: "legacy", termEnd: "calendar-month" } });
    expect(out.actions[0]).toMatchObject({ kind: "purchase", commerce: "legacy" });
    expect(out.notes.map((n) => n.code)).toContain("term-end-fallback");
  });

  it("without termEnd nothing changes: no end date on the purchase, no note", () => {
    const out = plan1({ purchase: NEW }, new Map([["P1Y", [MONTH_END, WITH_SRC]]]));
    expect(out.actions[0]).not.toHaveProperty("termEnd");
    expect(out.notes.map((n) => n.code)).not.toContain("term-end-fallback");
  });
});

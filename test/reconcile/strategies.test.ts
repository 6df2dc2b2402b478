/**
 * How a missing target is bought and how a free source is retired (src/reconcile/strategies/),
 * through `reconcile` on model customers: the purchase each `commerce` setting makes, the
 * retirement each `decommission` method makes of a legacy or new-commerce source inside and
 * after its cancellation window, and when a transition is planned or why it falls back.
 */
import { describe, expect, it } from "vitest";
import { reconcile } from "../../src/reconcile/reconcile.js";
import { retirementMethod } from "../../src/reconcile/strategies/retire.js";
import type { DecommissionMethod, PlanCustomer, PurchaseSettings } from "../../src/plan-file/types.js";
import type { CatalogTarget, CustomerPlan, LiveState, LiveSubscription } from "../../src/reconcile/types.js";
import { MODEL_NOW, NCE_ITEM, OFFERS, SKU, catalogFor, daysFrom, liveState, planFor, toLive, type ModelCustomer, type ModelSub } from "./model.js";

const OPTS = { now: MODEL_NOW, warnDays: 30, country: "US" };
const NEW: PurchaseSettings = { term: "P1Y", billing: "monthly", country: undefined, catalogItem: undefined, commerce: "new" };
const AUTO: PurchaseSettings = { ...NEW, commerce: "auto" };
const F3_ITEM = NCE_ITEM[SKU.DESKLESSPACK.skuId];
/** A licence SKU pcplan's table of new-commerce products does not list. */
const CUSTOM = { skuId: "0c0c0c0c-0000-4000-8000-000000000001", skuPartNumber: "CUSTOM", displayName: "Custom" };

const user = (i: number, skuIds: string[]) => ({ id: `u${i}`, upn: `user${i}@contoso.onmicrosoft.com`, skuIds });

/** `holders` users on the source, one source subscription of `source` (legacy unless said). */
function customer(holders: number, source: Partial<ModelSub> = {}, extra: Partial<ModelCustomer> = {}): ModelCustomer {
  return {
    id: "c1",
    name: "Contoso",
    subs: [{ id: "src", skuId: SKU.MCOIMP.skuId, quantity: Math.max(holders, 1), status: "active", commitmentEndDate: "2027-03-31T00:00:00Z", ...source }],
    users: Array.from({ length: holders }, (_, i) => user(i, [SKU.MCOIMP.skuId])),
    ...extra,
  };
}

function plan1(
  c: ModelCustomer,
  pc: Partial<PlanCustomer> = {},
  opts: { catalog?: Map<string, CatalogTarget>; offers?: LiveState["offers"] } = {},
): CustomerPlan {
  const plan = planFor([{ id: c.id, ...pc }]);
  const state = liveState([c], SKU.MCOIMP.skuId, { catalog: opts.catalog ?? catalogFor(plan, "US") });
  const [out] = reconcile([plan], opts.offers ? { ...state, offers: opts.offers } : state, OPTS);
  return out;
}

const kinds = (p: CustomerPlan) => p.actions.map((a) => a.kind);

describe("buying the target", () => {
  it("commerce: new buys the catalog item with the plan's term and billing, in the plan's country (upper case)", () => {
    const out = plan1(customer(2), { purchase: { ...NEW, country: "gb", term: "P1M", billing: "annual" } });
    expect(out.actions[0]).toEqual({
      kind: "purchase",
      commerce: "new",
      catalogItem: "CFQ7TTC0LGZW:0001",
      title: "Office 365 F3",
      term: "P1M",
      billing: "annual",
      country: "GB",
      sku: SKU.DESKLESSPACK,
      quantity: 2,
    });
  });

  it("commerce: new without a country in the plan buys in the run's --country", () => {
    const out = plan1(customer(1), { purchase: NEW });
    expect(out.actions[0]).toMatchObject({ kind: "purchase", commerce: "new", country: "US" });
  });

  it("commerce: new refuses (and moves nobody) when the catalog was not read or cannot sell the target", () => {
    const unread = plan1(customer(2), { purchase: NEW }, { catalog: new Map() });
    expect(unread.actions).toEqual([]);
    expect(unread.notes).toEqual([{ level: "error", code: "catalog", message: "the new-commerce catalog was not read for DESKLESSPACK" }]);

    const problem = { notOffered: false, message: "no purchasable availability of CFQ7TTC0LGZW:0001 in US sells a P3Y term billed monthly" };
    const unsold = plan1(customer(2), { purchase: NEW }, { catalog: catalogFor(planFor([{ id: "c1", purchase: NEW }]), "US", problem) });
    expect(unsold.actions).toEqual([]);
    expect(unsold.notes).toEqual([{ level: "error", code: "catalog", message: problem.message }]);
  });

  it("commerce: new keeps to the catalog item's seat limits, both ends included", () => {
    const plan = planFor([{ id: "c1", purchase: NEW }]);
    const limits = (min: number, max: number) => catalogFor(plan, "US", undefined, { min, max });
    expect(kinds(plan1(customer(3), { purchase: NEW }, { catalog: limits(3, 3) }))[0]).toBe("purchase");
    const under = plan1(customer(2), { purchase: NEW }, { catalog: limits(3, 300) });
    expect(under.actions).toEqual([]);
    expect(under.notes).toEqual([{ level: "error", code: "quantity-limit", message: "Office 365 F3 sells 3–300 seats, 2 needed" }]);
    expect(plan1(customer(4), { purchase: NEW }, { catalog: limits(1, 3) }).notes[0]?.message).toBe("Office 365 F3 sells 1–3 seats, 4 needed");
  });

  it("commerce: legacy orders the purchasable offer that provisions the target, within its seat limits", () => {
    const out = plan1(customer(2), { purchase: { ...NEW, commerce: "legacy" } });
    expect(out.actions[0]).toEqual({
      kind: "purchase",
      commerce: "legacy",
      offerId: "offer-deskless",
      offerName: "Office 365 F3",
      sku: SKU.DESKLESSPACK,
      quantity: 2,
    });

    const notForSale = OFFERS.map((o) => (o.skuId === SKU.DESKLESSPACK.skuId ? { ...o, purchasable: false } : o));
    const none = plan1(customer(2), {}, { offers: notForSale });
    expect(none.notes).toEqual([{ level: "error", code: "no-offer", message: "no purchasable offer provisions DESKLESSPACK" }]);

    const limited = (min: number, max: number) =>
      OFFERS.map((o) => (o.skuId === SKU.DESKLESSPACK.skuId ? { ...o, minimumQuantity: min, maximumQuantity: max } : o));
    expect(kinds(plan1(customer(2), {}, { offers: limited(2, 2) }))[0]).toBe("purchase");
    expect(plan1(customer(1), {}, { offers: limited(2, 5) }).notes).toEqual([
      { level: "error", code: "quantity-limit", message: "offer Office 365 F3 sells 2–5 seats, 1 needed" },
    ]);
    expect(plan1(customer(6), {}, { offers: limited(2, 5) }).notes[0]?.code).toBe("quantity-limit");
  });

  it("commerce: auto buys through new commerce where the catalog sells the target, a legacy order only where it is not offered", () => {
    const plan = planFor([{ id: "c1", purchase: AUTO }]);
    expect(plan1(customer(2), { purchase: AUTO }, { catalog: catalogFor(plan, "US") }).actions[0]).toMatchObject({ commerce: "new" });

    const notOffered = { notOffered: true, message: "CFQ7TTC0LGZW:0001 is not offered in US" };
    expect(plan1(customer(2), { purchase: AUTO }, { catalog: catalogFor(plan, "US", notOffered) }).actions[0]).toMatchObject({
      commerce: "legacy",
      offerId: "offer-deskless",
    });

    // commerce: new never falls back to a legacy order.
    const strict = plan1(customer(2), { purchase: NEW }, { catalog: catalogFor(planFor([{ id: "c1", purchase: NEW }]), "US", notOffered) });
    expect(strict.actions).toEqual([]);
    expect(strict.notes).toEqual([{ level: "error", code: "catalog", message: notOffered.message }]);

    // Sold there but not on these terms: not a reason to buy the legacy way.
    const otherTerms = { notOffered: false, message: "no purchasable availability sells a P3Y term" };
    const refused = plan1(customer(2), { purchase: AUTO }, { catalog: catalogFor(plan, "US", otherTerms) });
    expect(refused.actions).toEqual([]);
    expect(refused.notes).toEqual([{ level: "error", code: "catalog", message: otherTerms.message }]);
  });

  it("commerce: auto, offered neither way: one error naming both reasons; a legacy seat limit is said as it is", () => {
    const plan = planFor([{ id: "c1", purchase: AUTO }]);
    const notOffered = { notOffered: true, message: "CFQ7TTC0LGZW:0001 is not offered in US" };
    const noLegacy = OFFERS.filter((o) => o.skuId !== SKU.DESKLESSPACK.skuId);
    expect(plan1(customer(2), { purchase: AUTO }, { catalog: catalogFor(plan, "US", notOffered), offers: noLegacy }).notes).toEqual([
      { level: "error", code: "no-offer", message: "CFQ7TTC0LGZW:0001 is not offered in US, and no purchasable legacy offer provisions DESKLESSPACK" },
    ]);
    const small = OFFERS.map((o) => (o.skuId === SKU.DESKLESSPACK.skuId ? { ...o, maximumQuantity: 1 } : o));
    expect(plan1(customer(2), { purchase: AUTO }, { catalog: catalogFor(plan, "US", notOffered), offers: small }).notes).toEqual([
      { level: "error", code: "quantity-limit", message: "offer Office 365 F3 sells 1–1 seats, 2 needed" },
    ]);
  });
});

describe("retiring the source once nobody holds it", () => {
  const open = daysFrom(MODEL_NOW, 3);
  const closed = daysFrom(MODEL_NOW, -3);
  const nce = (over: Partial<ModelSub> = {}): Partial<ModelSub> => ({ commerce: "nce", cancellationAllowedUntil: open, ...over });
  const retire = (method: DecommissionMethod, source: Partial<ModelSub>) => plan1(customer(0, source), { decommission: method });

  it("auto: a legacy source is suspended", () => {
    const out = retire("auto", {});
    expect(out.actions).toEqual([{ kind: "suspend", subscriptionId: "src", sku: SKU.MCOIMP, quantity: 1, commitmentEndDate: "2027-03-31T00:00:00Z" }]);
    expect(out.notes.filter((n) => n.code === "retirement")).toEqual([]);
  });

  it("auto: a new-commerce source is cancelled inside its window, its renewal turned off after it, never suspended", () => {
    expect(retire("auto", nce()).actions).toEqual([{ kind: "cancel", subscriptionId: "src", sku: SKU.MCOIMP, quantity: 1, cancellationAllowedUntil: open }]);
    expect(retire("auto", nce({ cancellationAllowedUntil: closed })).actions).toEqual([
      { kind: "no-renew", subscriptionId: "src", sku: SKU.MCOIMP, quantity: 1, commitmentEndDate: "2027-03-31T00:00:00Z" },
    ]);
    // The window's last moment is already too late; a subscription that names no window has none.
    expect(kinds(retire("auto", nce({ cancellationAllowedUntil: MODEL_NOW })))).toEqual(["no-renew"]);
    expect(kinds(retire("auto", nce({ cancellationAllowedUntil: undefined })))).toEqual(["no-renew"]);
  });

  it("auto: a new-commerce source whose renewal is already off needs nothing", () => {
    const out = retire("auto", nce({ cancellationAllowedUntil: closed, autoRenew: false }));
    expect(out.actions).toEqual([]);
    expect(out.notes).toEqual([]);
  });

  it("suspend: forced on new commerce, with a warning that the bill runs on to the term's end", () => {
    expect(retire("suspend", {}).notes).toEqual([]);
    const out = retire("suspend", nce());
    expect(kinds(out)).toEqual(["suspend"]);
    expect(out.notes).toEqual([
      { level: "warning", code: "retirement", message: "suspending new-commerce subscription src stops the service now but the bill runs to 2027-03-31" },
    ]);
    expect(retire("suspend", nce({ commitmentEndDate: undefined })).notes[0]?.message).toMatch(/the bill runs to the end of its term$/);
    expect(retire("suspend", nce({ commitmentEndDate: undefined })).actions[0]).toMatchObject({ commitmentEndDate: null });
  });

  it("cancel: only a new-commerce source inside its window; otherwise a warning and nothing written", () => {
    expect(kinds(retire("cancel", nce()))).toEqual(["cancel"]);
    const legacy = retire("cancel", {});
    expect(legacy.actions).toEqual([]);
    expect(legacy.notes).toEqual([
      {
        level: "warning",
        code: "retirement",
        message: "decommission: cancel is impossible: legacy subscription src cannot be cancelled (only suspended): use decommission: suspend or auto",
      },
    ]);
    const late = retire("cancel", nce({ cancellationAllowedUntil: closed }));
    expect(late.actions).toEqual([]);
    expect(late.notes[0]?.message).toBe(
      `decommission: cancel is impossible: subscription src can no longer be cancelled: its cancellation window closed ${closed.slice(0, 10)}; nothing is written (decommission: no-renew or auto turns its renewal off instead)`,
    );
    expect(retire("cancel", nce({ cancellationAllowedUntil: undefined })).notes[0]?.message).toMatch(/its cancellation window closed the end of its term/);
  });

  it("no-renew: turns the renewal off (legacy or new commerce) unless it is off already; keep: nothing", () => {
    expect(kinds(retire("no-renew", { autoRenew: true }))).toEqual(["no-renew"]);
    expect(kinds(retire("no-renew", nce()))).toEqual(["no-renew"]);
    expect(retire("no-renew", { autoRenew: false }).actions).toEqual([]);
    const kept = retire("keep", nce());
    expect(kept.actions).toEqual([]);
    expect(kept.notes).toEqual([]);
  });

  it("retires every free source subscription, in id order, and none that is not active", () => {
    const c = customer(0);
    c.subs = [
      { id: "s-b", skuId: SKU.MCOIMP.skuId, quantity: 1, status: "active" },
      { id: "s-c", skuId: SKU.MCOIMP.skuId, quantity: 1, status: "suspended" },
      { id: "s-a", skuId: SKU.MCOIMP.skuId, quantity: 2, status: "active" },
    ];
    expect(plan1(c).actions.map((a) => ("subscriptionId" in a ? a.subscriptionId : ""))).toEqual(["s-a", "s-b"]);
  });

  it("never cancels a legacy subscription, even one that reports a cancellation window", () => {
    const c = customer(0, { cancellationAllowedUntil: open });
    const plan = planFor([{ id: "c1", decommission: "cancel" }]);
    const state = liveState([c], SKU.MCOIMP.skuId);
    const lc = state.customers.get("c1")!;
    const stale = { ...lc, subscriptions: lc.subscriptions.map((s) => ({ ...s, cancellationAllowedUntil: open })) };
    const [out] = reconcile([plan], { ...state, customers: new Map([["c1", stale]]) }, OPTS);
    expect(out.actions).toEqual([]);
    expect(out.notes[0]?.message).toMatch(/legacy subscription src cannot be cancelled/);
    expect(retirementMethod("cancel", stale.subscriptions[0], MODEL_NOW)).toBe("keep");
  });

  it("says what each method comes to for one subscription today (status shows it)", () => {
    const sub = (over: Partial<LiveSubscription>): LiveSubscription => ({ ...toLive(customer(0), SKU.MCOIMP.skuId).subscriptions[0], ...over });
    const legacy = sub({});
    const inWindow = sub({ commerce: "nce", cancellationAllowedUntil: open });
    const late = sub({ commerce: "nce", cancellationAllowedUntil: closed });
    expect([legacy, inWindow, late].map((s) => retirementMethod("auto", s, MODEL_NOW))).toEqual(["suspend", "cancel", "no-renew"]);
    expect([legacy, inWindow, late].map((s) => retirementMethod("cancel", s, MODEL_NOW))).toEqual(["keep", "cancel", "keep"]);
    for (const m of ["suspend", "no-renew", "keep"] as const) expect(retirementMethod(m, inWindow, MODEL_NOW)).toBe(m);
  });
});

describe("strategy: transition", () => {
  const eligible = (withLicenseTransfer = true, errors: string[] = []) => ({ src: [{ catalogItemId: F3_ITEM, withLicenseTransfer, errors }] });
  const nceSource = (holders: number, extra: Partial<ModelCustomer> = {}) =>
    customer(holders, { commerce: "nce", cancellationAllowedUntil: daysFrom(MODEL_NOW, -30), quantity: 5 }, { eligibilities: eligible(), ...extra });
  const transition = (c: ModelCustomer, pc: Partial<PlanCustomer> = {}, catalog?: Map<string, CatalogTarget>) =>
    plan1(c, { strategy: "transition", ...pc }, { catalog: catalog ?? new Map() });
  const fallback = (p: CustomerPlan) => p.notes.find((n) => n.code === "transition-fallback")?.message;

  it("one transition with licence transfer moves the whole customer: no purchase, reassignment or retirement", () => {
    const out = transition(nceSource(3), { purchase: { ...NEW, term: "P1M", billing: "annual" } });
    expect(out.actions).toEqual([
      {
        kind: "transition",
        subscriptionId: "src",
        from: SKU.MCOIMP,
        to: SKU.DESKLESSPACK,
        toCatalogItemId: F3_ITEM,
        quantity: 5,
        term: "P1M",
        billing: "annual",
        users: 3,
      },
    ]);
    expect(out.notes).toEqual([]);
  });

  it("counts the holders the subscribed SKUs report, seen or not", () => {
    const c = nceSource(3);
    const plan = planFor([{ id: "c1", strategy: "transition" }]);
    const [out] = reconcile([plan], liveState([c], SKU.MCOIMP.skuId, { hiddenHolders: () => 2 }), OPTS);
    expect(out.actions[0]).toMatchObject({ kind: "transition", users: 3 });
  });

  it("finds the eligibility by the target's catalog item: the catalog's, else the plan's, else pcplan's table; any case", () => {
    const lower = { src: [{ catalogItemId: F3_ITEM.toLowerCase(), withLicenseTransfer: true, errors: [] }] };
    expect(kinds(transition(nceSource(1, { eligibilities: lower })))).toEqual(["transition"]);
    // The plan names another item: the F3 eligibility is not the one it asks for.
    expect(fallback(transition(nceSource(1), { purchase: { ...NEW, catalogItem: "cfq7ttc0xxxx:0001" } }))).toBe(
      "no transition, falling back to purchase: Microsoft offers no transition of subscription src to CFQ7TTC0XXXX:0001",
    );
    // The catalog read wins over the plan's.
    const plan = planFor([{ id: "c1", strategy: "transition", purchase: { ...NEW, catalogItem: "CFQ7TTC0XXXX:0001" } }]);
    expect(kinds(transition(nceSource(1), { purchase: { ...NEW, catalogItem: "CFQ7TTC0XXXX:0001" } }, catalogFor(plan, "US")))).toEqual(["transition"]);
    // A prefix of another item is not that item.
    const longer = { src: [{ catalogItemId: "CFQ7TTC0LGZW:00012:X", withLicenseTransfer: true, errors: [] }] };
    expect(kinds(transition(nceSource(1, { eligibilities: longer })))).not.toContain("transition");
  });

  it("falls back to purchase, saying why, when a transition cannot do the job", () => {
    const cases: [string, ModelCustomer, Partial<PlanCustomer>?][] = [
      ["no active source subscription to transition", { ...nceSource(0), subs: [] }],
      ["the source is a legacy subscription (only new-commerce subscriptions transition)", customer(1, {}, { eligibilities: eligible() })],
      [
        "2 source subscriptions (a transition converts one)",
        { ...nceSource(1), subs: [...nceSource(1).subs, { id: "src2", skuId: SKU.MCOIMP.skuId, quantity: 1, status: "active", commerce: "nce" }] },
      ],
      [
        "the source is a legacy subscription (only new-commerce subscriptions transition)",
        { ...nceSource(1), subs: [...nceSource(1).subs, { id: "src2", skuId: SKU.MCOIMP.skuId, quantity: 1, status: "active" }] },
      ],
      ["excluded users hold the source (a transition moves every user)", nceSource(2), { exclude: ["user0@contoso.onmicrosoft.com"] }],
      [
        "the customer already has a DESKLESSPACK subscription",
        { ...nceSource(1), subs: [...nceSource(1).subs, { id: "t", skuId: SKU.DESKLESSPACK.skuId, quantity: 9, status: "active" }] },
      ],
      ["no new-commerce product is known for CUSTOM", nceSource(1), { target: CUSTOM }],
      [
        "not eligible for a transition with licence transfer to CFQ7TTC0LGZW:0001: 1: the term differs; 2: seats",
        nceSource(1, { eligibilities: eligible(false, ["1: the term differs", "2: seats"]) }),
      ],
      ["not eligible for a transition with licence transfer to CFQ7TTC0LGZW:0001", nceSource(1, { eligibilities: eligible(false) })],
      ["Microsoft offers no transition of subscription src to CFQ7TTC0LGZW:0001", nceSource(1, { eligibilities: {} })],
    ];
    for (const [why, c, pc] of cases) {
      const out = transition(c, pc);
      expect(out.actions.filter((a) => a.kind === "transition")).toEqual([]);
      expect(out.notes[0]).toEqual({ level: "info", code: "transition-fallback", message: `no transition, falling back to purchase: ${why}` });
    }
    // …and plans the purchase as it would have without a transition.
    expect(kinds(transition(nceSource(1, { eligibilities: {} })))).toEqual(["purchase", "reassign", "no-renew"]);
  });
});

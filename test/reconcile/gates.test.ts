/**
 * What stops or shapes a customer's plan before any strategy is asked: a failed read, a
 * subscription the catalog cannot place, seats already on their way, the deadline warnings,
 * the seat arithmetic and the notes a reviewer reads next to the actions.
 */
import { describe, expect, it } from "vitest";
import { reconcile } from "../../src/reconcile/reconcile.js";
import type { PlanCustomer } from "../../src/plan-file/types.js";
import type { CustomerPlan, LiveState } from "../../src/reconcile/types.js";
import { MODEL_NOW, SKU, liveState, planFor, type ModelCustomer, type ModelSub } from "./model.js";

const OPTS = { now: MODEL_NOW, warnDays: 30, country: "US" };
const user = (i: number, skuIds: string[]) => ({ id: `u${i}`, upn: `user${i}@contoso.onmicrosoft.com`, skuIds });
const source = (over: Partial<ModelSub> = {}): ModelSub => ({
  id: "src",
  skuId: SKU.MCOIMP.skuId,
  quantity: 2,
  status: "active",
  commitmentEndDate: "2027-03-31T00:00:00Z",
  ...over,
});
const target = (over: Partial<ModelSub> = {}): ModelSub => ({ id: "tgt", skuId: SKU.DESKLESSPACK.skuId, quantity: 2, status: "active", ...over });

function customer(extra: Partial<ModelCustomer> = {}): ModelCustomer {
  return { id: "c1", name: "Contoso", subs: [source()], users: [user(1, [SKU.MCOIMP.skuId]), user(2, [SKU.MCOIMP.skuId])], ...extra };
}

function planOf(c: ModelCustomer, pc: Partial<PlanCustomer> = {}, opts = OPTS, state?: (s: LiveState) => LiveState): CustomerPlan {
  const s = liveState([c], SKU.MCOIMP.skuId);
  return reconcile([planFor([{ id: c.id, ...pc }])], state ? state(s) : s, opts)[0];
}

const kinds = (p: CustomerPlan) => p.actions.map((a) => a.kind);

describe("customers that cannot be planned", () => {
  it("a customer whose reads failed: an error naming the failure, no actions, named as the plan names it", () => {
    const out = planOf(customer(), { name: "Contoso (plan)" }, OPTS, (s) => ({ ...s, failures: new Map([["c1", "HTTP 503 after 4 attempts"]]) }));
    expect(out).toMatchObject({ customerId: "c1", name: "Contoso (plan)", actions: [], sourceEndDate: undefined, daysLeft: undefined });
    expect(out.notes).toEqual([
      { level: "error", code: "read-failed", message: "could not read the customer's state, nothing is planned for it: HTTP 503 after 4 attempts" },
    ]);
    expect(out.counts).toEqual({ sourceHolders: 0, onTarget: 0, excluded: 0 });
  });

  it("a customer not found is named by its id unless the plan names it", () => {
    const [out] = reconcile([planFor([{ id: "c404" }])], liveState([], SKU.MCOIMP.skuId), OPTS);
    expect(out).toMatchObject({ name: "c404", notes: [{ level: "error", code: "not-found", message: "customer not found among the partner's customers" }] });
  });

  it("a found customer is named as Partner Center names it unless the plan names it", () => {
    expect(planOf(customer()).name).toBe("Contoso");
    expect(planOf(customer(), { name: "Contoso EU" }).name).toBe("Contoso EU");
    expect(planOf(customer())).toMatchObject({ planName: "test", source: SKU.MCOIMP, target: SKU.DESKLESSPACK, customerId: "c1" });
  });

  it("an active or pending subscription the catalog cannot place leaves the customer untouched", () => {
    for (const status of ["active", "pending"] as const) {
      const out = planOf(customer({ subs: [source(), target({ id: "odd", unmapped: "offer X is not in the catalog", status })] }));
      expect(out.actions).toEqual([]);
      expect(out.notes).toEqual([
        {
          level: "error",
          code: "unmapped",
          message:
            "subscription odd (offer-deskless) is unmapped: offer X is not in the catalog; it could be the source or the target, so this customer is left untouched",
        },
      ]);
    }
    // A suspended one is neither a seat nor a source in use.
    expect(kinds(planOf(customer({ subs: [source(), target({ id: "odd", unmapped: "gone", status: "suspended" })] })))).toContain("purchase");
  });
});

describe("seats on their way", () => {
  it("a target subscription still provisioning, or an order for the target in flight: no purchase and no reassignment", () => {
    const pending = planOf(customer({ subs: [source(), target({ status: "pending" })] }));
    expect(pending.actions).toEqual([]);
    expect(pending.notes).toEqual([{ level: "warning", code: "awaiting-provisioning", message: "awaiting provisioning (subscription tgt)" }]);

    const both = planOf(customer({ subs: [source(), target({ status: "pending" })], pendingOrders: [{ id: "o1", skuIds: [SKU.DESKLESSPACK.skuId] }] }));
    expect(both.notes[0]?.message).toBe("awaiting provisioning (order o1, subscription tgt)");

    // An order whose lines the catalog cannot place might be the target: waited for too, and nothing else planned.
    const unknown = planOf(customer({ pendingOrders: [{ id: "o2", skuIds: [SKU.EMS.skuId, undefined] }] }));
    expect(unknown.notes[0]?.code).toBe("awaiting-provisioning");
    expect(kinds(unknown)).toEqual(["await"]);
  });

  it("an order of another SKU in flight holds the customer back (issue 22: a changed target must not buy a second SKU); a pending source subscription does not", () => {
    const out = planOf(customer({ subs: [source(), source({ id: "src2", status: "pending" })], pendingOrders: [{ id: "o3", skuIds: [SKU.EMS.skuId] }] }));
    expect(kinds(out)).toEqual(["await"]);
    expect(out.actions[0]).toEqual({ kind: "await", orderIds: ["o3"], sku: null, quantity: 0 });
    const free = planOf(customer({ subs: [source(), source({ id: "src2", status: "pending" })] }));
    expect(kinds(free)).toEqual(["purchase", "reassign", "reassign", "suspend"]);
  });

  it("an order of the target in flight with enough seats: awaited, then the users move and the source retires, as after the run's own purchase", () => {
    const out = planOf(customer({ pendingOrders: [{ id: "o4", skuIds: [SKU.DESKLESSPACK.skuId], quantity: 5 }] }));
    expect(kinds(out)).toEqual(["await", "reassign", "reassign", "suspend"]);
    expect(out.actions[0]).toMatchObject({ kind: "await", orderIds: ["o4"], sku: SKU.DESKLESSPACK, quantity: 5 });
    expect(out.notes[0]).toEqual({ level: "warning", code: "awaiting-provisioning", message: "awaiting provisioning (order o4)" });
  });
});

describe("deadlines", () => {
  const ending = (date: string, extra: Partial<ModelCustomer> = {}) => planOf(customer({ subs: [source({ commitmentEndDate: date })], ...extra }));

  it("warns from warnDays before the source's end (inclusive) and once it has ended", () => {
    expect(ending("2026-12-24T00:00:00Z").notes).toContainEqual({
      level: "warning",
      code: "ends-soon",
      message: "source subscription ends 2026-12-24, in 30 days",
    });
    expect(ending("2026-12-25T00:00:00Z").notes.map((n) => n.code)).not.toContain("ends-soon");
    expect(ending("2026-11-24T00:00:00Z").notes).toContainEqual({
      level: "warning",
      code: "ends-soon",
      message: "source subscription ends 2026-11-24, in 0 days",
    });
    expect(ending("2026-11-23T00:00:00Z").notes).toContainEqual({
      level: "warning",
      code: "ended",
      message: "source subscription term ended 2026-11-23 (1 days ago)",
    });
  });

  it("dates a customer by its earliest active source subscription, and is silent where nothing is to be done", () => {
    const out = planOf(
      customer({
        subs: [
          source({ commitmentEndDate: "2027-06-01T00:00:00Z" }),
          source({ id: "s2", commitmentEndDate: "2027-01-01T00:00:00Z" }),
          source({ id: "s3", status: "suspended", commitmentEndDate: "2026-12-01T00:00:00Z" }),
        ],
      }),
    );
    expect(out.sourceEndDate).toBe("2027-01-01T00:00:00Z");
    expect(out.daysLeft).toBe(38);
    const done = planOf(customer({ subs: [source({ commitmentEndDate: "2026-12-01T00:00:00Z" })], users: [] }), { decommission: "keep" });
    expect(done.actions).toEqual([]);
    expect(done.daysLeft).toBe(7);
    expect(done.notes).toEqual([]);
  });
});

describe("seats", () => {
  it("raises the biggest active target subscription by what is missing (ties: the first by id); suspended ones count for nothing", () => {
    const out = planOf(
      customer({
        subs: [source(), target({ id: "t-b", quantity: 1 }), target({ id: "t-a", quantity: 1 }), target({ id: "t-z", quantity: 50, status: "suspended" })],
        users: [user(1, [SKU.MCOIMP.skuId]), user(2, [SKU.MCOIMP.skuId]), user(3, [SKU.MCOIMP.skuId])],
      }),
    );
    expect(out.actions[0]).toEqual({ kind: "resize", subscriptionId: "t-a", sku: SKU.DESKLESSPACK, from: 1, to: 2 });
  });

  it("a fixed seat count is bought in full when the users need fewer, and users on the target already count", () => {
    expect(planOf(customer(), { seats: 5 }).actions[0]).toMatchObject({ kind: "purchase", quantity: 5 });
    // One holder is on the target already (it holds both): only the other needs a new seat.
    const out = planOf(
      customer({ subs: [source(), target({ quantity: 1 })], users: [user(1, [SKU.MCOIMP.skuId, SKU.DESKLESSPACK.skuId]), user(2, [SKU.MCOIMP.skuId])] }),
    );
    expect(out.actions[0]).toEqual({ kind: "resize", subscriptionId: "tgt", sku: SKU.DESKLESSPACK, from: 1, to: 2 });
    expect(out.counts).toEqual({ sourceHolders: 2, onTarget: 1, excluded: 0 });
  });

  it("reassigns users sorted by name, whatever order the reader found them in", () => {
    const out = planOf(
      customer({ users: [user(3, [SKU.MCOIMP.skuId]), user(1, [SKU.MCOIMP.skuId]), user(2, [SKU.MCOIMP.skuId])], subs: [source({ quantity: 3 })] }),
    );
    expect(out.actions.filter((a) => a.kind === "reassign").map((a) => a.upn)).toEqual([
      "user1@contoso.onmicrosoft.com",
      "user2@contoso.onmicrosoft.com",
      "user3@contoso.onmicrosoft.com",
    ]);
  });
});

describe("users read for another plan's source", () => {
  it("are not this plan's holders: only holders of this plan's source move", () => {
    const c = customer({ users: [user(1, [SKU.MCOIMP.skuId]), user(2, [SKU.EMS.skuId])], subs: [source({ quantity: 1 })] });
    const state = liveState([c], SKU.MCOIMP.skuId);
    const lc = state.customers.get("c1")!;
    // The reader lists every user holding a source of any plan naming this customer.
    const withOther = { ...lc, users: [...lc.users!, { id: "u2", upn: "user2@contoso.onmicrosoft.com", skuIds: [SKU.EMS.skuId] }] };
    const [out] = reconcile([planFor([{ id: "c1" }])], { ...state, customers: new Map([["c1", withOther]]) }, OPTS);
    expect(out.actions.filter((a) => a.kind === "reassign").map((a) => a.upn)).toEqual(["user1@contoso.onmicrosoft.com"]);
    expect(out.counts.sourceHolders).toBe(1);
  });
});

describe("excluded users", () => {
  it("one excluded holder: said in the singular, counted, the source kept", () => {
    const out = planOf(customer(), { exclude: ["user1@contoso.onmicrosoft.com"] });
    expect(out.notes).toContainEqual({ level: "info", code: "excluded-holds-source", message: "1 excluded user keeps MCOIMP; its subscription stays active" });
    expect(out.counts.excluded).toBe(1);
    expect(kinds(out)).toEqual(["purchase", "reassign"]);
  });

  it("several: in the plural", () => {
    const out = planOf(customer(), { exclude: ["user1@contoso.onmicrosoft.com", "user2@contoso.onmicrosoft.com"] });
    expect(out.notes).toContainEqual({ level: "info", code: "excluded-holds-source", message: "2 excluded users keep MCOIMP; its subscription stays active" });
    expect(out.actions).toEqual([]);
  });
});

describe("holders the reader could not see", () => {
  it("keep the source in use: the subscribed SKUs count more holders than were read, so nothing is retired", () => {
    const c = customer();
    const state = liveState([c], SKU.MCOIMP.skuId, { hiddenHolders: () => 1 });
    const [out] = reconcile([planFor([{ id: "c1" }])], state, OPTS);
    expect(kinds(out)).toEqual(["purchase", "reassign"]);
    expect(out.actions[1]).toMatchObject({ upn: "user2@contoso.onmicrosoft.com" });
  });

  it("a source the subscribed SKUs do not count at all is not retired, and the error names its subscription", () => {
    const c = customer({ users: [user(1, [SKU.EMS.skuId])] });
    const state = liveState([c], SKU.MCOIMP.skuId);
    const lc = state.customers.get("c1")!;
    const others = lc.skus.filter((k) => k.skuId !== SKU.MCOIMP.skuId);
    expect(others.map((k) => k.skuPartNumber)).toEqual(["EMS"]);
    const [out] = reconcile([planFor([{ id: "c1" }])], { ...state, customers: new Map([["c1", { ...lc, skus: others }]]) }, OPTS);
    expect(out.actions).toEqual([]);
    expect(out.notes).toEqual([
      {
        level: "error",
        code: "source-uncounted",
        message: "the subscribed SKUs do not list MCOIMP although subscription src of it is active: whether users hold it is unknown, so it is not retired",
      },
    ]);
  });

  it("with no active source subscription, an uncounted source is nothing to report", () => {
    const c = customer({ users: [], subs: [source({ status: "suspended" })] });
    const state = liveState([c], SKU.MCOIMP.skuId);
    const lc = state.customers.get("c1")!;
    const [out] = reconcile([planFor([{ id: "c1" }])], { ...state, customers: new Map([["c1", { ...lc, skus: [] }]]) }, OPTS);
    expect(out.notes).toEqual([]);
  });
});

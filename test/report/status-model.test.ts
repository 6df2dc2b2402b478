import { describe, expect, it } from "vitest";
import type { MigrationPlan } from "../../src/plan-file/types.js";
import type { CustomerPlan, LiveCustomer, LiveSubscription } from "../../src/reconcile/types.js";
import { LEGACY_PURCHASE } from "../reconcile/model.js";
import { F3, SKYPE, customerPlan } from "./status-builders.js";
import { computeStatus, lastChangesFromAudit, refusalsFromAudit } from "../../src/status/index.js";

const NOW = "2026-11-24T00:00:00Z";
const at = { file: "plans/p.yaml", line: 1, col: 1 };

const plan = (suspendSource: boolean): MigrationPlan => ({
  file: "plans/p.yaml",
  name: "retire-skype",
  source: SKYPE,
  target: F3,
  customers: [
    {
      id: "a",
      name: "A",
      target: F3,
      exclude: [],
      seats: "users",
      decommission: suspendSource ? "auto" : "keep",
      purchase: LEGACY_PURCHASE,
      strategy: "purchase",
      at,
    },
  ],
  suspendSource,
  seats: "users",
  allowFeatureLoss: false,
  at,
});
const customer = customerPlan();
const sub = (id: string, status: string, extra: Partial<LiveSubscription> = {}): LiveSubscription => ({
  id,
  offerId: "o",
  skuId: SKYPE.skuId,
  commerce: "legacy",
  unmapped: undefined,
  termDuration: undefined,
  billingCycle: undefined,
  quantity: 3,
  status,
  autoRenewEnabled: false,
  commitmentEndDate: "2027-03-31T00:00:00Z",
  creationDate: undefined,
  cancellationAllowedUntil: undefined,
  ...extra,
});
const live = (subs: LiveSubscription[]): LiveCustomer => ({
  id: "a",
  name: "A",
  subscriptions: subs,
  skus: [],
  users: undefined,
  pendingOrders: [],
  eligibilities: new Map(),
});
const rowOf = (suspendSource: boolean, subs: LiveSubscription[], opts: Parameters<typeof computeStatus>[3] = { now: NOW }) =>
  computeStatus([plan(suspendSource)], [customer], { offers: [], failures: new Map(), catalog: new Map(), customers: new Map([["a", live(subs)]]) }, opts)
    .plans[0].customers[0];

describe("status: source subscriptions and their retirement", () => {
  it("lists each source subscription, active ones first, with the plan's method and the date it takes effect where known", () => {
    const row = rowOf(
      true,
      [sub("s-old", "deleted"), sub("s-susp", "suspended"), sub("s-act", "active", { autoRenewEnabled: true }), sub("other", "active", { skuId: F3.skuId })],
      {
        now: NOW,
        suspensions: new Map([["s-susp", "2026-11-25T10:00:00Z"]]),
      },
    );
    expect(row.sourceSubscriptions).toEqual([
      { id: "s-act", status: "active", quantity: 3, commitmentEndDate: "2027-03-31T00:00:00Z", autoRenew: true, retirement: "suspend" },
      {
        id: "s-susp",
        status: "suspended",
        quantity: 3,
        commitmentEndDate: "2027-03-31T00:00:00Z",
        autoRenew: false,
        retirement: "suspend",
        suspendedAt: "2026-11-25T10:00:00Z",
        deprovisionOn: "2027-03-25",
        retirementDate: "2027-03-25",
      },
      { id: "s-old", status: "deleted", quantity: 3, commitmentEndDate: "2027-03-31T00:00:00Z", autoRenew: false },
    ]);
  });

  it("a kept source that does not renew ends with its term; one that renews has no end", () => {
    const row = rowOf(false, [sub("s1", "active"), sub("s2", "active", { autoRenewEnabled: true, commitmentEndDate: "2027-05-01T00:00:00Z" })]);
    expect(row.sourceSubscriptions?.map((s) => [s.id, s.retirement, s.retirementDate])).toEqual([
      ["s1", "keep", "2027-03-31T00:00:00Z"],
      ["s2", "keep", undefined],
    ]);
  });

  it("a suspension the audit log does not know has no date", () => {
    const row = rowOf(true, [sub("s1", "suspended")]);
    expect(row.sourceSubscriptions?.[0]).toMatchObject({ retirement: "suspend" });
    expect(row.sourceSubscriptions?.[0]?.deprovisionOn).toBeUndefined();
  });

  it("carries the customer's last change from the audit log", () => {
    const row = rowOf(true, [], { now: NOW, lastChanges: new Map([["a", { time: "2026-11-25T10:00:00Z", action: "suspend", outcome: "ok" as const }]]) });
    expect(row.lastChange).toEqual({ time: "2026-11-25T10:00:00Z", action: "suspend", outcome: "ok" });
    expect(rowOf(true, []).lastChange).toBeUndefined();
  });
});

describe("status: why a source is kept, seats, refusals", () => {
  const withCustomer = (
    c: Partial<CustomerPlan>,
    subs: LiveSubscription[],
    decommission: "auto" | "keep" | "cancel" = "auto",
    skus: LiveCustomer["skus"] = [],
  ) => {
    const p = plan(true);
    p.customers[0] = { ...p.customers[0], decommission };
    return computeStatus(
      [p],
      [{ ...customer, ...c }],
      { offers: [], failures: new Map(), catalog: new Map(), customers: new Map([["a", { ...live(subs), skus }]]) },
      { now: NOW },
    ).plans[0];
  };

  it("says why a source is kept: the plan, excluded users, a transition, or a cancellation that cannot be made", () => {
    const keptBecause = (c: Partial<CustomerPlan>, d: "auto" | "keep" | "cancel") =>
      withCustomer(c, [sub("s1", "active")], d).customers[0].sourceSubscriptions?.[0]?.keptBecause;
    expect(keptBecause({}, "keep")).toBe("plan");
    expect(keptBecause({ counts: { sourceHolders: 1, onTarget: 0, excluded: 1 } }, "auto")).toBe("excluded-users");
    const transition = {
      kind: "transition",
      subscriptionId: "s1",
      from: SKYPE,
      to: F3,
      toCatalogItemId: "X:1:2",
      quantity: 3,
      term: "P1Y",
      billing: "monthly",
      users: 3,
    };
    expect(keptBecause({ actions: [transition as CustomerPlan["actions"][number]] }, "auto")).toBe("transition");
    // A legacy subscription cannot be cancelled: kept, and the reason is not "the plan says keep".
    expect(keptBecause({}, "cancel")).toBe("cannot-cancel");
    expect(keptBecause({}, "auto")).toBeUndefined();
  });

  it("totals the target seats bought and the seats the pending purchases and resizes add", () => {
    const purchase = { kind: "purchase", commerce: "legacy", offerId: "o", offerName: "F3", sku: F3, quantity: 4 };
    const resize = { kind: "resize", subscriptionId: "t", sku: F3, from: 2, to: 5 };
    const skus = [{ skuId: F3.skuId, skuPartNumber: F3.skuPartNumber, consumedUnits: 1, totalUnits: 2 }] as LiveCustomer["skus"];
    const p = withCustomer({ actions: [purchase, resize] as CustomerPlan["actions"] }, [], "auto", skus);
    expect(p.customers[0]).toMatchObject({ targetSeats: 2, seatsToBuy: 7, usersOnTarget: 1 });
    expect(p.totals).toMatchObject({ targetSeats: 2, seatsToBuy: 7 });
  });

  it("shows an apply's refusal until a later write for the customer", () => {
    const refusals = new Map([["a", { time: "2026-11-25T10:00:00Z", message: "the credential may not change licenses" }]]);
    expect(rowOf(true, [], { now: NOW, refusals }).attention).toEqual([
      { kind: "access-refused", time: "2026-11-25T10:00:00Z", message: "the credential may not change licenses" },
    ]);
    const before = new Map([["a", { time: "2026-11-24T10:00:00Z", action: "purchase", outcome: "ok" as const }]]);
    expect(rowOf(true, [], { now: NOW, refusals, lastChanges: before }).attention).toHaveLength(1);
    const after = new Map([["a", { time: "2026-11-26T10:00:00Z", action: "reassign", outcome: "ok" as const }]]);
    expect(rowOf(true, [], { now: NOW, refusals, lastChanges: after }).attention).toBeUndefined();
  });

  it("reads the latest refusal per customer from the audit log", () => {
    const lines = [
      { time: "2026-11-25T10:00:00Z", correlationId: "c", customerId: "A", phase: "refused", reason: "first" },
      { time: "2026-11-25T11:00:00Z", correlationId: "c", customerId: "a", phase: "refused", reason: "second" },
      { time: "2026-11-25T12:00:00Z", customerId: "b", phase: "refused" },
      { time: "2026-11-25T12:00:00Z", customerId: "a", action: "suspend", subject: "s", phase: "result", outcome: "ok" },
    ].map((l) => JSON.stringify(l));
    expect(Object.fromEntries(refusalsFromAudit([...lines, "{torn"].join("\n")))).toEqual({ a: { time: "2026-11-25T11:00:00Z", message: "second" } });
  });
});

describe("lastChangesFromAudit", () => {
  it("keeps each customer's latest result, failed ones included, and skips attempts and torn lines", () => {
    const lines = [
      { time: "2026-11-25T10:00:00Z", customerId: "A", action: "purchase", subject: "o", phase: "result", outcome: "ok" },
      { time: "2026-11-25T10:05:00Z", customerId: "a", action: "reassign", subject: "u", phase: "result", outcome: "failed" },
      { time: "2026-11-25T10:09:00Z", customerId: "a", action: "suspend", subject: "s", phase: "attempt" },
      { time: "2026-11-25T09:00:00Z", customerId: "b", action: "suspend", subject: "s", phase: "result", outcome: "ok" },
      { time: "not a time", customerId: "b", action: "suspend", subject: "s", phase: "result", outcome: "ok" },
    ].map((l) => JSON.stringify(l));
    const map = lastChangesFromAudit([...lines, '{"time":"2026-11-25T11:00:00Z","customerId":"a"', ""].join("\n"));
    expect(Object.fromEntries(map)).toEqual({
      a: { time: "2026-11-25T10:05:00Z", action: "reassign", outcome: "failed" },
      b: { time: "2026-11-25T09:00:00Z", action: "suspend", outcome: "ok" },
    });
  });
});

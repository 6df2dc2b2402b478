import { describe, expect, it } from "vitest";
import type { MigrationPlan, PlanCustomer, SkuRef } from "../../src/plan-file/types.js";
import type { CustomerPlan, LiveCustomer, LiveState } from "../../src/reconcile/types.js";
import { LEGACY_PURCHASE } from "../reconcile/model.js";
import { computeStatus, renderStatusText, suspensionsFromAudit } from "../../src/status/index.js";

const NOW = "2026-11-24T00:00:00Z";
const SKYPE: SkuRef = { skuId: "b8b749f8-a4ef-4887-9539-c95b1eaa5db7", skuPartNumber: "MCOIMP", displayName: "Skype for Business Online (Plan 1)" };
const F3: SkuRef = { skuId: "4b585984-651b-448a-9e53-3b10f069cf7f", skuPartNumber: "DESKLESSPACK", displayName: "Office 365 F3" };
const at = { file: "plans/p.yaml", line: 1, col: 1 };

const pc = (id: string, name: string, exclude: string[] = []): PlanCustomer => ({
  id,
  name,
  target: F3,
  exclude,
  seats: "users",
  decommission: "auto",
  purchase: LEGACY_PURCHASE,
  strategy: "purchase",
  at,
});
const plan = (customers: PlanCustomer[]): MigrationPlan => ({
  file: "plans/p.yaml",
  name: "retire-skype",
  source: SKYPE,
  target: F3,
  customers,
  suspendSource: true,
  seats: "users",
  allowFeatureLoss: false,
  at,
});
const cp = (c: PlanCustomer, extra: Partial<CustomerPlan>): CustomerPlan => ({
  customerId: c.id,
  name: c.name ?? c.id,
  planName: "retire-skype",
  source: SKYPE,
  target: F3,
  sourceEndDate: undefined,
  daysLeft: undefined,
  actions: [],
  notes: [],
  counts: { sourceHolders: 0, onTarget: 0, excluded: 0 },
  ...extra,
});
const live = (id: string, subs: [string, string][], consumed: [string, number][]): LiveCustomer => ({
  id,
  name: id,
  subscriptions: subs.map(([skuId, status], i) => ({
    id: `sub-${id}-${i}`,
    offerId: "o",
    skuId,
    unmapped: undefined,
    termDuration: undefined,
    billingCycle: undefined,
    commerce: "legacy" as const,
    quantity: 5,
    status,
    autoRenewEnabled: false,
    commitmentEndDate: "2027-03-31T00:00:00Z",
    creationDate: undefined,
    cancellationAllowedUntil: undefined,
  })),
  skus: consumed.map(([skuId, consumedUnits]) => ({ skuId, skuPartNumber: skuId === SKYPE.skuId ? "MCOIMP" : "DESKLESSPACK", consumedUnits, totalUnits: 5 })),
  users: undefined,
  pendingOrders: [],
  eligibilities: new Map(),
});

describe("computeStatus", () => {
  const a = pc("a", "Untouched");
  const b = pc("b", "Half way", ["ceo@b"]);
  const c = pc("c", "Done, suspended by pcplan");
  const d = pc("d", "Done, suspended elsewhere");
  const e = pc("e", "Missing");
  const f = pc("f", "Deprovisioned");
  const state: LiveState = {
    offers: [],
    failures: new Map(),
    catalog: new Map(),
    customers: new Map([
      ["a", live("a", [[SKYPE.skuId, "active"]], [[SKYPE.skuId, 5]])],
      [
        "b",
        live(
          "b",
          [
            [SKYPE.skuId, "active"],
            [F3.skuId, "active"],
          ],
          [
            [SKYPE.skuId, 3],
            [F3.skuId, 2],
          ],
        ),
      ],
      [
        "c",
        live(
          "c",
          [
            [SKYPE.skuId, "suspended"],
            [F3.skuId, "active"],
          ],
          [[F3.skuId, 5]],
        ),
      ],
      [
        "d",
        live(
          "d",
          [
            [SKYPE.skuId, "suspended"],
            [F3.skuId, "active"],
          ],
          [[F3.skuId, 4]],
        ),
      ],
      [
        "f",
        live(
          "f",
          [
            [SKYPE.skuId, "deleted"],
            [F3.skuId, "active"],
          ],
          [[F3.skuId, 4]],
        ),
      ],
    ]),
  };
  const purchase = { kind: "purchase" as const, commerce: "legacy" as const, offerId: "o", offerName: "F3", sku: F3, quantity: 5 };
  const reassign = (upn: string) => ({ kind: "reassign" as const, userId: upn, upn, assign: F3, remove: SKYPE });
  const suspend = { kind: "suspend" as const, subscriptionId: "s", sku: SKYPE, quantity: 5, commitmentEndDate: null };
  const customers: CustomerPlan[] = [
    cp(a, {
      sourceEndDate: "2026-12-15T00:00:00Z",
      daysLeft: 21,
      actions: [purchase, reassign("1"), suspend],
      notes: [{ level: "warning", code: "ends-soon", message: "ends soon" }],
    }),
    cp(b, { actions: [reassign("2"), reassign("3")], counts: { sourceHolders: 3, onTarget: 2, excluded: 1 } }),
    cp(c, {}),
    cp(d, {}),
    cp(e, { notes: [{ level: "error", code: "not-found", message: "customer not found among the partner's customers" }] }),
    cp(f, {}),
  ];
  const report = computeStatus([plan([a, b, c, d, e, f])], customers, state, { now: NOW, suspensions: new Map([["sub-c-0", "2026-10-01T12:00:00Z"]]) });
  const row = (id: string) => report.plans[0].customers.find((r) => r.customerId === id)!;

  it("reports users on target / to move / excluded from subscribed SKU counts", () => {
    expect(row("a")).toMatchObject({ progress: "not-started", usersOnTarget: 0, usersOnSource: 5, usersToMove: 5, excluded: 0 });
    expect(row("b")).toMatchObject({ progress: "in-progress", usersOnTarget: 2, usersOnSource: 3, usersToMove: 2, excluded: 1 });
    expect(row("a").pending).toEqual({
      await: 0,
      purchase: 1,
      resize: 0,
      "group-license": 0,
      reassign: 1,
      suspend: 1,
      cancel: 0,
      "no-renew": 0,
      transition: 0,
      schedule: 0,
    });
    expect(row("a").source).toEqual({ state: "active", subscriptions: 1, endDate: "2026-12-15T00:00:00Z", daysLeft: 21 });
    expect(row("a").notes.map((n) => n.code)).toEqual(["ends-soon"]);
  });

  it("dates deprovisioning 120 days after a suspension the audit log knows, and says so honestly otherwise", () => {
    expect(row("c")).toMatchObject({
      progress: "done",
      source: { state: "suspended", suspendedAt: "2026-10-01T12:00:00Z", deprovisionOn: "2027-01-29", daysToDeprovision: 66 },
    });
    expect(row("d").source).toEqual({ state: "suspended", subscriptions: 1, suspendedAt: undefined, deprovisionOn: undefined, daysToDeprovision: undefined });
    expect(row("f").source).toEqual({ state: "deprovisioned", subscriptions: 1 });
    expect(row("e")).toMatchObject({ progress: "not-found", source: { state: "unknown" } });
  });

  it("totals per plan", () => {
    expect(report.plans[0].totals).toEqual({
      customers: 6,
      done: 3,
      inProgress: 1,
      scheduled: 0,
      notStarted: 1,
      blocked: 0,
      notFound: 1,
      usersOnTarget: 15,
      usersToMove: 7,
      excluded: 1,
      targetSeats: 20,
      seatsToBuy: 5,
    });
  });

  it("renders text per plan and customer", () => {
    const text = renderStatusText(report);
    expect(text).toContain(
      "retire-skype (plans/p.yaml): MCOIMP → DESKLESSPACK\n  6 customers: 3 done, 1 in progress, 1 not started, 1 not found · users: 15 on target, 7 to move, 1 excluded",
    );
    expect(text).toContain("MCOIMP active, ends 2026-12-15 (21 days left)");
    expect(text).toContain("pending 1 purchase, 1 reassignment, 1 suspension");
    expect(text).toContain("MCOIMP suspended 2026-10-01, deprovisioned on 2027-01-29 (66 days left)");
    expect(text).toContain("MCOIMP suspended (deprovisioned within 120 days of suspension; Partner Center does not report the suspension date)");
    expect(text).toContain("customer not found among the partner's customers");
  });
});

describe("suspensionsFromAudit", () => {
  it("keeps the latest successful suspend result per subscription, ignoring everything else", () => {
    const lines = [
      { time: "2026-10-01T00:00:00Z", action: "suspend", subject: "S1", phase: "attempt" },
      { time: "2026-10-01T00:00:01Z", action: "suspend", subject: "S1", phase: "result", outcome: "ok" },
      { time: "2026-10-02T00:00:00Z", action: "suspend", subject: "s2", phase: "result", outcome: "failed" },
      { time: "2026-10-03T00:00:00Z", action: "reassign", subject: "s3", phase: "result", outcome: "ok" },
      { time: "2026-10-05T00:00:00Z", action: "suspend", subject: "s1", phase: "result", outcome: "ok" },
    ].map((l) => JSON.stringify(l));
    const map = suspensionsFromAudit([...lines, "not json", ""].join("\n"));
    expect([...map]).toEqual([["s1", "2026-10-05T00:00:00Z"]]);
  });
});

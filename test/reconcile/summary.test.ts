/** The one-line verdict every preview format ends with, and the counts behind it. */
import { describe, expect, it } from "vitest";
import { summarize, summaryLine, totalChanges } from "../../src/reconcile/summary.js";
import { plural } from "../../src/util/plural.js";
import type { Action, Note } from "../../src/reconcile/types.js";
import { SKU, customerPlanOf } from "./model.js";

const sub = "11111111-1111-4111-8111-111111111111";
const conversion = {
  subscriptionId: sub,
  from: SKU.MCOIMP,
  to: SKU.DESKLESSPACK,
  toCatalogItemId: "X:1:2",
  quantity: 1,
  term: "P1Y",
  billing: "monthly",
} as const;
const A: Record<Action["kind"], Action> = {
  await: { kind: "await", orderIds: ["o-1"], sku: SKU.DESKLESSPACK, quantity: 1 },
  purchase: { kind: "purchase", commerce: "legacy", offerId: "o", offerName: "F3", sku: SKU.DESKLESSPACK, quantity: 1 },
  resize: { kind: "resize", subscriptionId: sub, sku: SKU.DESKLESSPACK, from: 1, to: 2 },
  "group-license": {
    kind: "group-license",
    groupId: "g",
    name: "All staff",
    members: 3,
    dynamic: false,
    assign: SKU.DESKLESSPACK,
    remove: SKU.MCOIMP,
    disabledPlans: [],
  },
  reassign: { kind: "reassign", userId: "u", upn: "u@x", assign: SKU.DESKLESSPACK, remove: SKU.MCOIMP },
  suspend: { kind: "suspend", subscriptionId: sub, sku: SKU.MCOIMP, quantity: 1, commitmentEndDate: null },
  cancel: { kind: "cancel", subscriptionId: sub, sku: SKU.MCOIMP, quantity: 1, cancellationAllowedUntil: "2026-11-30T00:00:00Z" },
  "no-renew": { kind: "no-renew", subscriptionId: sub, sku: SKU.MCOIMP, quantity: 1, commitmentEndDate: null },
  transition: { kind: "transition", ...conversion, users: 1 },
  schedule: { kind: "schedule", ...conversion, renewsOn: "2027-01-31T00:00:00Z", users: 1, replaces: null },
};
const note = (level: Note["level"]): Note => ({ level, code: "ends-soon", message: "m" });

const c = (actions: Action[], notes: Note[] = []) => customerPlanOf(actions, { customerId: "c", name: "c", notes });

describe("plan summary", () => {
  it("counts every kind, changed and unchanged customers, errors and warnings (not info)", () => {
    const s = summarize([
      c([A.purchase, A.reassign, A.reassign, A.suspend], [note("warning"), note("info"), note("warning")]),
      c([], [note("error"), note("error"), note("info")]),
      c([A.cancel, A["no-renew"], A.transition, A.resize]),
    ]);
    expect(s).toEqual({
      await: 0,
      purchase: 1,
      resize: 1,
      "group-license": 0,
      reassign: 2,
      suspend: 1,
      cancel: 1,
      "no-renew": 1,
      transition: 1,
      schedule: 0,
      changedCustomers: 2,
      // The customer with errors is counted by its errors, not as unchanged as well.
      unchangedCustomers: 0,
      errors: 2,
      warnings: 2,
    });
    expect(totalChanges(s)).toBe(8);
  });

  it("names purchases, resizes, reassignments and suspensions always, other kinds when present, in the order they are applied", () => {
    expect(summaryLine(summarize([c([A.purchase, A.reassign]), c([])]))).toBe(
      "Plan: 1 purchase, 0 resizes, 1 reassignment, 0 suspensions across 1 customer (1 unchanged).",
    );
    expect(summaryLine(summarize([c([A.cancel, A.cancel, A["no-renew"], A.transition]), c([A.resize, A.suspend])]))).toBe(
      "Plan: 0 purchases, 1 resize, 0 reassignments, 1 suspension, 2 cancellations, 1 auto-renew turned off, 1 transition across 2 customers (0 unchanged).",
    );
    expect(summaryLine(summarize([c([A["no-renew"], A["no-renew"]])]))).toMatch(/, 2 auto-renews turned off across/);
  });

  it("adds the errors to a plan with changes, and says when errors leave nothing to do", () => {
    expect(summaryLine(summarize([c([A.suspend]), c([], [note("error")])]))).toBe(
      "Plan: 0 purchases, 0 resizes, 0 reassignments, 1 suspension across 1 customer (0 unchanged); 1 error.",
    );
    expect(summaryLine(summarize([c([A.suspend]), c([], [note("error"), note("error")])]))).toMatch(/\(0 unchanged\); 2 errors\.$/);
    // One customer unchanged, another blocked: each counted once.
    expect(summaryLine(summarize([c([A.suspend]), c([], [note("warning")]), c([], [note("error")])]))).toMatch(/across 1 customer \(1 unchanged\); 1 error\.$/);
    expect(summaryLine(summarize([c([], [note("error"), note("error")])]))).toBe("No changes can be made: 2 errors.");
    expect(summaryLine(summarize([c([], [note("error")])]))).toBe("No changes can be made: 1 error.");
    expect(summaryLine(summarize([c([], [note("warning")])]))).toBe("No changes. Live state matches the plans.");
    expect(summaryLine(summarize([]))).toBe("No changes. Live state matches the plans.");
  });

  it("words counts in the singular only for one", () => {
    expect([0, 1, 2].map((n) => plural(n, "seat", "seats"))).toEqual(["0 seats", "1 seat", "2 seats"]);
  });
});

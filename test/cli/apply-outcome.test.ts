/**
 * How an apply ends, as both views show it (src/cli/apply-outcome.ts, src/cli/views/apply.ts):
 * each customer's outcome, the verdict and the exit code, in text and in the JSON document.
 */
import { describe, expect, it } from "vitest";
import type { CustomerResult } from "../../src/apply/execute.js";
import { applyOutcome } from "../../src/cli/apply-outcome.js";
import { applyResultText, toJsonApplyResult } from "../../src/cli/views/apply.js";
import type { Action } from "../../src/reconcile/types.js";
import { SKU, customerPlanOf } from "../reconcile/model.js";

const SUB = "11111111-1111-4111-8111-111111111111";
const reassign: Action = { kind: "reassign", userId: "33333333-3333-4333-8333-000000000001", upn: "alex@x", assign: SKU.DESKLESSPACK, remove: SKU.MCOIMP };
const suspend: Action = { kind: "suspend", subscriptionId: SUB, sku: SKU.MCOIMP, quantity: 0, commitmentEndDate: null };
const resize: Action = { kind: "resize", subscriptionId: SUB, sku: SKU.DESKLESSPACK, from: 2, to: 3 };

const result = (customerId: string, over: Partial<CustomerResult>): CustomerResult => ({
  customerId,
  name: customerId,
  status: "applied",
  applied: [],
  failed: [],
  provisioning: [],
  skipped: [],
  ...over,
});

describe("the apply outcome", () => {
  const failing = customerPlanOf([resize, reassign, suspend], { customerId: "c1", name: "Contoso" });
  const refused = customerPlanOf([reassign], { customerId: "c2", name: "Fabrikam" });
  const blocked = customerPlanOf([], { customerId: "c3", name: "Litware", notes: [{ level: "error", code: "no-offer", message: "no purchasable offer" }] });
  const outcome = applyOutcome({
    customers: [failing, refused, blocked],
    results: [
      result("c1", {
        status: "failed",
        applied: [resize],
        failed: [{ action: reassign, error: "no free unit", code: "PC_LICENSE_QUOTA" }],
        skipped: [suspend],
      }),
      result("c2", { status: "refused", refused: "the credential may not change licenses", skipped: [reassign] }),
    ],
  });

  it("names each customer's outcome, and exits 3 when some change was applied", () => {
    expect(outcome.customers.map((c) => [c.name, c.outcome])).toEqual([
      ["Contoso", "failed"],
      ["Fabrikam", "refused"],
      ["Litware", "blocked"],
    ]);
    expect(outcome.exitCode).toBe(3);
    expect(applyResultText(outcome)).toBe(
      [
        "",
        "Result per customer:",
        "  failed     Contoso (c1): 1 change applied; reassign failed: no free unit; 1 later step skipped (suspend)",
        "  refused    Fabrikam (c2): the credential may not change licenses",
        "  blocked    Litware (c3): no purchasable offer",
        "Apply partly failed: 1 change applied; 3 customers not done: Contoso (failed), Fabrikam (refused), Litware (blocked). Run plan to see what is still missing.",
        "",
      ].join("\n"),
    );
  });

  it("gives each failure its code and message in JSON, and why a customer was refused or blocked", () => {
    const doc = toJsonApplyResult(outcome);
    expect(doc.customers[0]).toMatchObject({
      result: "failed",
      done: [{ kind: "resize", from: 2, to: 3 }],
      failed: [{ action: { kind: "reassign", userPrincipalName: "alex@x" }, code: "PC_LICENSE_QUOTA", message: "no free unit" }],
      skipped: [{ kind: "suspend" }],
    });
    expect(doc.customers[1]).toMatchObject({ result: "refused", reason: "the credential may not change licenses", done: [], skipped: [{ kind: "reassign" }] });
    expect(doc.customers[2]).toMatchObject({ result: "blocked", reason: "no purchasable offer" });
    expect(doc.summary.customers).toMatchObject({ failed: 1, refused: 1, blocked: 1, applied: 0 });
  });

  it("exits 1 when nothing was applied, 0 with nothing to do, and 3 when a saved plan's stale customers were left out", () => {
    expect(applyOutcome({ customers: [blocked], results: [] }).exitCode).toBe(1);
    const quiet = applyOutcome({ customers: [customerPlanOf([])], results: [] });
    expect([quiet.exitCode, quiet.verdict, applyResultText(quiet)]).toEqual([0, undefined, ""]);
    const partial = applyOutcome({
      customers: [customerPlanOf([reassign], { customerId: "c1" })],
      results: [result("c1", { applied: [reassign] })],
      stale: [{ customerId: "c9", name: "Gone", reason: "no longer found" }],
    });
    expect(partial.exitCode).toBe(3);
    expect(applyResultText(partial)).toBe("\nResult per customer:\n  applied    Contoso (c1): 1 reassignment\nApply complete: 1 change applied.\n");
  });
});

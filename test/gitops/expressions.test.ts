/** The expression evaluator the workflow tests run `if:` conditions with: it must read them as GitHub does, or refuse. */
import { describe, expect, it } from "vitest";
import { condition, evaluate, interpolate, type ExprContext } from "./expressions.js";

const values: Record<string, string> = { "steps.plan.outputs.exitcode": "2", "vars.PCPLAN_RECONCILE": "Apply", "steps.html.outcome": "failure" };
const ctx = (failed = false): ExprContext => ({ lookup: (p) => values[p] ?? "", status: { success: !failed, failure: failed } });

describe("workflow expressions", () => {
  it("compares strings without case, and reads unset paths as empty", () => {
    expect(evaluate("vars.PCPLAN_RECONCILE == 'apply'", ctx())).toBe(true);
    expect(evaluate("vars.NOT_SET != 'apply'", ctx())).toBe(true);
    expect(evaluate("steps.plan.outputs.exitcode == '0' || steps.plan.outputs.exitcode == '2'", ctx())).toBe(true);
    expect(evaluate("!(steps.html.outcome == 'success') && 'it''s'", ctx())).toBe("it's");
  });

  it("implies success() in an if: without a status function, as GitHub does", () => {
    expect(condition("${{ vars.PCPLAN_RECONCILE == 'apply' }}", ctx(true))).toBe(false);
    expect(condition("${{ !cancelled() && vars.PCPLAN_RECONCILE == 'apply' }}", ctx(true))).toBe(true);
    expect(condition("${{ always() }}", ctx(true))).toBe(true);
    expect(condition(undefined, ctx(true))).toBe(false);
    expect(condition(undefined, ctx())).toBe(true);
  });

  it("fills ${{ }} in values, and refuses what it does not understand", () => {
    expect(interpolate("code ${{ steps.plan.outputs.exitcode }}!", ctx())).toBe("code 2!");
    expect(() => evaluate("contains(github.ref, 'main')", ctx())).toThrow(/not understood|unsupported/);
    expect(() => evaluate("env.X == 'y'", ctx())).toThrow(/unsupported token env\.X/);
  });
});

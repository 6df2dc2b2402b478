/**
 * How `apply` ends, as data: each planned customer's outcome, the verdict and the exit code.
 * Both apply views (text and JSON, src/cli/views/apply.ts) show this one model, so they can never
 * disagree about what happened. The verdict never says "complete" while any planned customer is
 * not done (not found, unreadable, blocked, refused, failed, provisioning, stale): then the exit
 * code is 3 when some work was done (a change applied, an order placed that still provisions, or
 * a saved plan applied in part), else 1.
 */
import type { CustomerResult } from "../apply/execute.js";
import type { CustomerPlan, Note } from "../reconcile/types.js";
import type { StaleCustomer } from "../saved-plan/stale.js";
import { staleRefusal } from "../saved-plan/refusal.js";
import { plural } from "../util/plural.js";
import { ExitCode } from "./outcome.js";

/**
 * - `applied`: every action done; `unchanged`: nothing to do;
 * - `failed`: a write failed (later steps skipped); `provisioning`: bought or started, not finished in time;
 * - `refused`: nothing attempted (the credential lacks a role there);
 * - `blocked`, `not-found`, `unreadable`: the plan has an error for it (nothing planned);
 * - `stale`: a saved plan's customer whose state changed since (nothing applied for it);
 * - `held`: not applied because other customers of the saved plan are stale (see `--partial`).
 */
export type CustomerOutcomeKind = "applied" | "unchanged" | "failed" | "provisioning" | "refused" | "blocked" | "not-found" | "unreadable" | "stale" | "held";

export interface CustomerOutcome {
  customerId: string;
  name: string;
  /** The plan's name (`metadata.name`); undefined for a stale customer the plan files no longer gave. */
  planName: string | undefined;
  outcome: CustomerOutcomeKind;
  /** What the executor did for it (absent when nothing was attempted). */
  result: CustomerResult | undefined;
  /** Why it is blocked, not found or unreadable (the plan's error note), or stale. */
  reason: Note | { message: string } | undefined;
}

export interface ApplyOutcome {
  customers: CustomerOutcome[];
  /** Nothing was applied because some of the saved plan's customers are stale (no `--partial`). */
  held: boolean;
  /** Changes applied, over all customers. */
  applied: number;
  /** The one-line verdict; undefined when there was nothing to apply and nothing to report. */
  verdict: string | undefined;
  exitCode: ExitCode;
}

export interface ApplyInputs {
  /** The customers as freshly planned (the saved plan's fresh ones, when one was applied). */
  customers: readonly CustomerPlan[];
  results: readonly CustomerResult[];
  /** A saved plan's customers whose state changed since it was saved. */
  stale?: readonly StaleCustomer[];
  /** True when the stale ones stopped the whole apply (no `--partial`). */
  heldByStale?: boolean;
}

/** The outcome of an apply run, from what was planned and what the executor reported. */
export function applyOutcome(inputs: ApplyInputs): ApplyOutcome {
  const stale = inputs.stale ?? [];
  const byId = new Map(inputs.results.map((r) => [r.customerId, r]));
  const planned = inputs.customers.map((c): CustomerOutcome => {
    const result = byId.get(c.customerId);
    const base = { customerId: c.customerId, name: c.name, planName: c.planName, result };
    return inputs.heldByStale ? { ...base, outcome: "held", reason: undefined } : { ...base, ...classify(c, result) };
  });
  const customers = [
    ...stale.map((s): CustomerOutcome => ({ ...s, planName: undefined, outcome: "stale", result: undefined, reason: { message: s.reason } })),
    ...planned,
  ];
  const applied = inputs.results.reduce((n, r) => n + r.applied.length, 0);
  if (inputs.heldByStale) {
    const verdict = staleRefusal(stale.length, inputs.customers.filter((c) => c.actions.length > 0).length);
    return { customers, held: true, applied, verdict, exitCode: ExitCode.StaleOrPartial };
  }
  const { verdict, exitCode } = verdictOf(planned, inputs.results, applied);
  return { customers, held: false, applied, verdict, exitCode: stale.length > 0 && exitCode === ExitCode.Ok ? ExitCode.StaleOrPartial : exitCode };
}

function classify(c: CustomerPlan, r: CustomerResult | undefined): Pick<CustomerOutcome, "outcome" | "reason"> {
  const error = c.notes.find((n) => n.level === "error");
  if (r?.status === "refused") return { outcome: "refused", reason: undefined };
  if (r?.status === "provisioning") return { outcome: "provisioning", reason: undefined };
  if (r && r.failed.length > 0) return { outcome: "failed", reason: undefined };
  if (error) return { outcome: error.code === "not-found" ? "not-found" : error.code === "read-failed" ? "unreadable" : "blocked", reason: error };
  if (r && r.applied.length > 0) return { outcome: "applied", reason: undefined };
  return { outcome: "unchanged", reason: undefined };
}

/** The verdict line and exit code of the planned customers' outcomes. */
function verdictOf(planned: readonly CustomerOutcome[], results: readonly CustomerResult[], applied: number): Pick<ApplyOutcome, "verdict" | "exitCode"> {
  const problems = planned.filter((c) => c.outcome !== "applied" && c.outcome !== "unchanged");
  if (problems.length === 0) {
    return { verdict: applied > 0 ? `Apply complete: ${plural(applied, "change", "changes")} applied.` : undefined, exitCode: ExitCode.Ok };
  }
  const notDone = `${plural(problems.length, "customer", "customers")} not done: ${problems.map((p) => `${p.name} (${OUTCOME_LABEL[p.outcome]})`).join(", ")}`;
  // An order placed (or a transition started) that still provisions is work done, though no action completed.
  const provisioning = results.some((r) => r.status === "provisioning");
  const verdict =
    applied > 0
      ? `Apply partly failed: ${plural(applied, "change", "changes")} applied; ${notDone}. Run plan to see what is still missing.`
      : provisioning
        ? `Apply not finished: what was bought or transitioned is still provisioning; ${notDone}. Run apply again later: it carries on without buying again.`
        : `Nothing was applied; ${notDone}.`;
  return { verdict, exitCode: applied > 0 || provisioning ? ExitCode.StaleOrPartial : ExitCode.Error };
}

/** How the text result names each outcome. */
export const OUTCOME_LABEL: Record<CustomerOutcomeKind, string> = {
  applied: "applied",
  unchanged: "unchanged",
  failed: "failed",
  provisioning: "provisioning",
  refused: "refused",
  blocked: "blocked",
  "not-found": "not found",
  unreadable: "unreadable",
  stale: "stale",
  held: "held",
};

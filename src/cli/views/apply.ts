/**
 * What `apply` shows, one view per `--format`: the preview before writing and the outcome after
 * (src/cli/apply-outcome.ts). Text: the preview and a result line per customer on stdout. JSON:
 * nothing until the end, then one document on stdout (docs/json-format.md); everything else goes
 * to stderr in both.
 */
import { countKinds, describeCounts } from "../../actions/registry.js";
import type { CustomerResult, FailedAction } from "../../apply/execute.js";
import type { ErrorCode } from "../../errors.js";
import type { CustomerPlan } from "../../reconcile/types.js";
import { jsonAction as json, type JsonAction } from "../../render/json.js";
import { renderText } from "../../render/text.js";
import type { StaleCustomer } from "../../saved-plan/stale.js";
import { inert } from "../../util/inert-text.js";
import { plural } from "../../util/plural.js";
import { OUTCOME_LABEL, type ApplyOutcome, type CustomerOutcome, type CustomerOutcomeKind } from "../apply-outcome.js";
import type { Io } from "../io.js";
import type { ExitCode } from "../outcome.js";

export const APPLY_FORMATS = ["text", "json"] as const;
export type ApplyFormat = (typeof APPLY_FORMATS)[number];

export interface ApplyView {
  /** Whether the preview is shown, so a person can be asked to approve it (JSON needs --auto-approve). */
  readonly showsPreview: boolean;
  preview(customers: readonly CustomerPlan[], now: string): void;
  /** A saved plan's customers whose state changed since it was saved. */
  stale(customers: readonly StaleCustomer[]): void;
  outcome(o: ApplyOutcome): void;
}

export function applyView(format: ApplyFormat, io: Io): ApplyView {
  return format === "json" ? jsonView(io) : textView(io);
}

function textView(io: Io): ApplyView {
  return {
    showsPreview: true,
    preview: (customers, now) => io.out(renderText(customers, { color: io.color, now })),
    stale: (customers) => {
      for (const s of customers) io.err(`stale: ${s.name} (${s.customerId}): ${s.reason}\n`);
    },
    outcome: (o) => (o.held ? io.err(`${o.verdict}\n`) : io.out(applyResultText(o))),
  };
}

function jsonView(io: Io): ApplyView {
  return {
    showsPreview: false,
    preview: () => undefined,
    stale: () => undefined,
    outcome: (o) => io.out(JSON.stringify(toJsonApplyResult(o), null, 2) + "\n"),
  };
}

/** One line per customer that changed or could not be done, the unchanged ones counted, then the verdict. */
export function applyResultText(o: ApplyOutcome): string {
  // Stale customers were named on stderr as they were found.
  const planned = o.customers.filter((c) => c.outcome !== "stale");
  const rows = planned.filter((c) => c.outcome !== "unchanged").map((c) => row(OUTCOME_LABEL[c.outcome], `${c.name} (${c.customerId})`, detailOf(c)));
  const unchanged = planned.length - rows.length;
  const lines = unchanged > 0 ? [...rows, row("unchanged", plural(unchanged, "customer", "customers"), "")] : rows;
  const head = rows.length > 0 ? `\nResult per customer:\n${lines.join("\n")}\n` : "";
  return head + (o.verdict ? `${o.verdict}\n` : "");
}

const row = (label: string, name: string, detail: string) => `  ${label.padEnd(10)} ${name}${detail ? `: ${detail}` : ""}`;

function detailOf(c: CustomerOutcome): string {
  const r = c.result;
  switch (c.outcome) {
    case "applied":
      return r ? describeCounts(countKinds(r.applied)) : "";
    case "refused":
      return inert(r?.refused ?? "");
    case "provisioning":
      return (r?.provisioning ?? []).map((p) => inert(p.message)).join("; ");
    case "failed":
      return r ? failureText(r) : "";
    default:
      return inert(c.reason?.message ?? "");
  }
}

function failureText(r: CustomerResult): string {
  const done = r.applied.length > 0 ? [`${plural(r.applied.length, "change", "changes")} applied`] : [];
  const failed = [
    ...sameFailures(r.failed).map(
      (fs) => `${fs[0].action.kind} failed${fs.length > 1 ? ` for ${fs.length} (${fs.map(whom).join(", ")})` : ""}: ${inert(fs[0].error)}`,
    ),
    ...r.provisioning.map((p) => `${p.action.kind} still provisioning: ${inert(p.message)}`),
  ];
  const kinds = [...new Set(r.skipped.map((a) => a.kind))].join(", ");
  const skipped = r.skipped.length > 0 ? [`${plural(r.skipped.length, "later step", "later steps")} skipped (${kinds})`] : [];
  return [...done, ...failed, ...skipped].join("; ");
}

/**
 * Failures with the same cause said once: Partner Center refuses every licence a group assigns
 * alike ("held through a group: use --license-api graph"), named once for the customer with
 * the users it was refused for.
 */
function sameFailures(failed: readonly FailedAction[]): FailedAction[][] {
  const by = new Map<string, FailedAction[]>();
  for (const f of failed) {
    const key = `${f.action.kind}\u0000${f.code ?? ""}\u0000${f.error}`;
    by.set(key, [...(by.get(key) ?? []), f]);
  }
  return [...by.values()];
}

const whom = (f: FailedAction) => inert(f.action.kind === "reassign" ? f.action.upn : f.action.kind);

/** `pcplan apply --format json`, documented in docs/json-format.md. Bump formatVersion on breaking changes. */
export interface JsonApplyResult {
  formatVersion: 1;
  exitCode: ExitCode;
  verdict: string | null;
  summary: { changesApplied: number; customers: Record<CustomerOutcomeKind, number> };
  customers: JsonCustomerOutcome[];
}

export interface JsonCustomerOutcome {
  id: string;
  name: string;
  plan: string | null;
  result: CustomerOutcomeKind;
  /** Why nothing was attempted for it: the missing role, the plan's error, what changed since a saved plan. */
  reason: string | null;
  done: JsonAction[];
  failed: { action: JsonAction; code: ErrorCode | null; message: string }[];
  provisioning: { action: JsonAction; message: string }[];
  skipped: JsonAction[];
}

export function toJsonApplyResult(o: ApplyOutcome): JsonApplyResult {
  const counts = Object.fromEntries(Object.keys(OUTCOME_LABEL).map((k) => [k, 0])) as Record<CustomerOutcomeKind, number>;
  for (const c of o.customers) counts[c.outcome]++;
  return {
    formatVersion: 1,
    exitCode: o.exitCode,
    verdict: o.verdict ?? null,
    summary: { changesApplied: o.applied, customers: counts },
    customers: o.customers.map((c) => ({
      id: c.customerId,
      name: c.name,
      plan: c.planName ?? null,
      result: c.outcome,
      reason: (c.outcome === "refused" ? c.result?.refused : c.reason?.message) ?? null,
      done: (c.result?.applied ?? []).map(json),
      failed: (c.result?.failed ?? []).map((f) => ({ action: json(f.action), code: f.code ?? null, message: f.error })),
      provisioning: (c.result?.provisioning ?? []).map((p) => ({ action: json(p.action), message: p.message })),
      skipped: (c.result?.skipped ?? []).map(json),
    })),
  };
}

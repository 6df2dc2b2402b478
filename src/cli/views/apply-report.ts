import { countKinds, describeCounts } from "../../actions/registry.js";
import type { CustomerResult } from "../../apply/execute.js";
import { plural } from "../../util/plural.js";
import type { CustomerPlan } from "../../reconcile/types.js";
import { inert } from "../../util/inert-text.js";
import { ExitCode } from "../outcome.js";

interface Row {
  label: string;
  name: string;
  detail: string;
  ok: boolean;
}

/**
 * How `apply` ends: one line per customer that changed or could not be done, the unchanged ones
 * counted, and a verdict that never says "complete" while any planned customer is not done
 * (not found, unreadable, blocked, failed, provisioning): then the exit code is 3 when some work was done
 * (a change applied, or an order placed that still provisions), else 1.
 */
export function applyReport(customers: readonly CustomerPlan[], results: readonly CustomerResult[]): { text: string; exitCode: ExitCode } {
  const byId = new Map(results.map((r) => [r.customerId, r]));
  const rows: Row[] = [];
  let unchanged = 0;
  for (const c of customers) {
    const name = `${c.name} (${c.customerId})`;
    const error = c.notes.find((n) => n.level === "error");
    const r = byId.get(c.customerId);
    if (r && r.status === "refused") {
      rows.push({ label: "refused", name, detail: inert(r.refused ?? ""), ok: false });
    } else if (r && r.status === "provisioning") {
      rows.push({ label: "provisioning", name, detail: r.provisioning.map((p) => inert(p.message)).join("; "), ok: false });
    } else if (r && r.failed.length > 0) {
      const failed = [
        ...r.failed.map((f) => `${f.action.kind} failed: ${inert(f.error)}`),
        ...r.provisioning.map((p) => `${p.action.kind} still provisioning: ${inert(p.message)}`),
      ];
      const skipped =
        r.skipped.length > 0
          ? [`${plural(r.skipped.length, "later step", "later steps")} skipped (${[...new Set(r.skipped.map((a) => a.kind))].join(", ")})`]
          : [];
      const done = r.applied.length > 0 ? [`${plural(r.applied.length, "change", "changes")} applied`] : [];
      rows.push({ label: "failed", name, detail: [...done, ...failed, ...skipped].join("; "), ok: false });
    } else if (error) {
      const label = error.code === "not-found" ? "not found" : error.code === "read-failed" ? "unreadable" : "blocked";
      rows.push({ label, name, detail: inert(error.message), ok: false });
    } else if (r && r.applied.length > 0) {
      rows.push({ label: "applied", name, detail: countsOf(r), ok: true });
    } else {
      unchanged++;
    }
  }
  const applied = results.reduce((n, r) => n + r.applied.length, 0);
  const problems = rows.filter((r) => !r.ok);
  const lines = rows.map((r) => `  ${r.label.padEnd(10)} ${r.name}${r.detail ? `: ${r.detail}` : ""}`);
  if (unchanged > 0) lines.push(`  ${"unchanged".padEnd(10)} ${plural(unchanged, "customer", "customers")}`);
  const head = rows.length > 0 ? `\nResult per customer:\n${lines.join("\n")}\n` : "";
  if (problems.length === 0) {
    return { text: applied > 0 || rows.length > 0 ? `${head}Apply complete: ${plural(applied, "change", "changes")} applied.\n` : "", exitCode: ExitCode.Ok };
  }
  const notDone = `${plural(problems.length, "customer", "customers")} not done: ${problems.map((p) => `${p.name.replace(/ \([^)]*\)$/, "")} (${p.label})`).join(", ")}`;
  // An order placed (or a transition started) that still provisions is work done, though no action completed.
  const provisioning = results.some((r) => r.status === "provisioning");
  const verdict =
    applied > 0
      ? `Apply partly failed: ${plural(applied, "change", "changes")} applied; ${notDone}. Run plan to see what is still missing.`
      : provisioning
        ? `Apply not finished: what was bought or transitioned is still provisioning; ${notDone}. Run apply again later: it carries on without buying again.`
        : `Nothing was applied; ${notDone}.`;
  return { text: `${head}${verdict}\n`, exitCode: applied > 0 || provisioning ? ExitCode.StaleOrPartial : ExitCode.Error };
}

function countsOf(r: CustomerResult): string {
  return describeCounts(countKinds(r.applied));
}

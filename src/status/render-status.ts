import { describeCounts } from "../actions/registry.js";
import { DEPROVISION_AFTER_DAYS } from "../partner-center/lifecycle.js";
import { plural } from "../util/plural.js";
import type { Attention, CustomerStatus, PendingActions, PlanStatus, SourceState, StatusReport } from "./types.js";

const PROGRESS_LABEL: Record<CustomerStatus["progress"], string> = {
  done: "done",
  "in-progress": "in progress",
  scheduled: "scheduled",
  "not-started": "not started",
  blocked: "blocked",
  "not-found": "not found",
};

export function describeSource(s: SourceState, sku: string): string {
  switch (s.state) {
    case "active": {
      if (s.endDate === undefined || s.daysLeft === undefined) return `${sku} active`;
      const date = s.endDate.slice(0, 10);
      return s.daysLeft < 0
        ? `${sku} active, term ended ${date} (${plural(-s.daysLeft, "day")} ago)`
        : `${sku} active, ends ${date} (${plural(s.daysLeft, "day")} left)`;
    }
    case "suspended":
      if (s.suspendedAt === undefined || s.deprovisionOn === undefined || s.daysToDeprovision === undefined) {
        return `${sku} suspended (deprovisioned within ${DEPROVISION_AFTER_DAYS} days of suspension; Partner Center does not report the suspension date)`;
      }
      return s.daysToDeprovision < 0
        ? `${sku} suspended ${s.suspendedAt.slice(0, 10)}, deprovisioning due ${s.deprovisionOn}`
        : `${sku} suspended ${s.suspendedAt.slice(0, 10)}, deprovisioned on ${s.deprovisionOn} (${plural(s.daysToDeprovision, "day")} left)`;
    case "deprovisioned":
      return `${sku} deprovisioned`;
    case "none":
      return `no ${sku} subscription`;
    case "unknown":
      return "source unknown";
  }
}

/** "1 purchase, 12 reassignments, 1 suspension"; "" when nothing is pending. Every kind words itself. */
export function describePending(p: PendingActions): string {
  return describeCounts(p);
}

function pendingText(c: CustomerStatus): string {
  const parts = describePending(c.pending);
  return parts ? `pending ${parts}` : "";
}

function customerLines(c: CustomerStatus, plan: PlanStatus): string[] {
  const head = `  ${PROGRESS_LABEL[c.progress].padEnd(11)}  ${c.name} (${c.customerId})`;
  if (c.progress === "not-found") return [head, "               customer not found among the partner's customers"];
  // Not read at all: no counts to show, only why.
  if (c.source.state === "unknown") return [head, ...c.notes.map((n) => `               ${n.level}: ${n.message}`)];
  const users = `users: ${c.usersOnTarget} on ${c.target}, ${c.usersToMove} to move${c.excluded ? `, ${c.excluded} excluded` : ""}`;
  const lines = [head, `               ${users} · ${describeSource(c.source, plan.source)}`];
  const pending = pendingText(c);
  if (pending) lines.push(`               ${pending}`);
  for (const n of c.notes) lines.push(`               ${n.level}: ${n.message}`);
  for (const a of c.attention ?? []) lines.push(`               ${attentionText(a)}`);
  return lines;
}

function attentionText(a: Attention): string {
  switch (a.kind) {
    case "access-refused":
      return `refused at the last apply (${a.time}): ${a.message}`;
    case "license-error":
      return `licence assignment error: ${a.upn}: ${a.sku} ${a.group === null ? "assigned directly" : `through group ${a.group}`} failed (${a.error})`;
  }
}

/** Human status: per plan a totals line, then one block per customer. */
export function renderStatusText(report: StatusReport): string {
  if (report.plans.length === 0) return "No plans.\n";
  const out: string[] = [];
  for (const p of report.plans) {
    const t = p.totals;
    out.push(`${p.name} (${p.file}): ${p.source} → ${p.target}`);
    const states = [
      `${t.done} done`,
      t.inProgress ? `${t.inProgress} in progress` : "",
      t.scheduled ? `${t.scheduled} scheduled` : "",
      t.notStarted ? `${t.notStarted} not started` : "",
      t.blocked ? `${t.blocked} blocked` : "",
      t.notFound ? `${t.notFound} not found` : "",
    ].filter(Boolean);
    out.push(
      `  ${plural(t.customers, "customer")}: ${states.join(", ")} · users: ${t.usersOnTarget} on target, ${t.usersToMove} to move${t.excluded ? `, ${t.excluded} excluded` : ""}`,
    );
    out.push("");
    for (const c of p.customers) out.push(...customerLines(c, p));
    out.push("");
  }
  return out.join("\n");
}

export function renderStatusJson(report: StatusReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}

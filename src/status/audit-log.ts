import type { LastChange } from "./types.js";

/** The fields of an audit-log result line (src/apply/audit.ts) that status reads. */
interface AuditResult {
  time: string;
  customerId: string;
  action: string;
  subject: string;
  outcome: "ok" | "failed";
}

/** A customer an apply refused to write for (src/apply/audit.ts, phase "refused"). */
export interface Refusal {
  time: string;
  message: string;
}

/** The JSON object of an audit log line; a line that is not one (a torn last line) is skipped: the log is append-only. */
function auditLine(line: string): Record<string, unknown> | undefined {
  if (!line.trim()) return undefined;
  try {
    const e: unknown = JSON.parse(line);
    return typeof e === "object" && e !== null ? (e as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A result line of pcplan's audit log (JSONL); undefined for other lines (attempts, a bad time). */
function auditResult(e: Record<string, unknown>): AuditResult | undefined {
  const { action, phase, outcome, subject, time, customerId } = e;
  if (phase !== "result" || (outcome !== "ok" && outcome !== "failed")) return undefined;
  if (typeof action !== "string" || typeof subject !== "string" || typeof time !== "string" || Number.isNaN(Date.parse(time))) return undefined;
  return { time, action, subject, outcome, customerId: typeof customerId === "string" ? customerId.toLowerCase() : "" };
}

const later = (a: string, b: string | undefined) => b === undefined || Date.parse(a) > Date.parse(b);

/** What status reads from the audit log, per subscription or customer: it grows with them, not with the log. */
export interface AuditSummary {
  /** Suspension times: the successful `suspend` results, latest per subscription (lowercase id). */
  suspensions: Map<string, string>;
  /** The latest write per customer (lowercase id), successful or not. */
  lastChanges: Map<string, LastChange>;
  /** The latest refusal per customer (lowercase id): the credential lacked a role there, nothing was written. */
  refusals: Map<string, Refusal>;
}

/** Folds one line of the audit log into the summary. */
function addLine(sum: AuditSummary, line: string): void {
  const e = auditLine(line);
  // The access proof changes nothing: it is no customer's last change.
  if (!e || e.purpose === "access-proof") return;
  const r = auditResult(e);
  if (r) {
    if (r.action === "suspend" && r.outcome === "ok" && later(r.time, sum.suspensions.get(r.subject.toLowerCase())))
      sum.suspensions.set(r.subject.toLowerCase(), r.time);
    if (r.customerId && later(r.time, sum.lastChanges.get(r.customerId)?.time))
      sum.lastChanges.set(r.customerId, { time: r.time, action: r.action, outcome: r.outcome });
    return;
  }
  const { phase, time, customerId, reason } = e;
  if (phase !== "refused" || typeof time !== "string" || Number.isNaN(Date.parse(time))) return;
  if (typeof customerId !== "string" || typeof reason !== "string") return;
  if (later(time, sum.refusals.get(customerId.toLowerCase())?.time)) sum.refusals.set(customerId.toLowerCase(), { time, message: reason });
}

/** The audit log's summary from its lines, read one at a time (a log of any size in bounded memory). */
export async function summarizeAudit(lines: AsyncIterable<string> | Iterable<string>): Promise<AuditSummary> {
  const sum: AuditSummary = { suspensions: new Map(), lastChanges: new Map(), refusals: new Map() };
  for await (const line of lines) addLine(sum, line);
  return sum;
}

const summaryOf = (text: string): AuditSummary => {
  const sum: AuditSummary = { suspensions: new Map(), lastChanges: new Map(), refusals: new Map() };
  for (const line of text.split("\n")) addLine(sum, line);
  return sum;
};

export const suspensionsFromAudit = (text: string): Map<string, string> => summaryOf(text).suspensions;
export const lastChangesFromAudit = (text: string): Map<string, LastChange> => summaryOf(text).lastChanges;
export const refusalsFromAudit = (text: string): Map<string, Refusal> => summaryOf(text).refusals;

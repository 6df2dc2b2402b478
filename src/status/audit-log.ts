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

/** The JSON objects of the audit log's lines; a line that is not one (a torn last line) is skipped: the log is append-only. */
function auditLines(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const e: unknown = JSON.parse(line);
      if (typeof e === "object" && e !== null) out.push(e as Record<string, unknown>);
    } catch {
      continue;
    }
  }
  return out;
}

/** The result lines of pcplan's audit log (JSONL). Other lines (attempts, a bad time) are skipped. */
function auditResults(text: string): AuditResult[] {
  const out: AuditResult[] = [];
  for (const e of auditLines(text)) {
    const { action, phase, outcome, subject, time, customerId } = e;
    if (phase !== "result" || (outcome !== "ok" && outcome !== "failed")) continue;
    if (typeof action !== "string" || typeof subject !== "string" || typeof time !== "string" || Number.isNaN(Date.parse(time))) continue;
    out.push({ time, action, subject, outcome, customerId: typeof customerId === "string" ? customerId.toLowerCase() : "" });
  }
  return out;
}

const later = (a: string, b: string | undefined) => b === undefined || Date.parse(a) > Date.parse(b);

/** Suspension times: the successful `suspend` results, latest per subscription (lowercase id). */
export function suspensionsFromAudit(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of auditResults(text)) {
    if (e.action !== "suspend" || e.outcome !== "ok") continue;
    const id = e.subject.toLowerCase();
    if (later(e.time, out.get(id))) out.set(id, e.time);
  }
  return out;
}

/** The latest write per customer (lowercase id), successful or not. */
export function lastChangesFromAudit(text: string): Map<string, LastChange> {
  const out = new Map<string, LastChange>();
  for (const e of auditResults(text)) {
    if (!e.customerId) continue;
    if (later(e.time, out.get(e.customerId)?.time)) out.set(e.customerId, { time: e.time, action: e.action, outcome: e.outcome });
  }
  return out;
}

/** The latest refusal per customer (lowercase id): the credential lacked a role there, nothing was written. */
export function refusalsFromAudit(text: string): Map<string, Refusal> {
  const out = new Map<string, Refusal>();
  for (const { phase, time, customerId, reason } of auditLines(text)) {
    if (phase !== "refused" || typeof time !== "string" || Number.isNaN(Date.parse(time))) continue;
    if (typeof customerId !== "string" || typeof reason !== "string") continue;
    const id = customerId.toLowerCase();
    if (later(time, out.get(id)?.time)) out.set(id, { time, message: reason });
  }
  return out;
}

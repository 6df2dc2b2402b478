import type { LastChange } from "./types.js";

/** The fields of an audit-log result line (src/apply/audit.ts) that status reads. */
interface AuditResult {
  time: string;
  customerId: string;
  action: string;
  subject: string;
  outcome: "ok" | "failed";
}

/**
 * The result lines of pcplan's audit log (JSONL). Lines that are not such entries (not JSON,
 * attempts, a bad time) are skipped: the log is append-only and may end in a torn line.
 */
function auditResults(text: string): AuditResult[] {
  const out: AuditResult[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof e !== "object" || e === null) continue;
    const { action, phase, outcome, subject, time, customerId } = e as Record<string, unknown>;
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

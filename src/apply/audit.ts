import { appendStateLine } from "../util/state-files.js";
import type { ActionKindName } from "../actions/registry.js";

/** One line of the append-only audit log (JSONL). Every write gets an attempt and a result line. */
export interface AuditEntry {
  time: string;
  correlationId: string;
  customerId: string;
  action: ActionKindName;
  /** What the write touches: offer id (purchase), subscription id, or user id. */
  subject: string;
  requestId: string;
  phase: "attempt" | "result";
  outcome?: "ok" | "failed";
  error?: { status?: number; code?: string; message: string };
  /** `access-proof`: the licence write that changes nothing, made before a customer's first write (src/apply/access-check.ts). */
  purpose?: "access-proof";
}

/** The last line of an apply: what the request budget did over the whole run. */
export interface AuditRunEntry {
  time: string;
  correlationId: string;
  phase: "run";
  requests: number;
  throttled: number;
  /** The most requests sent in one second. */
  peakRps: number;
  /** Time requests waited for the budget and for 429s (ms, summed over requests). */
  waitMs: number;
  throttleWaitMs: number;
}

/** A customer the apply wrote nothing for: the credential lacks a role its actions need there (`status` shows it). */
export interface AuditRefusalEntry {
  time: string;
  correlationId: string;
  customerId: string;
  phase: "refused";
  reason: string;
}

export interface AuditLog {
  write(entry: Omit<AuditEntry, "time">): Promise<void>;
  run(entry: Omit<AuditRunEntry, "time" | "phase">): Promise<void>;
  refused(entry: Omit<AuditRefusalEntry, "time" | "phase">): Promise<void>;
}

/** Appends serially so lines never interleave; an attempt line is on disk before its request is sent. */
export function fileAuditLog(path: string): AuditLog {
  let chain: Promise<void> = Promise.resolve();
  const append = (value: object) => {
    const line = JSON.stringify({ time: new Date().toISOString(), ...value });
    // Opened only as a regular file (a FIFO is refused, never waited on); a torn last line is ended first.
    chain = chain.then(async () => void (await appendStateLine(path, line)));
    return chain;
  };
  return { write: append, run: (entry) => append({ phase: "run", ...entry }), refused: (entry) => append({ phase: "refused", ...entry }) };
}

export const nullAuditLog: AuditLog = { write: () => Promise.resolve(), run: () => Promise.resolve(), refused: () => Promise.resolve() };

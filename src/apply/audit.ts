import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
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
}

export interface AuditLog {
  write(entry: Omit<AuditEntry, "time">): Promise<void>;
}

/** Appends serially so lines never interleave; an attempt line is on disk before its request is sent. */
export function fileAuditLog(path: string): AuditLog {
  let chain: Promise<void> = mkdir(dirname(path), { recursive: true }).then(() => undefined);
  return {
    write(entry) {
      const line = JSON.stringify({ time: new Date().toISOString(), ...entry }) + "\n";
      chain = chain.then(() => appendFile(path, line, "utf8"));
      return chain;
    },
  };
}

export const nullAuditLog: AuditLog = { write: () => Promise.resolve() };

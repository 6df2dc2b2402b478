import { randomUUID } from "node:crypto";
import pLimit from "p-limit";
import { kindOf, stepOf } from "../actions/registry.js";
import { STEPS, type PerformContext } from "../actions/types.js";
import type { PartnerCenterApi } from "../partner-center/api.js";
import type { Action, CustomerPlan } from "../reconcile/types.js";
import type { AuditLog } from "./audit.js";

export interface ExecuteOptions {
  /** Customers applied at once. */
  concurrency: number;
  /** Writes of one step in flight at once within one customer (reassignments). */
  userConcurrency: number;
  audit: AuditLog;
  /** The commerce basis (src/reconcile/fingerprint.ts) each customer was planned from. */
  bases: ReadonlyMap<string, string>;
  onEvent?: (e: ApplyEvent) => void;
}

export type ApplyEvent =
  | { type: "action-done"; customerId: string; action: Action }
  | { type: "action-failed"; customerId: string; action: Action; error: string }
  | { type: "customer-done"; customerId: string; result: CustomerResult };

export interface CustomerResult {
  customerId: string;
  name: string;
  status: "applied" | "failed" | "unchanged";
  applied: Action[];
  failed: { action: Action; error: string }[];
  /** Later steps not attempted because an earlier one failed. */
  skipped: Action[];
}

/**
 * Applies each customer's actions step by step (src/actions/types.ts: STEPS), customers in
 * parallel. A failed step stops that customer's later steps (never a retirement after a failed
 * reassignment) while other customers go on.
 */
export async function executePlan(api: PartnerCenterApi, customers: readonly CustomerPlan[], opts: ExecuteOptions): Promise<CustomerResult[]> {
  const limit = pLimit(Math.max(1, opts.concurrency));
  return Promise.all(customers.map((c) => limit(() => executeCustomer(api, c, opts))));
}

async function executeCustomer(api: PartnerCenterApi, c: CustomerPlan, opts: ExecuteOptions): Promise<CustomerResult> {
  const result: CustomerResult = { customerId: c.customerId, name: c.name, status: "unchanged", applied: [], failed: [], skipped: [] };
  const within = pLimit(Math.max(1, opts.userConcurrency));
  for (const step of STEPS) {
    const batch = c.actions.filter((a) => stepOf(a) === step);
    if (batch.length === 0) continue;
    if (result.failed.length > 0) {
      result.skipped.push(...batch);
      continue;
    }
    await Promise.all(
      batch.map(async (action) => {
        const run = () => performAudited(api, c, action, opts);
        try {
          await (kindOf(action).parallel ? within(run) : run());
          result.applied.push(action);
          opts.onEvent?.({ type: "action-done", customerId: c.customerId, action });
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          result.failed.push({ action, error });
          opts.onEvent?.({ type: "action-failed", customerId: c.customerId, action, error });
        }
      }),
    );
  }
  result.status = result.failed.length > 0 ? "failed" : result.applied.length > 0 ? "applied" : "unchanged";
  opts.onEvent?.({ type: "customer-done", customerId: c.customerId, result });
  return result;
}

/** One write: its attempt line on disk first, then the pre-check and the write, then its result line. */
async function performAudited(api: PartnerCenterApi, c: CustomerPlan, action: Action, opts: ExecuteOptions): Promise<void> {
  const kind = kindOf(action);
  const basis = opts.bases.get(c.customerId) ?? "";
  const requestId = kind.derivedRequestId && basis ? kind.derivedRequestId(c.customerId, action, basis) : randomUUID();
  const ctx: PerformContext = { api, customerId: c.customerId, requestId, basis };
  const base = { correlationId: api.correlationId, customerId: c.customerId, action: action.kind, subject: kind.subject(action), requestId };
  await opts.audit.write({ ...base, phase: "attempt" });
  try {
    const checked = kind.precheck ? await kind.precheck(ctx, action) : undefined;
    await kind.perform(ctx, action, checked);
  } catch (err) {
    await opts.audit.write({ ...base, phase: "result", outcome: "failed", error: errorInfo(err) });
    throw err;
  }
  await opts.audit.write({ ...base, phase: "result", outcome: "ok" });
}

function errorInfo(err: unknown): { status?: number; code?: string; message: string } {
  const e = err as { status?: unknown; pcCode?: unknown; code?: unknown; message?: unknown };
  const code = typeof e.pcCode === "string" ? e.pcCode : typeof e.code === "string" ? e.code : undefined;
  return {
    ...(typeof e.status === "number" ? { status: e.status } : {}),
    ...(code !== undefined ? { code } : {}),
    message: err instanceof Error ? err.message : String(err),
  };
}

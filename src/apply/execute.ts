import pLimit from "p-limit";
import type { PartnerCenterApi } from "../partner-center/api.js";
import type { Action, CustomerPlan, PurchaseAction, ReassignAction, ResizeAction, SuspendAction } from "../reconcile/types.js";
import type { AuditLog } from "./audit.js";
import { requestIdFor } from "./request-id.js";
import { PcplanError } from "../errors.js";

export interface ExecuteOptions {
  /** Customers applied at once. */
  concurrency: number;
  /** License updates in flight at once within one customer. */
  userConcurrency: number;
  audit: AuditLog;
  /** Live fingerprints per customer id, for purchase request ids. */
  fingerprints?: ReadonlyMap<string, string>;
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
 * Applies each customer's actions in order: purchase/resize → reassign → suspend.
 * Customers run in parallel; a failed step stops that customer's later steps (never a
 * suspension after a failed reassignment) while other customers go on.
 */
export async function executePlan(api: PartnerCenterApi, customers: readonly CustomerPlan[], opts: ExecuteOptions): Promise<CustomerResult[]> {
  const limit = pLimit(Math.max(1, opts.concurrency));
  return Promise.all(customers.map((c) => limit(() => executeCustomer(api, c, opts))));
}

async function executeCustomer(api: PartnerCenterApi, c: CustomerPlan, opts: ExecuteOptions): Promise<CustomerResult> {
  const result: CustomerResult = { customerId: c.customerId, name: c.name, status: "unchanged", applied: [], failed: [], skipped: [] };
  const steps: Action["kind"][][] = [["purchase", "resize"], ["reassign"], ["suspend"]];
  const userLimit = pLimit(Math.max(1, opts.userConcurrency));
  for (const kinds of steps) {
    const batch = c.actions.filter((a) => kinds.includes(a.kind));
    if (batch.length === 0) continue;
    if (result.failed.length > 0) {
      result.skipped.push(...batch);
      continue;
    }
    // Only reassignments of one customer run side by side; other steps are single writes.
    const run = kinds[0] === "reassign" ? (f: () => Promise<void>) => userLimit(f) : (f: () => Promise<void>) => f();
    await Promise.all(
      batch.map((action) =>
        run(async () => {
          try {
            await performAudited(api, c, action, opts);
            result.applied.push(action);
            opts.onEvent?.({ type: "action-done", customerId: c.customerId, action });
          } catch (err) {
            const error = err instanceof Error ? err.message : String(err);
            result.failed.push({ action, error });
            opts.onEvent?.({ type: "action-failed", customerId: c.customerId, action, error });
          }
        }),
      ),
    );
  }
  result.status = result.failed.length > 0 ? "failed" : result.applied.length > 0 ? "applied" : "unchanged";
  opts.onEvent?.({ type: "customer-done", customerId: c.customerId, result });
  return result;
}

async function performAudited(api: PartnerCenterApi, c: CustomerPlan, action: Action, opts: ExecuteOptions): Promise<void> {
  const requestId = requestIdFor(c.customerId, action, opts.fingerprints?.get(c.customerId));
  const base = { correlationId: api.correlationId, customerId: c.customerId, action: action.kind, subject: subjectOf(action), requestId };
  await opts.audit.write({ ...base, phase: "attempt" });
  try {
    await perform(api, c.customerId, action, requestId);
  } catch (err) {
    await opts.audit.write({ ...base, phase: "result", outcome: "failed", error: errorInfo(err) });
    throw err;
  }
  await opts.audit.write({ ...base, phase: "result", outcome: "ok" });
}

function perform(api: PartnerCenterApi, customerId: string, action: Action, requestId: string): Promise<void> {
  switch (action.kind) {
    case "purchase":
      return purchase(api, customerId, action, requestId);
    case "resize":
      return resize(api, customerId, action, requestId);
    case "reassign":
      return reassign(api, customerId, action, requestId);
    case "suspend":
      return suspend(api, customerId, action, requestId);
  }
}

async function purchase(api: PartnerCenterApi, customerId: string, a: PurchaseAction, requestId: string): Promise<void> {
  await api.createOrder(
    customerId,
    { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: a.offerId, quantity: a.quantity, friendlyName: a.offerName }] },
    { requestId },
  );
}

async function resize(api: PartnerCenterApi, customerId: string, a: ResizeAction, requestId: string): Promise<void> {
  const sub = await api.getSubscription(customerId, a.subscriptionId);
  if (sub.status !== "active" || sub.quantity !== a.from) {
    throw new PcplanError("STALE", `subscription ${a.subscriptionId} changed since planning (now ${sub.status}, ${sub.quantity} seats); run plan again`);
  }
  await api.updateSubscription(customerId, { ...sub, quantity: a.to }, { requestId });
}

async function reassign(api: PartnerCenterApi, customerId: string, a: ReassignAction, requestId: string): Promise<void> {
  await api.updateUserLicenses(customerId, a.userId, { assign: a.assign ? [a.assign.skuId] : [], remove: [a.remove.skuId] }, { requestId });
}

/** Re-checks right before suspending that nobody holds the source: a subscription in use is never suspended. */
async function suspend(api: PartnerCenterApi, customerId: string, a: SuspendAction, requestId: string): Promise<void> {
  const skus = await api.listSubscribedSkus(customerId);
  const inUse = skus.find((k) => k.productSku.id.toLowerCase() === a.sku.skuId)?.consumedUnits ?? 0;
  if (inUse > 0) {
    throw new PcplanError("IN_USE", `refusing to suspend ${a.sku.skuPartNumber} subscription ${a.subscriptionId}: ${inUse} user(s) still hold ${a.sku.skuPartNumber}`);
  }
  const sub = await api.getSubscription(customerId, a.subscriptionId);
  if (sub.status === "suspended") return;
  await api.updateSubscription(customerId, { ...sub, status: "suspended" }, { requestId });
}

function subjectOf(a: Action): string {
  switch (a.kind) {
    case "purchase":
      return a.offerId;
    case "resize":
    case "suspend":
      return a.subscriptionId;
    case "reassign":
      return a.userId;
  }
}

function errorInfo(err: unknown): { status?: number; code?: string; message: string } {
  const e = err as { status?: unknown; pcCode?: unknown; message?: unknown };
  return {
    ...(typeof e.status === "number" ? { status: e.status } : {}),
    ...(typeof e.pcCode === "string" ? { code: e.pcCode } : {}),
    message: err instanceof Error ? err.message : String(err),
  };
}

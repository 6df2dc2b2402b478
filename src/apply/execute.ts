import { randomUUID } from "node:crypto";
import pLimit from "p-limit";
import { kindOf, stepOf } from "../actions/registry.js";
import { STEPS } from "../actions/types.js";
import { ChangeNotSent, type LicenseBackend, type LicenseBackendFactory } from "../licenses/backend.js";
import type { PartnerCenterApi } from "../partner-center/api.js";
import { PartnerCenterError } from "../partner-center/errors.js";
import type { Action, CustomerPlan, ReassignAction } from "../reconcile/types.js";
import type { SubscriptionFacts } from "../actions/request-id.js";
import { accessVerdict, proofGate, refusedByLicenceWrites, spendsMoney, type AccessCheck, type AccessVerdict, type LicenceProof } from "./access-check.js";
import { PcplanError, type ErrorCode } from "../errors.js";
import type { AuditLog } from "./audit.js";
import type { RunDeadline } from "../http/deadline.js";
import { effectOf, type AnyEffect } from "./effects/index.js";
import { ProvisioningPendingError } from "./effects/provisioning.js";
import type { CommerceContext, PerformContext, WritesOne } from "./effects/types.js";

/** An effect that writes one action at a time. */
type OneAtATime = AnyEffect & WritesOne<Action, unknown>;

export interface ExecuteOptions {
  /** Customers applied at once. */
  concurrency: number;
  /** Writes of one step in flight at once within one customer (reassignments). */
  userConcurrency: number;
  audit: AuditLog;
  /** Where licence changes go (Partner Center or Graph), bounded per customer by `userConcurrency`. */
  licenses: LicenseBackendFactory;
  /** The journal of purchases, the provisioning wait and its clock. */
  commerce: CommerceContext;
  /** What the credential may do with each customer's licences, checked before its first write (absent: not checked). */
  access?: AccessCheck;
  /** The commerce basis (src/reconcile/commerce-basis.ts) each customer was planned from. */
  bases: ReadonlyMap<string, string>;
  /** Each customer's subscriptions as read when planned: what derived request ids rest on (absent: fresh ids). */
  subscriptions?: ReadonlyMap<string, readonly SubscriptionFacts[]>;
  onEvent?: (e: ApplyEvent) => void;
  /** The run's time limit (`--timeout`): once it is up no write starts (an action not begun fails with `RUN_TIMEOUT`). */
  deadline?: Pick<RunDeadline, "check">;
}

export type ApplyEvent =
  | { type: "action-done"; customerId: string; action: Action }
  | { type: "action-failed"; customerId: string; action: Action; error: string }
  | { type: "action-provisioning"; customerId: string; action: Action; message: string }
  | { type: "customer-done"; customerId: string; result: CustomerResult };

/** A write that failed: its message, and its code when pcplan knows the kind of failure (a `PcplanError`). */
export interface FailedAction {
  action: Action;
  error: string;
  code?: ErrorCode;
}

/** A write done, whose result (an order, a transition) was still provisioning when the wait ended. */
export interface ProvisioningAction {
  action: Action;
  message: string;
}

export interface CustomerResult {
  customerId: string;
  name: string;
  /** `provisioning`: bought, but not provisioned within the wait; the next run carries on. */
  status: "applied" | "failed" | "provisioning" | "refused" | "unchanged";
  /** Why nothing was attempted for this customer (the credential lacks a role there). */
  refused?: string;
  applied: Action[];
  failed: FailedAction[];
  provisioning: ProvisioningAction[];
  /** Later steps not attempted because an earlier one failed or is still provisioning. */
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
  const empty = () => ({ customerId: c.customerId, name: c.name, applied: [], failed: [], provisioning: [], skipped: [] });
  const licenses = opts.licenses(pLimit(Math.max(1, opts.userConcurrency)));
  const verdict = await accessVerdict(opts.access, c.customerId, c.actions).catch((err: unknown): AccessVerdict => ({
    state: "refused",
    reason: `what the credential may do in this customer's tenant could not be read: ${asError(err).message}; nothing was written for this customer`,
  }));
  if (verdict.state === "refused") return refuse(api, { ...empty(), status: "refused", refused: verdict.reason, skipped: [...c.actions] }, opts);
  const prove: LicenceProof = (mover) => provenAudited(api, licenses, c, mover, opts);
  const gate = verdict.state === "prove" ? proofGate(verdict, prove) : undefined;
  const result: CustomerResult = { ...empty(), status: "unchanged" };
  for (const step of STEPS) {
    const batch = c.actions.filter((a) => stepOf(a) === step);
    if (batch.length === 0) continue;
    if (result.failed.length + result.provisioning.length > 0) result.skipped.push(...batch);
    else await runStep(api, licenses, { c, gate }, batch, opts, (action, err) => record(result, action, err, opts));
  }
  const refused = refusal(result);
  if (refused !== undefined) return refuse(api, { ...empty(), status: "refused", refused, skipped: [...c.actions] }, opts);
  result.status = result.failed.length > 0 ? "failed" : result.provisioning.length > 0 ? "provisioning" : result.applied.length > 0 ? "applied" : "unchanged";
  opts.onEvent?.({ type: "customer-done", customerId: c.customerId, result });
  return result;
}

/** A customer the credential may not change licences for, with nothing written: said once, as a refusal. */
function refusal(r: CustomerResult): string | undefined {
  if (r.applied.length > 0 || r.provisioning.length > 0) return undefined;
  return r.failed.find((f) => f.code === "ACCESS_REFUSED")?.error ?? refusedByLicenceWrites(r.applied, r.failed);
}

async function refuse(api: PartnerCenterApi, r: CustomerResult & { refused: string }, opts: ExecuteOptions): Promise<CustomerResult> {
  await opts.audit.refused({ correlationId: api.correlationId, customerId: r.customerId, reason: r.refused });
  opts.onEvent?.({ type: "customer-done", customerId: r.customerId, result: r });
  return r;
}

/** The customer being applied, and the licence proof its money writes wait on (src/apply/access-check.ts). */
interface Applying {
  c: CustomerPlan;
  gate?: () => Promise<void>;
}

/** One step's writes at once: the kinds that write in groups in one go, the others one by one. */
async function runStep(
  api: PartnerCenterApi,
  licenses: LicenseBackend,
  { c, gate }: Applying,
  batch: readonly Action[],
  opts: ExecuteOptions,
  done: (action: Action, err?: Error) => void,
): Promise<void> {
  const many = batch.filter((a) => effectOf(a).performMany !== undefined);
  const single = batch.flatMap((action) => {
    const effect = effectOf(action);
    return effect.performMany === undefined ? [{ action, effect }] : [];
  });
  await Promise.all([
    ...(many.length > 0 ? [performManyAudited(api, licenses, c, many, opts).then((outcomes) => outcomes.forEach((err, i) => done(many[i], err)))] : []),
    ...single.map(async ({ action, effect }) => {
      try {
        await performAudited(api, licenses, { c, gate }, action, effect, opts);
        done(action);
      } catch (err) {
        done(action, asError(err));
      }
    }),
  ]);
}

/** Where an action's outcome goes: done, not sent (skipped), still provisioning (told by its error's class), or failed. */
function record(result: CustomerResult, action: Action, err: Error | undefined, opts: ExecuteOptions): void {
  const customerId = result.customerId;
  if (err === undefined) {
    result.applied.push(action);
    opts.onEvent?.({ type: "action-done", customerId, action });
  } else if (err instanceof ChangeNotSent) {
    result.skipped.push(action);
  } else if (err instanceof ProvisioningPendingError) {
    result.provisioning.push({ action, message: err.message });
    opts.onEvent?.({ type: "action-provisioning", customerId, action, message: err.message });
  } else {
    result.failed.push({ action, error: err.message, ...(err instanceof PcplanError ? { code: err.code } : {}) });
    opts.onEvent?.({ type: "action-failed", customerId, action, error: err.message });
  }
}

function requestIdOf(c: CustomerPlan, action: Action, opts: ExecuteOptions): string {
  const kind = kindOf(action);
  const subscriptions = opts.subscriptions?.get(c.customerId);
  return kind.derivedRequestId && subscriptions ? kind.derivedRequestId(c.customerId, action, subscriptions) : randomUUID();
}

function auditBase(api: PartnerCenterApi, c: CustomerPlan, action: Action, requestId: string) {
  return { correlationId: api.correlationId, customerId: c.customerId, action: action.kind, subject: kindOf(action).subject(action), requestId };
}

/**
 * The licence access proof (src/apply/access-check.ts) is a write too: audited like any other,
 * marked as the proof so that status does not take it for the customer's last change.
 */
async function provenAudited(api: PartnerCenterApi, licenses: LicenseBackend, c: CustomerPlan, mover: ReassignAction, opts: ExecuteOptions): Promise<void> {
  const base = { ...auditBase(api, c, mover, randomUUID()), purpose: "access-proof" as const };
  await opts.audit.write({ ...base, phase: "attempt" });
  try {
    await licenses.reassert(c.customerId, mover.userId, mover.remove.skuId, base.requestId);
  } catch (err) {
    await opts.audit.write({ ...base, phase: "result", outcome: "failed", error: errorInfo(err) });
    throw err;
  }
  await opts.audit.write({ ...base, phase: "result", outcome: "ok" });
}

/** One write: its attempt line on disk first, then the pre-check and the write, then its result line. */
async function performAudited(
  api: PartnerCenterApi,
  licenses: LicenseBackend,
  { c, gate }: Applying,
  action: Action,
  effect: OneAtATime,
  opts: ExecuteOptions,
): Promise<void> {
  const basis = opts.bases.get(c.customerId) ?? "";
  const requestId = requestIdOf(c, action, opts);
  const base = auditBase(api, c, action, requestId);
  const auditWrite = (subject: string, id: string) => opts.audit.write({ ...base, subject, requestId: id, phase: "attempt" });
  const ctx: PerformContext = { api, licenses, customerId: c.customerId, requestId, basis, commerce: opts.commerce, auditWrite };
  opts.deadline?.check(`its turn to ${action.kind} ${base.subject}`);
  await opts.audit.write({ ...base, phase: "attempt" });
  try {
    const checked = effect.precheck ? await effect.precheck(ctx, action) : undefined;
    if (gate && spendsMoney(action)) await gate();
    await effect.perform(ctx, action, checked);
  } catch (err) {
    await opts.audit.write({ ...base, phase: "result", outcome: "failed", error: errorInfo(err) });
    throw err;
  }
  await opts.audit.write({ ...base, phase: "result", outcome: "ok" });
}

/**
 * Writes of one kind that go in one request where the API allows (Graph's `$batch`): every
 * attempt line first, then the grouped call, then each result line. Returns each action's error,
 * or undefined where it succeeded; a batch can half succeed.
 */
async function performManyAudited(
  api: PartnerCenterApi,
  licenses: LicenseBackend,
  c: CustomerPlan,
  actions: readonly Action[],
  opts: ExecuteOptions,
): Promise<(Error | undefined)[]> {
  const effect = effectOf(actions[0]);
  const basis = opts.bases.get(c.customerId) ?? "";
  const items = actions.map((action) => ({ action, requestId: requestIdOf(c, action, opts) }));
  try {
    opts.deadline?.check(`its turn to write ${actions.length} ${actions[0]?.kind ?? ""} change(s)`);
  } catch (err) {
    return actions.map(() => asError(err));
  }
  for (const i of items) await opts.audit.write({ ...auditBase(api, c, i.action, i.requestId), phase: "attempt" });
  let outcomes: { ok: boolean; error?: Error }[];
  try {
    outcomes = await effect.performMany!({ api, licenses, customerId: c.customerId, basis, commerce: opts.commerce }, items);
  } catch (err) {
    outcomes = items.map(() => ({ ok: false, error: asError(err) }));
  }
  const errors: (Error | undefined)[] = [];
  for (const [n, i] of items.entries()) {
    const o = outcomes[n] ?? { ok: false, error: new Error("no outcome reported for this change") };
    const base = auditBase(api, c, i.action, i.requestId);
    if (o.ok) await opts.audit.write({ ...base, phase: "result", outcome: "ok" });
    else await opts.audit.write({ ...base, phase: "result", outcome: "failed", error: errorInfo(o.error) });
    errors.push(o.ok ? undefined : (o.error ?? new Error("failed")));
  }
  return errors;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(typeof err === "string" ? err : "a non-Error was thrown");
}

/** What the audit log keeps of a failure: the HTTP status, Partner Center's own code where it gave one, else pcplan's. */
function errorInfo(err: unknown): { status?: number; code?: string; message: string } {
  const status = (err as { status?: unknown } | undefined)?.status;
  const code = err instanceof PartnerCenterError && err.pcCode !== undefined ? err.pcCode : err instanceof PcplanError ? err.code : undefined;
  return {
    ...(typeof status === "number" ? { status } : {}),
    ...(code !== undefined ? { code } : {}),
    message: err instanceof Error ? err.message : String(err),
  };
}

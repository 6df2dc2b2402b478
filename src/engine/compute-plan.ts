import type { AccessCheck } from "../access/access-check.js";
import type { PurchaseJournal } from "../journal/purchase-journal.js";
import type { ScheduleJournal } from "../journal/schedule-journal.js";
import type { LicenseBackendFactory } from "../licenses/backend.js";
import type { PartnerCenterApi } from "../partner-center/api.js";
import type { MigrationPlan } from "../plan-file/types.js";
import { readLiveState } from "../live/read-state.js";
import { commerceBasis } from "../reconcile/commerce-basis.js";
import { fingerprintCustomer } from "../reconcile/fingerprint.js";
import { reconcile } from "../reconcile/reconcile.js";
import type { CustomerPlan, LiveState } from "../reconcile/types.js";

export interface ComputeOptions {
  now: string;
  /** Where licence state is read (Partner Center or Graph). */
  licenses: LicenseBackendFactory;
  /** What the credential may do with each customer's licences (asked before its licences are read). */
  access?: AccessCheck;
  /** pcplan's journal of purchases (orders the orders list may not show yet). */
  journal?: PurchaseJournal;
  /** pcplan's record of the changes it scheduled for renewals. */
  schedules?: ScheduleJournal;
  warnDays: number;
  concurrency: number;
  country: string;
  onProgress?: (e: { customersDone: number; customersTotal: number }) => void;
}

export interface ComputedPlan {
  customers: CustomerPlan[];
  live: LiveState;
  /** Live-state fingerprint per customer id (absent for customers not found or not read). */
  fingerprints: Map<string, string>;
  /** Commerce basis per customer id: what its purchases rest on (src/reconcile/fingerprint.ts). */
  bases: Map<string, string>;
}

/** The I/O half of `plan`: read live state for the planned customers, then the pure diff. */
export async function computePlan(api: PartnerCenterApi, plans: readonly MigrationPlan[], opts: ComputeOptions): Promise<ComputedPlan> {
  const live = await readLiveState(api, plans, {
    concurrency: opts.concurrency,
    country: opts.country,
    licenses: opts.licenses,
    ...(opts.access ? { access: opts.access } : {}),
    ...(opts.journal ? { journal: opts.journal } : {}),
    ...(opts.schedules ? { schedules: opts.schedules } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    now: Date.parse(opts.now),
  });
  const fingerprints = new Map([...live.customers].map(([id, c]) => [id, fingerprintCustomer(c)]));
  const bases = new Map([...live.customers].map(([id, c]) => [id, commerceBasis(c.subscriptions)]));
  return { customers: reconcile(plans, live, { now: opts.now, warnDays: opts.warnDays, country: opts.country }), live, fingerprints, bases };
}

/** Keeps only the named customers (ids compared case-insensitively); plans left empty are dropped. */
export function selectCustomers(plans: readonly MigrationPlan[], keep: (customerId: string) => boolean): MigrationPlan[] {
  return plans.map((p) => ({ ...p, customers: p.customers.filter((c) => keep(c.id)) })).filter((p) => p.customers.length > 0);
}

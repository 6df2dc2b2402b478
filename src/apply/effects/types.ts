/**
 * How each kind of action is done: its pre-check and its write, beside the executor that runs
 * them. What an action *is* (step, wording, JSON, shape, fingerprint fields) is its description
 * in src/actions/; the effects registry (./index.ts) pairs every described kind with its effect.
 */
import type { PurchaseJournal } from "../../journal/purchase-journal.js";
import type { ScheduleJournal } from "../../journal/schedule-journal.js";
import type { LicenseBackend, LicenseChangeOutcome } from "../../licenses/backend.js";
import type { PartnerCenterApi } from "../../partner-center/api.js";
import type { WaitClock } from "../../util/wait-clock.js";

export interface PerformContext {
  api: PartnerCenterApi;
  /** Where licences are read and changed (Partner Center or Graph). */
  licenses: LicenseBackend;
  customerId: string;
  /** MS-RequestId of this write: derived for purchases (see derivedRequestId), fresh otherwise. */
  requestId: string;
  /** The commerce basis (src/reconcile/commerce-basis.ts) the customer's actions were planned from. */
  basis: string;
  commerce: CommerceContext;
  /**
   * Records a further write of this action (a cart's checkout) with its own request id in the
   * audit log, before it is sent; the action's result line covers it.
   */
  auditWrite(subject: string, requestId: string): Promise<void>;
}

/** What buying through new commerce needs beyond the API: the journal of purchases and time. */
export interface CommerceContext {
  journal: PurchaseJournal;
  /** pcplan's record of the changes it scheduled for renewals (absent: not recorded). */
  schedules?: ScheduleJournal;
  /** How long `apply` waits for an order to provision before it leaves the customer "provisioning". */
  provisioningTimeoutMs: number;
  /** What the provisioning polls wait on and measure their wait with (src/util/wait-clock.ts). */
  wait: WaitClock;
  /** The reference time (ms): `--now` running on, else the clock; cancellation windows are judged by it. */
  now(): number;
}

/**
 * A kind's effect: an optional pre-check, then its write — one action at a time (`perform`), or
 * several in one go (`performMany`, Graph's `$batch`), never both, so neither is dead code.
 * `P`: what the pre-check read and hands to the write (e.g. the subscription with its etag).
 */
export type Effect<A, P = void> = Precheck<A, P> & (WritesOne<A, P> | WritesMany<A>);

export interface Precheck<A, P> {
  /** Re-reads what the write rests on right before it; throws (typed) to refuse it. */
  precheck?(ctx: PerformContext, a: A): Promise<P>;
}

export interface WritesOne<A, P> {
  perform(ctx: PerformContext, a: A, checked: P): Promise<void>;
  performMany?: undefined;
}

export interface WritesMany<A> {
  /** Several actions of this kind in one go, each with its own request id and its own outcome, in order. */
  performMany(ctx: Omit<PerformContext, "requestId" | "auditWrite">, items: readonly { action: A; requestId: string }[]): Promise<LicenseChangeOutcome[]>;
  perform?: undefined;
}

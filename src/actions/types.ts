/**
 * What every kind of action declares, in one place (src/actions/<kind>.ts), so that nothing
 * else in pcplan lists the kinds by hand: the executor's step order, the preview's markers and
 * wording, the JSON form, the saved-plan shape check, the audit subject, the live-state fields
 * the saved-plan fingerprint must cover, the permission a write needs, the model of its effect
 * (for `--diff` and the property tests) and the write itself.
 */
import type { PurchaseJournal } from "../apply/purchase-journal.js";
import type { LicenseBackend, LicenseChangeOutcome } from "../licenses/backend.js";
import type { PartnerCenterApi } from "../partner-center/api.js";
import type { LiveCustomer, LiveSubscription } from "../reconcile/types.js";
import type { Check } from "../util/shape-check.js";

/**
 * The per-customer order. A failed step stops the customer's later steps (never a retirement
 * after a failed reassignment). `migrate` is a Microsoft-run transition: it stands alone.
 */
export const STEPS = ["seats", "licenses", "retire", "migrate"] as const;
export type Step = (typeof STEPS)[number];

export type Marker = "+" | "~" | "-" | "»";

/**
 * What a write needs the credential to be allowed to do in the customer's tenant:
 * `commerce` (orders, carts, subscription changes: Admin agent or Sales agent) or
 * `licenses` (licence assignment: a GDAP role such as License Administrator).
 */
export type Permission = "commerce" | "licenses";

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
  /** How long `apply` waits for an order to provision before it leaves the customer "provisioning". */
  provisioningTimeoutMs: number;
  sleep(ms: number): Promise<void>;
  /** The reference time (ms): `--now` running on, else the clock; cancellation windows are judged by it. */
  now(): number;
}

/**
 * Everything the registry knows of a kind, and its write: one action at a time (`perform`), or
 * several in one go (`performMany`, Graph's `$batch`) — never both, so neither is dead code.
 */
export type ActionKind<A extends { kind: string }, P = void> = ActionKindCommon<A, P> & (WritesOne<A, P> | WritesMany<A>);

/** `P`: what the pre-check read and hands to the write (e.g. the subscription with its etag). */
export interface ActionKindCommon<A extends { kind: string }, P = void> {
  kind: A["kind"];
  step: Step;
  marker: Marker;
  /** For summaries: "1 purchase", "3 reassignments". */
  noun: { one: string; many: string };
  permission: Permission;
  /** Subscription fields the decision to plan this kind rests on: the fingerprint covers them. */
  liveFields: readonly (keyof LiveSubscription)[];
  /** One line for the preview; `now` dates what the action starts (e.g. a deprovisioning). */
  describe(a: A, at: { now: string }): string;
  toJson(a: A): { kind: A["kind"] } & Record<string, unknown>;
  /** The saved-plan shape of one action (after `kind`), checked before anything is trusted. */
  shape: Check;
  /** What the write touches, for the audit log: an offer, subscription or user id. */
  subject(a: A): string;
  /** The live customer as it will look after the action (a model: --diff, property tests). */
  applyToLive(lc: LiveCustomer, a: A): LiveCustomer;
  /**
   * A request id derived from what the write does and the state it was planned from, so a
   * write retried by a later run (after a crash) is replayed by the service, not repeated.
   * Undefined: a fresh id per write (the write is harmless to repeat).
   */
  derivedRequestId?(customerId: string, a: A, basis: string): string;
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

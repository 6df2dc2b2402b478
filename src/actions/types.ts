/**
 * What every kind of action is, in one place (src/actions/<kind>.ts), so that nothing else in
 * pcplan lists the kinds by hand: the executor's step order, the preview's markers and wording,
 * the JSON form, the saved-plan shape check, the audit subject, the live-state fields the
 * saved-plan fingerprint must cover, the permission a write needs and the model of its effect
 * (for `--diff` and the property tests). Pure: how a kind is written to Partner Center is its
 * effect, beside the executor (src/apply/effects/).
 */
import type { LiveCustomer, LiveSubscription } from "../model/live-state.js";
import type { Schema } from "../util/json-schema.js";
import type { SubscriptionFacts } from "./request-id.js";

/**
 * The per-customer order. A failed step stops the customer's later steps (never a retirement
 * after a failed reassignment; never a user's direct copy removed before their group moved). `migrate` is a Microsoft-run transition: it stands alone.
 */
export const STEPS = ["seats", "groups", "licenses", "retire", "migrate"] as const;
export type Step = (typeof STEPS)[number];

export type Marker = "+" | "~" | "-" | "»";

/**
 * What a write needs the credential to be allowed to do in the customer's tenant:
 * `commerce` (orders, carts, subscription changes: Admin agent or Sales agent) or
 * `licenses` (licence assignment: a GDAP role such as License Administrator).
 */
export type Permission = "commerce" | "licenses";

/** Everything the registry knows of a kind. */
export interface ActionKind<A extends { kind: string }> {
  kind: A["kind"];
  step: Step;
  marker: Marker;
  /** For summaries: "1 purchase", "3 reassignments". */
  noun: { one: string; many: string };
  /** Named in the plan's summary line even when there are none ("0 resizes"); else only when present. */
  alwaysInSummary?: true;
  permission: Permission;
  /** Subscription fields the decision to plan this kind rests on: the fingerprint covers them. */
  liveFields: readonly (keyof LiveSubscription)[];
  /** One line for the preview; `now` dates what the action starts (e.g. a deprovisioning). */
  describe(a: A, at: { now: string }): string;
  toJson(a: A): { kind: A["kind"] } & Record<string, unknown>;
  /** The saved-plan shape of one action, checked before anything in a saved plan is trusted. */
  shape: Schema<A>;
  /** What the write touches, for the audit log: an offer, subscription or user id. */
  subject(a: A): string;
  /** The live customer as it will look after the action (a model: --diff, property tests). */
  applyToLive(lc: LiveCustomer, a: A): LiveCustomer;
  /**
   * A request id derived from what the write does and the state of the subscriptions it concerns
   * (the customer's subscriptions as read when it was planned are passed; the kind picks its own),
   * so a write retried by a later run (after a crash) is replayed by the service, not repeated.
   * Undefined: a fresh id per write (the write is harmless to repeat).
   */
  derivedRequestId?(customerId: string, a: A, subscriptions: readonly SubscriptionFacts[]): string;
}

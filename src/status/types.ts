import type { KindCounts } from "../actions/registry.js";
import type { Note } from "../reconcile/types.js";

/** What is left of the source subscriptions of one customer. */
export type SourceState =
  | { state: "active"; subscriptions: number; endDate: string | undefined; daysLeft: number | undefined }
  | {
      state: "suspended";
      subscriptions: number;
      /** From pcplan's audit log when pcplan suspended it; Partner Center's Subscription carries no suspension date. */
      suspendedAt: string | undefined;
      /** suspendedAt + 120 days, when known. */
      deprovisionOn: string | undefined;
      daysToDeprovision: number | undefined;
    }
  /** Source subscriptions left only as deleted / expired / disabled: deprovisioned. */
  | { state: "deprovisioned"; subscriptions: number }
  /** No subscription of the source SKU at all. */
  | { state: "none" }
  /** The customer was not found. */
  | { state: "unknown" };

/** `scheduled`: a change at renewal is scheduled (`strategy: at-renewal`); nothing is to be done until that date. */
export type Progress = "done" | "in-progress" | "scheduled" | "not-started" | "blocked" | "not-found";

/** Actions still to do, per kind (every registered kind, 0 when none). */
export type PendingActions = KindCounts;

export interface CustomerStatus {
  customerId: string;
  name: string;
  target: string;
  progress: Progress;
  /** Users on the target SKU now (subscribedskus consumedUnits): moved, or there before. */
  usersOnTarget: number;
  /** Users still on the source SKU (subscribedskus consumedUnits), excluded users included. */
  usersOnSource: number;
  /** Source holders the plan leaves alone (`exclude`). */
  excluded: number;
  /** Users still to move: on the source and not excluded. */
  usersToMove: number;
  /** `scheduled`: the renewal the source changes into the target on (its term end). */
  scheduledOn?: string;
  /** Seats of the target the customer has bought (subscribedskus totalUnits). */
  targetSeats: number;
  /** Target seats the pending purchases and resizes add. */
  seatsToBuy: number;
  source: SourceState;
  pending: PendingActions;
  /** Warnings and errors the preview would show (ends-soon, ended, not-found, …). */
  notes: Note[];
  /** Each subscription of the source SKU with how and when it leaves (absent when the customer was not found). */
  sourceSubscriptions?: SourceSubscription[];
  /** The customer's latest write in pcplan's audit log. */
  lastChange?: LastChange;
  /** What a person must see to: a refusal pcplan's audit log recorded, and no write since. */
  attention?: Attention[];
}

/**
 * Something a person must act on (the report lists every kind in one place): the last apply
 * refused the customer because the credential lacks a GDAP role there (pcplan's audit log), or a
 * licence assignment of the source or target that Microsoft recorded as failed (live state).
 */
export type Attention = AccessRefused | LicenceAssignmentError;

export interface AccessRefused {
  kind: "access-refused";
  /** When the refusal was recorded (ISO). */
  time: string;
  /** pcplan's words: which role is missing, which it has. */
  message: string;
}

/**
 * One user's licence assignment in error (Graph's licenseAssignmentStates: state Error), per
 * user and per group it comes from: the user does not hold that licence through it.
 */
export interface LicenceAssignmentError {
  kind: "license-error";
  upn: string;
  /** The licence's skuPartNumber: the plan's source or target. */
  sku: string;
  /** Graph's word: CountViolation, MutuallyExclusiveViolation, DependencyViolation, ProhibitedInUsageLocationViolation, UniquenessViolation, Other. */
  error: string;
  /** The group it is assigned through (its display name, else its id); null: assigned directly. */
  group: string | null;
}

/** How a source subscription is retired (docs/new-commerce.md, `decommission`). */
export type RetirementMethod = "suspend" | "cancel" | "no-renew" | "keep";

/**
 * Why a source is kept: the plan says so (`decommission: keep`, `suspendSource: false`), users the
 * plan excludes hold it, a transition converts it instead, or the plan asks for a cancellation
 * that cannot be made (a legacy subscription, or its window has closed).
 */
export type KeepReason = "plan" | "excluded-users" | "transition" | "at-renewal" | "cannot-cancel";

/**
 * One subscription of the source SKU. The optional fields are filled where they are known:
 * legacy suspensions from the audit log today, the new-commerce dates once live state reads them.
 */
export interface SourceSubscription {
  id: string;
  /** Partner Center's status as read: active, suspended, deleted, expired, … */
  status: string;
  quantity: number;
  /** How pcplan retires it; undefined once it is gone (deleted, expired, …). */
  retirement?: RetirementMethod;
  /** With `retirement: keep`: why. */
  keptBecause?: KeepReason;
  /** When the retirement takes effect: deprovisioning after a suspension, the term end after no-renew, the cancellation. */
  retirementDate?: string;
  /** End of the current term. */
  commitmentEndDate?: string;
  autoRenew?: boolean;
  /** New commerce: the last day a cancellation is accepted (a prorated refund). */
  cancellationAllowedUntil?: string;
  /** New commerce: the catalog item it renews into, when a change is scheduled for its renewal. */
  convertsTo?: string;
  /** When pcplan suspended it (audit log). */
  suspendedAt?: string;
  /** suspendedAt + 120 days: Partner Center deprovisions it then. */
  deprovisionOn?: string;
}

/** The latest pcplan write for a customer, from the audit log. */
export interface LastChange {
  time: string;
  /** The audit log's action kind (purchase, resize, reassign, suspend, …). */
  action: string;
  outcome: "ok" | "failed";
}

export interface PlanStatusTotals {
  customers: number;
  done: number;
  inProgress: number;
  scheduled: number;
  notStarted: number;
  blocked: number;
  notFound: number;
  usersOnTarget: number;
  usersToMove: number;
  excluded: number;
  targetSeats: number;
  seatsToBuy: number;
}

export interface PlanStatus {
  name: string;
  file: string;
  source: string;
  target: string;
  customers: CustomerStatus[];
  totals: PlanStatusTotals;
}

/** `pcplan status --format json`: versioned like the plan JSON. */
export interface StatusReport {
  formatVersion: 1;
  now: string;
  plans: PlanStatus[];
}

import type { ActionKindName, Note } from "../reconcile/types.js";

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

export type Progress = "done" | "in-progress" | "not-started" | "blocked" | "not-found";

/** Actions still to do, per kind (every registered kind, 0 when none). */
export type PendingActions = Record<ActionKindName, number>;

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
  source: SourceState;
  pending: PendingActions;
  /** Warnings and errors the preview would show (ends-soon, ended, not-found, …). */
  notes: Note[];
}

export interface PlanStatusTotals {
  customers: number;
  done: number;
  inProgress: number;
  notStarted: number;
  blocked: number;
  notFound: number;
  usersOnTarget: number;
  usersToMove: number;
  excluded: number;
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

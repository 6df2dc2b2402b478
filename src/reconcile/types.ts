import type { Action } from "../actions/registry.js";
import type { LicenceAccess } from "../model/live-state.js";
import type { SkuRef } from "../plan-file/types.js";

export type {
  Action,
  ActionKindName,
  CancelAction,
  GroupLicenseAction,
  NoRenewAction,
  PurchaseAction,
  ReassignAction,
  ResizeAction,
  ScheduleAction,
  SuspendAction,
  TransitionAction,
} from "../actions/registry.js";

export type {
  CatalogTarget,
  Commerce,
  LicenceAccess,
  LiveCustomer,
  LiveGroup,
  LiveOffer,
  LiveSku,
  LiveState,
  LiveSubscription,
  LiveUser,
  PendingOrder,
  TransitionOption,
} from "../model/live-state.js";

/** Something a reviewer must see that is not an action. */
export interface Note {
  level: "info" | "warning" | "error";
  code: NoteCode;
  message: string;
}

export type NoteCode =
  | "not-found"
  | "read-failed"
  | "no-offer"
  | "ends-soon"
  | "ended"
  | "quantity-limit"
  | "excluded-holds-source"
  | "unknown-offer"
  | "awaiting-provisioning"
  | "source-uncounted"
  | "unmapped"
  | "duplicate-subscription"
  | "catalog"
  | "retirement"
  | "transition-fallback"
  | "access-refused"
  | "held-through-group"
  | "group-processing"
  | "no-usage-location"
  | "service-plan-dropped"
  | "license-errors"
  | "at-renewal-fallback"
  | "scheduled"
  | "schedule-dropped"
  | "converted-at-renewal"
  | "term-end-fallback";

export interface CustomerPlan {
  customerId: string;
  name: string;
  planName: string;
  source: SkuRef;
  target: SkuRef;
  /** Earliest end date of the active source subscriptions, if any. */
  sourceEndDate: string | undefined;
  /** Whole days from `now` to sourceEndDate (negative once past). */
  daysLeft: number | undefined;
  actions: Action[];
  notes: Note[];
  /** Users holding the source before / on the target after — for status and diffs. */
  counts: { sourceHolders: number; onTarget: number; excluded: number };
  /** What the credential may do with this customer's licences, and how pcplan knows; absent where not asked. */
  access?: LicenceAccess;
}

export interface ReconcileOptions {
  /** Reference time for deadlines and cancellation windows (ISO). */
  now: string;
  /** The catalog country of customers whose plan names none (--country). */
  country: string;
  /** Flag sources ending within this many days. */
  warnDays: number;
}

import type { Action } from "../actions/registry.js";
import type { SkuRef } from "../plan-file/types.js";

export type { Action, ActionKindName, PurchaseAction, ReassignAction, ResizeAction, SuspendAction } from "../actions/registry.js";

/** How a subscription was sold: a legacy offer (GUID offer id) or new commerce (`product:sku:availability`). */
export type Commerce = "legacy" | "nce";

/**
 * Live Partner Center state, reduced to what reconciling needs. Plain data: built by
 * `src/live/` from validated REST responses, built by hand in tests. Ids are lowercase;
 * statuses lowercase (the reader normalises them).
 */
export interface LiveSubscription {
  id: string;
  offerId: string;
  /** License SKU the offer provisions; undefined when the catalog does not say (see `unmapped`). */
  skuId: string | undefined;
  commerce: Commerce;
  quantity: number;
  /** none | active | pending | suspended | deleted | expired | disabled. */
  status: string;
  autoRenewEnabled: boolean;
  commitmentEndDate: string | undefined;
  creationDate: string | undefined;
  /** New commerce: the last moment a cancellation (with refund) is accepted. */
  cancellationAllowedUntil: string | undefined;
}

export interface LiveSku {
  skuId: string;
  skuPartNumber: string;
  consumedUnits: number;
  totalUnits: number;
}

export interface LiveUser {
  id: string;
  upn: string;
  skuIds: string[];
}

export interface LiveCustomer {
  id: string;
  name: string;
  subscriptions: LiveSubscription[];
  skus: LiveSku[];
  /**
   * The users found holding a planned source SKU (others carry no information for the diff).
   * Undefined when users were not read because no source units were consumed.
   */
  users: LiveUser[] | undefined;
}

export interface LiveOffer {
  id: string;
  name: string;
  skuId: string;
  purchasable: boolean;
  minimumQuantity: number;
  maximumQuantity: number;
}

export interface LiveState {
  /** Keyed by lowercase customer id; a planned customer absent here (and from `failures`) was not found. */
  customers: ReadonlyMap<string, LiveCustomer>;
  /** Customers whose reads failed (after retries), with the error: reported, never planned. */
  failures: ReadonlyMap<string, string>;
  offers: readonly LiveOffer[];
}

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
  | "source-uncounted";

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
}

export interface ReconcileOptions {
  /** Reference time for deadlines (ISO). */
  now: string;
  /** Flag sources ending within this many days. */
  warnDays: number;
}

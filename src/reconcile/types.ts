import type { SkuRef } from "../plan-file/types.js";

/**
 * Live Partner Center state, reduced to what reconciling needs. Plain data: built by
 * `src/live/` from REST responses, built by hand in tests. Ids are lowercase.
 */
export interface LiveSubscription {
  id: string;
  offerId: string;
  /** License SKU the offer provisions (offer.product.id); undefined when the offer is unknown. */
  skuId: string | undefined;
  quantity: number;
  status: string;
  autoRenewEnabled: boolean;
  commitmentEndDate: string | undefined;
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
  /** Keyed by lowercase customer id; a planned customer absent here was not found. */
  customers: ReadonlyMap<string, LiveCustomer>;
  offers: readonly LiveOffer[];
}

export type Action = PurchaseAction | ResizeAction | ReassignAction | SuspendAction;

export interface PurchaseAction {
  kind: "purchase";
  offerId: string;
  offerName: string;
  sku: SkuRef;
  quantity: number;
}

export interface ResizeAction {
  kind: "resize";
  subscriptionId: string;
  sku: SkuRef;
  from: number;
  to: number;
}

export interface ReassignAction {
  kind: "reassign";
  userId: string;
  upn: string;
  /** Undefined when the user already holds the target: only the source is removed. */
  assign: SkuRef | undefined;
  remove: SkuRef;
}

export interface SuspendAction {
  kind: "suspend";
  subscriptionId: string;
  sku: SkuRef;
  quantity: number;
  commitmentEndDate: string | undefined;
}

export type ActionKind = Action["kind"];

/** Something a reviewer must see that is not an action. */
export interface Note {
  level: "info" | "warning" | "error";
  code: "not-found" | "no-offer" | "ends-soon" | "ended" | "quantity-limit" | "excluded-holds-source" | "unknown-offer";
  message: string;
}

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

/**
 * The live model: Partner Center and licence state reduced to what the diff decides on. Plain
 * data, no behaviour: `src/live/` builds it from validated responses, tests build it by hand,
 * `reconcile` reads it, the action kinds model their effect on it (`applyToLive`). It sits below
 * both the readers and the diff, so neither has to import the other.
 */

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
  /** License SKU the offer provisions; undefined when it provisions none, or the catalog will not say (`unmapped`). */
  skuId: string | undefined;
  /** Why the licence SKU is unknown (the catalog will not describe the offer): it could be the source or the target. */
  unmapped: string | undefined;
  commerce: Commerce;
  quantity: number;
  /** none | active | pending | suspended | deleted | expired | disabled. */
  status: string;
  autoRenewEnabled: boolean;
  commitmentEndDate: string | undefined;
  creationDate: string | undefined;
  /** New commerce: the last moment a cancellation (with refund) is accepted. */
  cancellationAllowedUntil: string | undefined;
  /** P1M, P1Y, P3Y (new commerce; legacy subscriptions report P1Y or nothing). */
  termDuration: string | undefined;
  /** monthly, annual, … (lowercase). */
  billingCycle: string | undefined;
  /** New commerce: what it renews into, when a change is scheduled for its renewal (absent: none). */
  scheduledNextTerm?: ScheduledNextTerm;
}

/** A target a subscription may change into at its renewal (transitionEligibilities?eligibilityType=scheduled). */
export interface RenewalOption {
  /** `productId:skuId:availabilityId`. */
  catalogItemId: string;
  eligible: boolean;
  /** Microsoft's reasons when not eligible. */
  errors: string[];
}

/** A change scheduled for a subscription's next renewal (create-scheduled-changes). */
export interface ScheduledNextTerm {
  /** `productId:skuId:availabilityId`, upper case. */
  catalogItemId: string;
  quantity: number;
  termDuration: string;
  /** Lowercase. */
  billingCycle: string;
}

/** A change pcplan scheduled (its journal, `.pcplan/schedules.jsonl`): to tell one Microsoft dropped from one never made. */
export interface ScheduleRecord {
  time: string;
  subscriptionId: string;
  /** `productId:skuId:availabilityId` it was to renew into. */
  catalogItemId: string;
  /** The term end it was scheduled for. */
  renewsOn: string;
}

/**
 * An order not yet seen settled: Partner Center calls it pending, or pcplan's journal placed it
 * and it is not listed yet, or it completed but its subscription is not listed yet. Its seats are
 * on their way, and no other purchase is made for the customer until it settles.
 */
export interface PendingOrder {
  id: string;
  /** Its lines: the licence skuId each provisions (undefined where the catalog or the journal does not say) and its seats (undefined when unknown). */
  lines: { skuId: string | undefined; quantity: number | undefined }[];
  /** Where pcplan learned of it: the customer's orders list, or its own journal of purchases. */
  seenIn: "orders" | "journal";
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
  /** null: the user has none (no licence can be assigned to them directly); undefined: not read (Partner Center). */
  usageLocation?: string | null;
  /** How each licence is held (Graph's licenseAssignmentStates); undefined: not read, every licence counts as direct. */
  assignments?: LiveAssignment[];
}

/** One way a user holds a licence: directly (`group` null) or through a group; `error` where the assignment failed. */
export interface LiveAssignment {
  skuId: string;
  group: string | null;
  /** Graph's words: CountViolation, MutuallyExclusiveViolation, DependencyViolation, ProhibitedInUsageLocationViolation, UniquenessViolation, Other. */
  error: string | undefined;
  /** Service plan ids disabled on this assignment. */
  disabledPlans: string[];
}

/** A group holding a licence its members inherit (group-based licensing). */
export interface LiveGroup {
  id: string;
  name: string;
  /** Members follow a rule (dynamic membership). */
  dynamic: boolean;
  /** Synced from on-premises Active Directory. */
  onPremises: boolean;
  licenses: { skuId: string; disabledPlans: string[] }[];
  /** The users among its direct members. */
  members: LiveUser[];
  /** Graph's licenseProcessingState (ProcessingComplete once its members are processed). */
  processing: string | undefined;
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
  /**
   * The groups some source holder inherits the source from, read where the licence API shows
   * groups (Graph); undefined where it does not (Partner Center).
   */
  groups?: LiveGroup[];
  /** Orders still provisioning; read only where no target subscription exists (a purchase might be needed). */
  pendingOrders: PendingOrder[];
  /** Transition eligibilities per source subscription id, read only for `strategy: transition`. */
  eligibilities: ReadonlyMap<string, TransitionOption[]>;
  /** Scheduled (end-of-term) eligibilities per source subscription id, read only for `strategy: at-renewal`. */
  renewalEligibilities?: ReadonlyMap<string, RenewalOption[]>;
  /**
   * The end dates Partner Center allows a new-commerce purchase's first term, per term (`P1Y`…),
   * read only where a plan asks to co-term a purchase (`purchase.termEnd`) and one may be needed.
   */
  termEnds?: ReadonlyMap<string, readonly AllowedTermEnd[]>;
  /** Changes pcplan scheduled for this customer (its schedule journal), oldest first. */
  schedules?: readonly ScheduleRecord[];
  /**
   * Subscriptions Partner Center listed more than once, each kept once in `subscriptions`:
   * how many copies, and whether they differ (then nothing of the customer can be trusted).
   */
  duplicateSubscriptions?: readonly { id: string; copies: number; differs: boolean }[];
}

/**
 * An end date Partner Center allows for a new-commerce purchase's first term (custom-term-end-dates,
 * https://learn.microsoft.com/partner-center/developer/custom-term-end-dates).
 */
export interface AllowedTermEnd {
  /** As Partner Center wrote it: what the cart line sends back as its `customTermEndDate`. */
  date: string;
  /** `calendar-month`: a calendar month's last day; `subscription`: the term end of `subscriptionIds`. */
  aligned: "calendar-month" | "subscription";
  /** Lowercase ids of the customer's subscriptions whose term ends then (subscription-aligned only). */
  subscriptionIds: string[];
}

/** A target Microsoft can transition a subscription to (transition-resources: TransitionEligibility). */
export interface TransitionOption {
  /** `productId:skuId:availabilityId`. */
  catalogItemId: string;
  withLicenseTransfer: boolean;
  /** Microsoft's reasons when not eligible for a transition with licence transfer. */
  errors: string[];
}

/**
 * Buying a target through new commerce, resolved once per run for each distinct target, country,
 * term and billing cycle the plans need (two catalog reads): the product:sku, its seat limits,
 * and whether an availability sells that term and billing. `problem` says why it cannot be bought
 * that way; `notOffered` marks the one case `commerce: auto` falls back to a legacy order for.
 */
export interface CatalogTarget {
  catalogItem: string;
  title: string;
  minimumQuantity: number;
  maximumQuantity: number;
  problem: { notOffered: boolean; message: string } | undefined;
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
  /** New-commerce targets by `catalogKey(...)`; only those some customer may need to buy. */
  catalog: ReadonlyMap<string, CatalogTarget>;
  /** What the credential may do with each customer's licences, where the run asked (`src/access/`). */
  access?: ReadonlyMap<string, LicenceAccess>;
  /** Service plans (id, name) of the plans' source and target SKUs, from the catalog: to carry disabled plans by name. */
  servicePlans?: ReadonlyMap<string, readonly { id: string; name: string }[]>;
}

/**
 * What the credential may do with a customer's licences, and how pcplan knows:
 * - `verified`: it may read and change them (the app's consent in the tenant, or the user's GDAP roles);
 * - `refused`: it may not, `missing` says what is missing and how to fix it; `readable` is false
 *   where not even the customer's licences can be read (no token for the tenant);
 * - `unverified`: the credential cannot show it (a Partner Center token, the Partner Center
 *   licence API): a write that changes nothing proves it before the first purchase.
 */
export type LicenceAccess =
  { state: "verified"; how: string } | { state: "refused"; how: string; missing: string; readable: boolean } | { state: "unverified"; how: string };

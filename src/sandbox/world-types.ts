/**
 * The live world: the fixture made explicit, plus what the service adds (etag versions,
 * orders, carts, transitions, idempotency records). This is what the state file holds.
 */
import type { CartCheckoutResult, CartLineItem, ScheduledNextTermInstructions, TransitionEvent } from "../partner-center/types.js";
import type {
  CommerceBlockCode,
  FixtureCredential,
  FixtureOffer,
  FixturePartner,
  FixtureProduct,
  FixtureSku,
  FixtureSubscriptionStatus,
  FixtureTransitionEligibility,
  FixtureGroup,
  FixtureUser,
  TransitionKind,
} from "./fixture-types.js";

/** A subscription as the service holds it: the fixture fields made explicit, plus the etag version. */
export interface WorldSubscription {
  id: string;
  offerId: string;
  friendlyName: string;
  quantity: number;
  status: FixtureSubscriptionStatus;
  autoRenewEnabled: boolean;
  commitmentEndDate: string;
  creationDate: string;
  suspendedAt?: string;
  suspensionReasons: string[];
  orderId: string;
  billingCycle: string;
  termDuration?: string;
  /** New commerce only. */
  cancellationAllowedUntilDate?: string;
  transitionEligibilities?: FixtureTransitionEligibility[];
  scheduledEligibilities?: FixtureTransitionEligibility[];
  /** The change scheduled for its renewal (create-scheduled-changes); dropped by any mid-term change. */
  scheduledNextTermInstructions?: ScheduledNextTermInstructions;
  /** Bumped on every change; the etag is derived from it. */
  version: number;
}

export interface WorldOrderLine {
  lineItemNumber: number;
  offerId: string;
  quantity: number;
  friendlyName?: string;
  termDuration?: string;
  /** A co-termed first term's end (the cart line's `customTermEndDate`): the subscription's commitmentEndDate. */
  customTermEndDate?: string;
  /** Set once provisioned. */
  subscriptionId?: string;
}

export interface WorldOrder {
  id: string;
  creationDate: string;
  billingCycle: string;
  /** `pending` until every line is provisioned, then `completed`; `cancelled` when Microsoft cancelled it instead. */
  status: string;
  lineItems: WorldOrderLine[];
  /** Absent on legacy orders. */
  commerce?: "nce";
  /** When the order provisions; absent on a completed order or one that never provisions. */
  fulfillAt?: string;
  /** When Microsoft cancels the order instead of provisioning it (its lines then report `unfulfilled`). */
  cancelAt?: string;
  /** When `GET …/orders` starts listing it; absent = at once. */
  visibleAt?: string;
}

export interface WorldCart {
  id: string;
  creationTimestamp: string;
  lastModifiedTimestamp: string;
  expirationTimestamp: string;
  /** `Active`, then `Ordered` once checked out. */
  status: string;
  lineItems: CartLineItem[];
  /** The first checkout's answer, returned again to every later checkout of this cart. */
  checkoutResult?: CartCheckoutResult;
}

export interface WorldTransition {
  operationId: string;
  subscriptionId: string;
  fromCatalogItemId: string;
  toCatalogItemId: string;
  toSubscriptionId?: string;
  quantity: number;
  termDuration?: string;
  billingCycle?: string;
  transitionType: TransitionKind;
  completeAt: string;
  state: "inProgress" | "completed" | "failed";
  failure?: { code: number; description: string };
  events: TransitionEvent[];
}

/** A group as it lives: its licences, and when its members' processing after a licence change is due. */
export interface WorldGroup extends FixtureGroup {
  /** Set by a licence change; members are processed once the clock passes it (licenseProcessingState). */
  processingDueAt?: string;
}

export interface WorldCustomer {
  id: string;
  companyName: string;
  domain: string;
  relationshipToPartner: string;
  country: string;
  subscriptions: WorldSubscription[];
  users: FixtureUser[];
  /** Groups (group-based licensing); absent in worlds made before groups were modelled. */
  groups?: WorldGroup[];
  orders: WorldOrder[];
  carts: WorldCart[];
  transitions: WorldTransition[];
  commerceBlock?: CommerceBlockCode;
  checkoutOrderError?: { code: number; description: string };
  /** Microsoft cancels this customer's new orders instead of provisioning them. */
  ordersCancelled?: boolean;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

/** The whole mutable state; this is what `statePath` holds and what `world()` copies. */
export interface SandboxWorld {
  formatVersion: typeof SANDBOX_STATE_VERSION;
  partner: FixturePartner;
  skus: FixtureSku[];
  offers: FixtureOffer[];
  products: FixtureProduct[];
  customers: WorldCustomer[];
  credentials: FixtureCredential[];
  /** First successful response per `MS-RequestId|METHOD|path`. */
  idempotency: Record<string, StoredResponse>;
  /** PRNG state for generated ids, persisted so a restarted sandbox never reuses an id. */
  idState: number;
}

/** The sandbox state file's format: 2 since app consents, groups and price sheets (wave 3). */
export const SANDBOX_STATE_VERSION = 2;

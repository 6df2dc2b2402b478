/**
 * Types of the sandbox: the fixture file (what a world looks like on disk), the live world
 * (fixture + what the service adds: etags, orders, idempotency records) and the handle API.
 */
import type { CartCheckoutResult, CartLineItem, TransitionEvent } from "../partner-center/types.js";

export type Role = "admin-agent" | "sales-agent" | "helpdesk-agent";

/** GDAP roles (Microsoft Entra built-in roles) a partner credential may hold on a customer tenant. */
export type GdapRole =
  | "Directory Readers"
  | "Global Reader"
  | "Directory Writers"
  | "User Administrator"
  | "License Administrator"
  | "Privileged Role Administrator"
  | "Helpdesk Administrator";

export interface FixturePartner {
  id: string;
  name: string;
}

export interface FixtureServicePlan {
  id: string;
  serviceName: string;
  displayName: string;
}

export interface FixtureSku {
  id: string;
  skuPartNumber: string;
  name: string;
  servicePlans: FixtureServicePlan[];
}

export interface FixtureOffer {
  id: string;
  name: string;
  skuId: string;
  country: string;
  category?: string;
  isAvailableForPurchase: boolean;
  minimumQuantity: number;
  maximumQuantity: number;
  upgradeTargetOffers?: string[];
}

export type FixtureSubscriptionStatus = "active" | "suspended" | "deleted";

export type TermDuration = "P1M" | "P1Y" | "P3Y";
export type BillingCycle = "monthly" | "annual" | "triennial";

export interface FixtureTerm {
  duration: TermDuration;
  billingCycle: BillingCycle;
}

/** A configuration a SKU is sold in: its id is the third part of the catalog item id. */
export interface FixtureAvailability {
  id: string;
  /** ISO 3166 alpha-2 markets this availability is sold in. */
  countries: string[];
  /** Default `commercial`. */
  segment?: string;
  /** Default true; false = listed but cannot be bought (cart line error 10001). */
  isPurchasable?: boolean;
  /** Default true; false = auto-renew cannot be turned on (800093). */
  isRenewable?: boolean;
  terms: FixtureTerm[];
}

export interface FixtureProductSku {
  /** Unique within the product, e.g. `0001`. */
  id: string;
  title: string;
  description?: string;
  /** The licence skuId the SKU provisions (one of `skus[].id`); omitted = the SKU has no provisioningId. */
  provisioningId?: string;
  minimumQuantity: number;
  maximumQuantity: number;
  availabilities: FixtureAvailability[];
}

/** A new-commerce product: product → SKU → availability (SPEC §9). */
export interface FixtureProduct {
  id: string;
  title: string;
  description?: string;
  /** Default true; false = the catalog answers 404 for it, though subscriptions of it still provision. */
  listed?: boolean;
  skus: FixtureProductSku[];
}

export type TransitionKind = "transition_only" | "transition_with_license_transfer";

export interface FixtureEligibilityDetail {
  transitionType: TransitionKind;
  isEligible: boolean;
  /** Microsoft's reasons when not eligible, e.g. `{ code: 3, description: "Subscription cannot be transitioned because there are conflicting services." }`. */
  errors?: { code: number; description: string }[];
  /** The transition is accepted but fails when it runs, with this error. */
  failure?: { code: number; description: string };
}

/** What `transitionEligibilities` answers for one target catalog item of a subscription. */
export interface FixtureTransitionEligibility {
  catalogItemId: string;
  eligibilities: FixtureEligibilityDetail[];
}

export interface FixtureSubscription {
  id: string;
  /** A legacy offer id (`offers[].id`) or a new-commerce catalog item `productId:skuId:availabilityId`. */
  offerId: string;
  friendlyName?: string;
  quantity: number;
  status: FixtureSubscriptionStatus;
  autoRenewEnabled: boolean;
  commitmentEndDate: string;
  creationDate?: string;
  suspendedAt?: string;
  orderId?: string;
  termDuration?: TermDuration;
  billingCycle?: BillingCycle;
  /** New commerce only; default creationDate + 7 days. */
  cancellationAllowedUntilDate?: string;
  /** New commerce only: the eligible (and ineligible) targets; default none. */
  transitionEligibilities?: FixtureTransitionEligibility[];
}

export interface FixtureOrderLine {
  offerId: string;
  quantity: number;
  friendlyName?: string;
  termDuration?: TermDuration;
}

/** An order already placed when the world starts, e.g. one still provisioning. */
export interface FixtureOrder {
  id: string;
  creationDate: string;
  billingCycle?: BillingCycle;
  lineItems: FixtureOrderLine[];
  /** When it provisions (its subscriptions appear); absent = never, it stays pending. */
  fulfillAt?: string;
}

/** 403 codes of business rules a customer can be made to answer on purchases (error-codes page). */
export type CommerceBlockCode = 13605 | 2006 | 2030 | 20002;

export interface FixtureUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  usageLocation?: string;
  /** skuIds the user holds. */
  licenses: string[];
}

export interface FixtureCustomer {
  id: string;
  companyName: string;
  domain: string;
  relationshipToPartner?: string;
  /** Billing country (ISO alpha-2): the market its cart lines must be available in. Default US. */
  country?: string;
  subscriptions: FixtureSubscription[];
  users: FixtureUser[];
  orders?: FixtureOrder[];
  /** Purchases (checkout, orders) answer this business-rule 403. */
  commerceBlock?: CommerceBlockCode;
  /** A checkout places no order and answers this in `orderErrors`. */
  checkoutOrderError?: { code: number; description: string };
}

export interface FixtureCredential {
  token: string;
  role: Role;
  name: string;
  /**
   * GDAP roles per customer relationship: keys are customer ids or `*` (every other customer). Absent: by role —
   * admin agent every GDAP role everywhere, sales and helpdesk agents Directory Readers.
   */
  gdap?: Record<string, GdapRole[]>;
}

export interface SandboxFixture {
  $schema?: string;
  partner: FixturePartner;
  skus: FixtureSku[];
  offers: FixtureOffer[];
  /** The new-commerce catalog; default none. */
  products?: FixtureProduct[];
  customers: FixtureCustomer[];
  credentials: FixtureCredential[];
}

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
  /** Bumped on every change; the etag is derived from it. */
  version: number;
}

export interface WorldOrderLine {
  lineItemNumber: number;
  offerId: string;
  quantity: number;
  friendlyName?: string;
  termDuration?: string;
  /** Set once provisioned. */
  subscriptionId?: string;
}

export interface WorldOrder {
  id: string;
  creationDate: string;
  billingCycle: string;
  /** `pending` until every line is provisioned, then `completed`. */
  status: string;
  lineItems: WorldOrderLine[];
  /** Absent on legacy orders. */
  commerce?: "nce";
  /** When the order provisions; absent on a completed order or one that never provisions. */
  fulfillAt?: string;
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

export interface WorldCustomer {
  id: string;
  companyName: string;
  domain: string;
  relationshipToPartner: string;
  country: string;
  subscriptions: WorldSubscription[];
  users: FixtureUser[];
  orders: WorldOrder[];
  carts: WorldCart[];
  transitions: WorldTransition[];
  commerceBlock?: CommerceBlockCode;
  checkoutOrderError?: { code: number; description: string };
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

/** The whole mutable state; this is what `statePath` holds and what `world()` copies. */
export interface SandboxWorld {
  formatVersion: 1;
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

export interface SandboxOptions {
  fixture: SandboxFixture;
  port?: number;
  statePath?: string;
  latencyMs?: number;
  rateLimit?: number;
  faultRate?: number;
  lostResponseRate?: number;
  seed?: number;
  clock?: string;
  defaultPageSize?: number;
  maxPageSize?: number;
  /** New orders (carts and legacy `POST …/orders`) provision this long after they are placed (sandbox clock). */
  provisioningDelayMs?: number;
  /** New orders appear in `GET …/orders` this long after they are placed. */
  orderAppearanceDelayMs?: number;
  /** Transitions complete this long after they are posted. */
  transitionDelayMs?: number;
}

/** The three commerce delays, in sandbox-clock milliseconds. */
export interface CommerceDelays {
  provisioningMs: number;
  orderAppearanceMs: number;
  transitionMs: number;
}

export interface FaultSettings {
  faultRate?: number;
  lostResponseRate?: number;
  rateLimit?: number;
  latencyMs?: number;
}

export interface RequestLogEntry {
  seq: number;
  time: string;
  method: string;
  path: string;
  status: number;
  customerId?: string;
  requestId?: string;
  correlationId?: string;
  write: boolean;
  replayed?: boolean;
  fault?: "5xx" | "lost" | "429";
  role?: string;
}

export type StateChange =
  /** One per order line; `subscriptionIds` is empty while the order provisions (see `provisioned`). */
  | { seq: number; kind: "order"; customerId: string; orderId: string; subscriptionIds: string[]; offerId: string; quantity: number; requestId?: string }
  | { seq: number; kind: "provisioned"; customerId: string; orderId: string; subscriptionIds: string[] }
  | { seq: number; kind: "cart"; customerId: string; cartId: string; lineItems: number; refusedLines: number; requestId?: string }
  | { seq: number; kind: "checkout"; customerId: string; cartId: string; orderIds: string[]; orderErrors: number; requestId?: string }
  | {
      seq: number;
      kind: "subscription";
      customerId: string;
      subscriptionId: string;
      status: string;
      quantity: number;
      autoRenewEnabled: boolean;
      consumedUnitsOfSku: number;
      requestId?: string;
    }
  | {
      seq: number;
      kind: "transition";
      customerId: string;
      subscriptionId: string;
      operationId: string;
      phase: "started" | "completed" | "failed";
      toCatalogItemId: string;
      targetSubscriptionId?: string;
      usersMoved: number;
      requestId?: string;
    }
  | { seq: number; kind: "licenses"; customerId: string; userId: string; skuIdsAfter: string[]; assigned: string[]; removed: string[]; requestId?: string }
  | { seq: number; kind: "deprovision"; customerId: string; subscriptionId: string };

/** A change before the sandbox numbers it. */
export type NewStateChange = StateChange extends infer C ? (C extends StateChange ? Omit<C, "seq"> : never) : never;

export interface SandboxHandle {
  url: string;
  port: number;
  close(): Promise<void>;
  requestLog: RequestLogEntry[];
  changes: StateChange[];
  world(): SandboxWorld;
  setClock(iso: string): void;
  setFaults(f: FaultSettings): void;
  setDelays(d: Partial<CommerceDelays>): void;
}

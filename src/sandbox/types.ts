/**
 * Types of the sandbox: the fixture file (what a world looks like on disk), the live world
 * (fixture + what the service adds: etags, orders, idempotency records) and the handle API.
 */
import type { Order } from "../partner-center/types.js";

export type Role = "admin-agent" | "sales-agent" | "helpdesk-agent";

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

export interface FixtureSubscription {
  id: string;
  offerId: string;
  friendlyName?: string;
  quantity: number;
  status: FixtureSubscriptionStatus;
  autoRenewEnabled: boolean;
  commitmentEndDate: string;
  creationDate?: string;
  suspendedAt?: string;
  orderId?: string;
}

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
  subscriptions: FixtureSubscription[];
  users: FixtureUser[];
}

export interface FixtureCredential {
  token: string;
  role: Role;
  name: string;
}

export interface SandboxFixture {
  $schema?: string;
  partner: FixturePartner;
  skus: FixtureSku[];
  offers: FixtureOffer[];
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
  /** Bumped on every change; the etag is derived from it. */
  version: number;
}

export interface WorldCustomer {
  id: string;
  companyName: string;
  domain: string;
  relationshipToPartner: string;
  subscriptions: WorldSubscription[];
  users: FixtureUser[];
  orders: Order[];
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
  /** Requests per second, all callers together (429 + Retry-After beyond). */
  rateLimit?: number;
  /** Requests per second per customer, on the calls below `/customers/{id}/` (429 + Retry-After beyond). */
  rateLimitCustomer?: number;
  faultRate?: number;
  lostResponseRate?: number;
  seed?: number;
  clock?: string;
  defaultPageSize?: number;
  maxPageSize?: number;
}

export interface FaultSettings {
  faultRate?: number;
  lostResponseRate?: number;
  rateLimit?: number;
  rateLimitCustomer?: number;
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
  | { seq: number; kind: "order"; customerId: string; orderId: string; subscriptionIds: string[]; offerId: string; quantity: number; requestId?: string }
  | { seq: number; kind: "subscription"; customerId: string; subscriptionId: string; status: string; quantity: number; consumedUnitsOfSku: number; requestId?: string }
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
}

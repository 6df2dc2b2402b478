/**
 * Types of the sandbox: the fixture (fixture-types.ts), the live world (world-types.ts), and
 * the options, request log, state changes and handle of a running sandbox.
 */
import type { SandboxFixture } from "./fixture-types.js";
import type { SandboxWorld } from "./world-types.js";

export type * from "./fixture-types.js";
export type * from "./world-types.js";

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
  /**
   * Milliseconds the clock adds on top of real time, read whenever it is read (counted from its
   * start): `--sandbox` passes the time pcplan's shortened test waits skipped in the same process
   * (src/util/wait-clock.ts), so its world sees those waits pass whole. None outside tests.
   */
  clockSkew?: () => number;
  defaultPageSize?: number;
  maxPageSize?: number;
  /** New orders (carts and legacy `POST …/orders`) provision this long after they are placed (sandbox clock). */
  provisioningDelayMs?: number;
  /** New orders appear in `GET …/orders` this long after they are placed. */
  orderAppearanceDelayMs?: number;
  /** Transitions complete this long after they are posted. */
  transitionDelayMs?: number;
  /** A group's members are processed this long after its licences change (group-based licensing; default 1000). */
  groupProcessingDelayMs?: number;
  /** Port of the HTTPS listener serving Microsoft Graph and the token endpoint (default any free port). */
  graphPort?: number;
  /** Graph requests per second across all tenants (Graph's per-app limit; each `$batch` member counts) before answering 429 Retry-After. */
  graphRateLimit?: number;
  /** Graph requests per second per tenant (each `$batch` member counts) before answering 429 Retry-After. */
  graphRateLimitTenant?: number;
  /**
   * The partner's new-commerce price sheet (a CSV with a Market column) the Partner API's price
   * sheet call answers from, per market; default fixtures/demo-prices.csv; null: none (404).
   */
  priceSheet?: string | null;
}

/** The commerce delays and group processing's, in sandbox-clock milliseconds. */
export interface CommerceDelays {
  provisioningMs: number;
  orderAppearanceMs: number;
  transitionMs: number;
  groupProcessingMs: number;
}

export interface FaultSettings {
  faultRate?: number;
  lostResponseRate?: number;
  rateLimit?: number;
  rateLimitCustomer?: number;
  latencyMs?: number;
  graphRateLimit?: number;
  graphRateLimitTenant?: number;
  /** User ids whose licence changes through Graph are refused with a 400 until cleared (a half-failed `$batch`). */
  graphRefuseUsers?: readonly string[];
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
  /** Requests to the HTTPS listener: Microsoft Graph or the identity (token) endpoints. */
  api?: "graph" | "identity";
}

/** A committed change, with the `requestId` of the write that made it (none for the clock's own changes). */
export type StateChange =
  /** One per order line; `subscriptionIds` is empty while the order provisions (see `provisioned`). */
  | { seq: number; kind: "order"; customerId: string; orderId: string; subscriptionIds: string[]; offerId: string; quantity: number; requestId?: string }
  | { seq: number; kind: "provisioned"; customerId: string; orderId: string; subscriptionIds: string[]; requestId?: string }
  | { seq: number; kind: "cancelled"; customerId: string; orderId: string; requestId?: string }
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
  | { seq: number; kind: "deprovision"; customerId: string; subscriptionId: string; requestId?: string }
  /** A group's own licences changed (`POST /groups/{id}/assignLicense`); its members follow when it is processed. */
  | { seq: number; kind: "group-licenses"; customerId: string; groupId: string; assigned: string[]; removed: string[]; requestId?: string }
  /** A user's usage location set (`PATCH /users/{id}`). */
  | { seq: number; kind: "usage-location"; customerId: string; userId: string; usageLocation: string; requestId?: string }
  /** A new-commerce subscription renewed with the change scheduled for it: it is now `offerId`. */
  | {
      seq: number;
      kind: "renewal";
      customerId: string;
      subscriptionId: string;
      offerId: string;
      quantity: number;
      commitmentEndDate: string;
      requestId?: string;
    };

/** A change before the sandbox numbers it. */
export type NewStateChange = StateChange extends infer C ? (C extends StateChange ? Omit<C, "seq"> : never) : never;

export interface SandboxHandle {
  url: string;
  port: number;
  /** The HTTPS listener: Graph endpoint (`GRAPH_ENDPOINT`, without `/v1.0`) = authority host (`AZURE_AUTHORITY_HOST`). */
  graph: { endpoint: string; port: number; caPath: string };
  close(): Promise<void>;
  requestLog: RequestLogEntry[];
  changes: StateChange[];
  world(): SandboxWorld;
  setClock(iso: string): void;
  setFaults(f: FaultSettings): void;
  setDelays(d: Partial<CommerceDelays>): void;
}

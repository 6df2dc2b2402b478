/**
 * `createPartnerCenterClient`: the Partner Center REST client behind `PartnerCenterApi`.
 * Paths, fields and headers follow the public REST reference; see docs/partner-center.md.
 */
import { randomUUID } from "node:crypto";
import type { PartnerCenterApi, WriteOptions } from "./api.js";
import { commerceMethods } from "./commerce-client.js";
import { BadResponseError } from "./errors.js";
import type { ClientEvent, ClientStats } from "./events.js";
import { collectAll, resolveLink } from "./paging.js";
import { PARTNER_CENTER_TENANT_RULES } from "./rate-scopes.js";
import { checkEndpoint } from "./redact.js";
import { RequestBudget } from "./request-budget.js";
import { Transport, type TokenProvider, type TransportResponse } from "./transport.js";
import type { Customer, CustomerUser, License, LicenseUpdate, Offer, Order, OrderRequest, SubscribedSku, Subscription } from "./types.js";

export const DEFAULT_ENDPOINT = "https://api.partnercenter.microsoft.com/v1";

export interface ClientOptions {
  /** Base URL including `/v1`; with or without a trailing slash. */
  endpoint?: string;
  token: TokenProvider;
  /** `MS-CorrelationId` sent on every request; one per run. Default: a random UUID. */
  correlationId?: string;
  /**
   * A cap on the partner-wide request rate (requests/s). Default none: the client finds the
   * service's limit itself (request-budget.ts), starting at `initialRps`.
   */
  maxRps?: number;
  /** Where the partner rate starts before anything is known. Default 10 requests/s. */
  initialRps?: number;
  /** Requests on the wire at once. Default 32. */
  maxInFlight?: number;
  /** Longest single Retry-After wait (ms); a longer one fails with ThrottledError. Default 120 s. */
  maxWaitMs?: number;
  /** Cap on a response body (bytes). Default 32 MiB. */
  maxBodyBytes?: number;
  /** Retries after the first attempt. Default 6. */
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per attempt. Default 60 s. */
  timeoutMs?: number;
  /** `?size=` on paged collections. Default 100. */
  pageSize?: number;
  /** `X-Locale`. Default `en-US`. */
  locale?: string;
  /** `MS-PartnerCenter-Application`. Default `pcplan`. */
  applicationName?: string;
  onEvent?: (e: ClientEvent) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Clock for the request budget (ms). Default `Date.now`. */
  now?: () => number;
  fetch?: typeof fetch;
  /**
   * A request budget shared with other clients of the run (Microsoft Graph's): scopes are per
   * host and tenant, so they never share a rate, only the bound on requests on the wire. When
   * given, `maxRps`, `initialRps` and `maxInFlight` are the budget's own.
   */
  budget?: RequestBudget;
}

export type BudgetOptions = Pick<ClientOptions, "maxRps" | "initialRps" | "maxInFlight" | "onEvent" | "sleep" | "now">;

export type PartnerCenterClient = PartnerCenterApi & {
  readonly endpoint: string;
  stats(): ClientStats;
};

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function positive(name: string, value: number | undefined, fallback: number, min = 0): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < min) throw new RangeError(`${name} must be a number >= ${min}, got ${String(value)}`);
  return v;
}

/** The request budget a client makes for itself (request-budget.ts), for sharing with another client. */
export function createRequestBudget(opts: BudgetOptions): RequestBudget {
  const onEvent = opts.onEvent;
  return new RequestBudget({
    now: opts.now ?? Date.now,
    sleep: opts.sleep ?? defaultSleep,
    ...(opts.maxRps === undefined ? {} : { maxRps: positive("maxRps", opts.maxRps, 0, 0.001) }),
    initialRps: positive("initialRps", opts.initialRps, 10, 0.001),
    maxInFlight: Math.floor(positive("maxInFlight", opts.maxInFlight, 32, 1)),
    onCut: (c) => {
      try {
        onEvent?.({ type: "rate", scope: c.scope, kind: c.kind, rps: c.rps, acceptedRps: c.acceptedRps });
      } catch {
        // A listener's failure must not break a Partner Center call.
      }
    },
  });
}

export function createPartnerCenterClient(opts: ClientOptions): PartnerCenterClient {
  const endpoint = checkEndpoint(opts.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, "");
  const correlationId = opts.correlationId ?? randomUUID();
  const sleep = opts.sleep ?? defaultSleep;
  const now = opts.now ?? Date.now;
  const pageSize = Math.floor(positive("pageSize", opts.pageSize, 100, 1));
  const budget = opts.budget ?? createRequestBudget(opts);
  const transport = new Transport({
    token: opts.token,
    correlationId,
    maxRetries: Math.floor(positive("maxRetries", opts.maxRetries, 6)),
    baseDelayMs: positive("baseDelayMs", opts.baseDelayMs, 200),
    maxDelayMs: positive("maxDelayMs", opts.maxDelayMs, 20_000),
    timeoutMs: positive("timeoutMs", opts.timeoutMs, 60_000, 1),
    budget,
    scopeRules: PARTNER_CENTER_TENANT_RULES,
    basePath: new URL(endpoint).pathname,
    maxWaitMs: positive("maxWaitMs", opts.maxWaitMs, 120_000),
    ...(opts.maxBodyBytes === undefined ? {} : { maxBodyBytes: positive("maxBodyBytes", opts.maxBodyBytes, 0, 1) }),
    locale: opts.locale ?? "en-US",
    applicationName: opts.applicationName ?? "pcplan",
    onEvent: opts.onEvent,
    sleep,
    random: opts.random ?? Math.random,
    now,
    fetch: opts.fetch,
  });

  const seg = encodeURIComponent;
  const url = (path: string, query: Record<string, string | number> = {}): URL => {
    const u = new URL(`${endpoint}${path}`);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, String(v));
    return u;
  };
  const list = <T>(path: string, query: Record<string, string | number> = {}): Promise<T[]> => collectAll<T>(transport, endpoint, url(path, query));
  const object = <T>(res: TransportResponse, what: string, path: string, method = "GET"): T => {
    if (typeof res.json !== "object" || res.json === null || Array.isArray(res.json)) {
      throw new BadResponseError({
        status: res.status,
        description: `expected a ${what} object in the response body`,
        method,
        path,
        requestId: res.requestId,
        correlationId,
      });
    }
    return res.json as T;
  };
  const get = async <T>(path: string, what: string, query: Record<string, string | number> = {}): Promise<T> => {
    const u = url(path, query);
    return object<T>(await transport.request({ method: "GET", url: u }), what, u.pathname);
  };

  const client: PartnerCenterClient = {
    correlationId,
    endpoint,
    stats: () => transport.stats(),

    listCustomers: () => list<Customer>("/customers", { size: pageSize }),
    getCustomer: (customerId) => get<Customer>(`/customers/${seg(customerId)}`, "Customer"),

    listSubscriptions: (customerId) => list<Subscription>(`/customers/${seg(customerId)}/subscriptions`),
    getSubscription: (customerId, subscriptionId) => get<Subscription>(`/customers/${seg(customerId)}/subscriptions/${seg(subscriptionId)}`, "Subscription"),

    async updateSubscription(customerId, subscription, wopts?: WriteOptions) {
      const path = `/customers/${seg(customerId)}/subscriptions/${seg(subscription.id)}`;
      const target = url(path);
      const etag = subscription.attributes?.etag;
      const res = await transport.request({
        method: "PATCH",
        url: target,
        body: subscription,
        headers: etag ? { "If-Match": etag } : {},
        requestId: wopts?.requestId,
      });
      if (res.status === 202 || res.json === undefined) {
        // Accepted (quantity changes may be asynchronous): read the subscription back, from
        // the Location header when given (`/customers/…/subscriptions/…`, without `/v1`).
        const location = res.headers.get("location");
        const readBack = (location ? resolveLink(endpoint, location) : undefined) ?? target;
        return object<Subscription>(await transport.request({ method: "GET", url: readBack }), "Subscription", readBack.pathname);
      }
      return object<Subscription>(res, "Subscription", target.pathname, "PATCH");
    },

    listSubscribedSkus: (customerId) => list<SubscribedSku>(`/customers/${seg(customerId)}/subscribedskus`),
    listUsers: (customerId) => list<CustomerUser>(`/customers/${seg(customerId)}/users`, { size: pageSize }),
    listUserLicenses: (customerId, userId) => list<License>(`/customers/${seg(customerId)}/users/${seg(userId)}/licenses`),

    async updateUserLicenses(customerId, userId, update, wopts?: WriteOptions) {
      const target = url(`/customers/${seg(customerId)}/users/${seg(userId)}/licenseupdates`);
      const body: LicenseUpdate = {
        licensesToAssign: update.assign.map((skuId) => ({ skuId, excludedPlans: null })),
        licensesToRemove: [...update.remove],
      };
      const res = await transport.request({ method: "POST", url: target, body, requestId: wopts?.requestId });
      // 201 with the LicenseUpdate (licenseWarnings); tolerate an empty body.
      return res.json === undefined ? body : object<LicenseUpdate>(res, "LicenseUpdate", target.pathname, "POST");
    },

    async createOrder(customerId, order: OrderRequest, wopts?: WriteOptions) {
      const target = url(`/customers/${seg(customerId)}/orders`);
      const res = await transport.request({ method: "POST", url: target, body: order, requestId: wopts?.requestId });
      return object<Order>(res, "Order", target.pathname, "POST");
    },

    listOffers: (country) => list<Offer>("/offers", { country, size: pageSize }),
    getOffer: (offerId, country) => get<Offer>(`/offers/${seg(offerId)}`, "Offer", { country }),

    ...commerceMethods({ transport, correlationId, url, list, get, object }),
  };
  return client;
}

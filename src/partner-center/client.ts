/**
 * `createPartnerCenterClient`: the Partner Center REST client behind `PartnerCenterApi`.
 * Paths, fields and headers follow the public REST reference; see docs/partner-center.md.
 */
import { randomUUID } from "node:crypto";
import type { RequestBudget } from "../http/budget/request-budget.js";
import type { Clock } from "../http/clock.js";
import type { RunDeadline } from "../http/deadline.js";
import { clockFrom, createRequestBudget, positive } from "../http/options.js";
import { scopesFor } from "../http/scopes.js";
import { Transport, type TokenProvider } from "../http/transport.js";
import type { PartnerCenterApi, WriteOptions } from "./api.js";
import { commerceMethods, type ClientParts, type CommerceMethods } from "./commerce-client.js";
import { BadResponseError } from "./errors.js";
import type { ClientEvent, ClientStats } from "./events.js";
import { collectAll, resolveLink } from "./paging.js";
import { PARTNER_CENTER_TENANT_RULES } from "./rate-scopes.js";
import { checkEndpoint } from "./redact.js";
import { PartnerCenterTransport, partnerCenterHeaders, type TransportResponse } from "./transport.js";
import type { Customer, CustomerUser, License, LicenseUpdate, Offer, Order, OrderRequest, SubscribedSku, Subscription } from "./types.js";

export { createRequestBudget, type BudgetOptions } from "../http/options.js";

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
  /** An attempt without a byte for this long gives up (retried as a timeout). Default 30 s. */
  idleTimeoutMs?: number;
  /** `?size=` on paged collections. Default 100. */
  pageSize?: number;
  /** `X-Locale`. Default `en-US`. */
  locale?: string;
  /** `MS-PartnerCenter-Application`. Default `pcplan`. */
  applicationName?: string;
  onEvent?: (e: ClientEvent) => void;
  /** The layer's clock (budget, waits, time limits); or `now` and `sleep` apart. Default the system's. */
  clock?: Clock;
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
  /** The run's time limit (`--timeout`), shared with Graph's requests. */
  deadline?: RunDeadline;
}

export type PartnerCenterClient = PartnerCenterApi & {
  readonly endpoint: string;
  stats(): ClientStats;
};

/** The layer's transport with Partner Center's headers, scopes and retry policy (defaults: 6 retries, 200 ms–20 s backoff, 60 s a try). */
export function partnerCenterTransport(opts: ClientOptions, endpoint: string, correlationId: string): PartnerCenterTransport {
  const maxWaitMs = positive("maxWaitMs", opts.maxWaitMs, 120_000);
  const basePath = new URL(endpoint).pathname;
  const http = new Transport({
    service: "Partner Center",
    headers: partnerCenterHeaders(correlationId, opts.locale ?? "en-US", opts.applicationName ?? "pcplan"),
    token: opts.token,
    correlationId,
    retry: {
      maxRetries: Math.floor(positive("maxRetries", opts.maxRetries, 6)),
      baseDelayMs: positive("baseDelayMs", opts.baseDelayMs, 200),
      maxDelayMs: positive("maxDelayMs", opts.maxDelayMs, 20_000),
      maxWaitMs,
    },
    timeoutMs: positive("timeoutMs", opts.timeoutMs, 60_000, 1),
    ...(opts.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: positive("idleTimeoutMs", opts.idleTimeoutMs, 0, 1) }),
    ...(opts.maxBodyBytes === undefined ? {} : { maxBodyBytes: positive("maxBodyBytes", opts.maxBodyBytes, 0, 1) }),
    budget: opts.budget ?? createRequestBudget(opts),
    scopes: (url, tenant) => scopesFor(url, basePath, PARTNER_CENTER_TENANT_RULES, tenant),
    clock: clockFrom(opts),
    random: opts.random ?? Math.random,
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.deadline ? { deadline: opts.deadline } : {}),
  });
  return new PartnerCenterTransport(http, maxWaitMs);
}

export function createPartnerCenterClient(opts: ClientOptions): PartnerCenterClient {
  const endpoint = checkEndpoint(opts.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, "");
  const correlationId = opts.correlationId ?? randomUUID();
  const pageSize = Math.floor(positive("pageSize", opts.pageSize, 100, 1));
  const transport = partnerCenterTransport(opts, endpoint, correlationId);
  const parts = clientParts(transport, endpoint, correlationId);
  return { correlationId, endpoint, stats: () => transport.stats(), ...coreMethods(parts, endpoint, pageSize), ...commerceMethods(parts) };
}

/** How every method builds its URL, reads a collection or an object, and checks an object came back. */
function clientParts(transport: PartnerCenterTransport, endpoint: string, correlationId: string): ClientParts {
  const url = (path: string, query: Record<string, string | number> = {}): URL => {
    const u = new URL(`${endpoint}${path}`);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, String(v));
    return u;
  };
  const object = <T>(res: TransportResponse, what: string, path: string, method = "GET"): T => {
    if (typeof res.json !== "object" || res.json === null || Array.isArray(res.json)) {
      const description = `expected a ${what} object in the response body`;
      throw new BadResponseError({ status: res.status, description, method, path, requestId: res.requestId, correlationId });
    }
    return res.json as T;
  };
  return {
    transport,
    correlationId,
    url,
    object,
    list: <T>(path: string, query: Record<string, string | number> = {}) => collectAll<T>(transport, endpoint, url(path, query)),
    get: async <T>(path: string, what: string, query: Record<string, string | number> = {}) => {
      const u = url(path, query);
      return object<T>(await transport.request({ method: "GET", url: u }), what, u.pathname);
    },
  };
}

const seg = encodeURIComponent;

type CoreMethods = Omit<PartnerCenterApi, keyof CommerceMethods | "correlationId">;

/** Customers, subscriptions, users and licences, legacy orders and offers. */
function coreMethods(p: ClientParts, endpoint: string, pageSize: number): CoreMethods {
  const { transport, url, list, get, object } = p;
  return {
    listCustomers: () => list<Customer>("/customers", { size: pageSize }),
    getCustomer: (customerId) => get<Customer>(`/customers/${seg(customerId)}`, "Customer"),
    listSubscriptions: (customerId) => list<Subscription>(`/customers/${seg(customerId)}/subscriptions`),
    getSubscription: (customerId, subscriptionId) => get<Subscription>(`/customers/${seg(customerId)}/subscriptions/${seg(subscriptionId)}`, "Subscription"),
    updateSubscription: (customerId, subscription, wopts?: WriteOptions) => updateSubscription(p, endpoint, customerId, subscription, wopts),
    listSubscribedSkus: (customerId) => list<SubscribedSku>(`/customers/${seg(customerId)}/subscribedskus`),
    listUsers: (customerId) => list<CustomerUser>(`/customers/${seg(customerId)}/users`, { size: pageSize }),
    expect: (customerId, requests) => transport.expect(url(`/customers/${seg(customerId)}/users`), requests),
    listUserLicenses: (customerId, userId) => list<License>(`/customers/${seg(customerId)}/users/${seg(userId)}/licenses`),
    async updateUserLicenses(customerId, userId, update, wopts?: WriteOptions) {
      const target = url(`/customers/${seg(customerId)}/users/${seg(userId)}/licenseupdates`);
      const body: LicenseUpdate = {
        licensesToAssign: update.assign.map((skuId) => ({ skuId, excludedPlans: update.excludedPlans?.[skuId.toLowerCase()]?.slice() ?? null })),
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
  };
}

/** PATCH with `If-Match`; a 202 (quantity changes may be asynchronous) is read back, from its Location when given. */
async function updateSubscription(
  p: ClientParts,
  endpoint: string,
  customerId: string,
  subscription: Subscription,
  wopts?: WriteOptions,
): Promise<Subscription> {
  const target = p.url(`/customers/${seg(customerId)}/subscriptions/${seg(subscription.id)}`);
  const etag = subscription.attributes?.etag;
  const headers: Record<string, string> = etag ? { "If-Match": etag } : {};
  const res = await p.transport.request({ method: "PATCH", url: target, body: subscription, headers, requestId: wopts?.requestId });
  if (res.status === 202 || res.json === undefined) {
    // The Location is `/customers/…/subscriptions/…`, without `/v1`.
    const location = res.headers.get("location");
    const readBack = (location ? resolveLink(endpoint, location) : undefined) ?? target;
    return p.object<Subscription>(await p.transport.request({ method: "GET", url: readBack }), "Subscription", readBack.pathname);
  }
  return p.object<Subscription>(res, "Subscription", target.pathname, "PATCH");
}

/**
 * The seam between the Graph client and pcplan's HTTP layer (src/http/): every Graph request — a
 * call, a further page, a `$batch` or a member sent again — goes through `GraphHttp`, so one
 * budget (scopes: the Graph host, and the Graph host + the customer tenant, as Graph throttles
 * per app per tenant) and one retry policy own every request.
 */
import type { HttpMethod, ResponseHeaders } from "../http/attempt.js";

export interface GraphRequest {
  /** The tenant the token is for: the budget's scope and the token's. */
  tenant: string;
  method: HttpMethod;
  url: URL;
  /** Without Authorization: the layer adds the tenant's token on every attempt. */
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Requests it counts as against Graph's limits: a `$batch`, its members (json-batching). Default 1. */
  weight?: number;
  /** Of a 2xx answer's text, how much of the weight passed (a `$batch`: its members not throttled). */
  passed?: (text: string) => number;
}

/** The final answer after the layer's retries, whatever its status. */
export interface GraphRawAnswer {
  status: number;
  headers: ResponseHeaders;
  text: string;
  /** When it was sent (the budget's clock): its members' throttles are told against it. */
  sentAt: number;
}

export interface GraphHttpStats {
  requests: number;
  retries: number;
  throttled: number;
  /** `$batch` members answered 429/503/504 and sent again in a later batch. */
  memberRetries: number;
}

export interface GraphHttp {
  /** Throws the layer's `TransportError` when there is no answer (the network, a body over the cap). */
  send(req: GraphRequest): Promise<GraphRawAnswer>;
  /**
   * A `$batch` member was throttled (its own 429/503/504 with `Retry-After`): the tenant's
   * budget is told, as for a throttled request, and this resolves when the member may go again.
   * Returns false when the layer gives up on it (out of retries, or asked to wait too long).
   */
  memberThrottled(tenant: string, sentAt: number, retryAfterMs: number | undefined, attempt: number): Promise<boolean>;
  stats(): GraphHttpStats;
}

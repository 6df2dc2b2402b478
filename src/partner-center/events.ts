/**
 * What the client reports while it works. Events carry method, path (no query string),
 * status, attempt, delay and request id — never a token, a header dump or a body.
 */

interface EventBase {
  method: string;
  /** URL path without the query string, e.g. `/v1/customers/…/subscriptions`. */
  path: string;
  /** 0 for the first attempt, 1 for the first retry… */
  attempt: number;
  requestId: string;
  correlationId: string;
}

export type ClientEvent =
  | (EventBase & { type: "request" })
  | (EventBase & { type: "response"; status: number; durationMs: number })
  | (EventBase & { type: "retry"; status?: number; reason: string; delayMs: number })
  | (EventBase & { type: "throttled"; status: 429; delayMs: number; retryAfterMs?: number; effectiveRps: number });

export interface ClientStats {
  /** HTTP attempts sent (each retry counts). */
  requests: number;
  /** Attempts that were retries. */
  retries: number;
  /** 429 answers. */
  throttled: number;
  /** Attempts that failed without an HTTP answer (dropped connection, timeout…). */
  networkErrors: number;
  /** Answers by HTTP status, e.g. `{ "200": 12, "429": 1 }`. */
  byStatus: Record<string, number>;
  /** The rate limiter's current effective rate (requests per second). */
  effectiveRps: number;
}

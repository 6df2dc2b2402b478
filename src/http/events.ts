/**
 * What the HTTP layer reports while it works, for either service. Events carry method, path (no
 * query string), status, attempt, delay and request id — never a token, a header dump or a body.
 */
import type { BudgetStats } from "./budget/request-budget.js";

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
  | (EventBase & {
      type: "throttled";
      status: 429;
      delayMs: number;
      retryAfterMs?: number;
      /** The partner budget's rate after this 429 (requests/s). */
      effectiveRps: number;
      /** The narrowest budget the call drew from (`host` or `host tenant <id>`). */
      scope?: string;
    })
  /** A wait of LONG_WAIT_MS or more is about to start: say what it waits for, and how long. */
  | (EventBase & { type: "waiting"; delayMs: number; reason: string })
  /** A budget's rate was cut after a 429 (the rate reached is in `stats()`). */
  | {
      type: "rate";
      /** `host` (the partner budget) or `host tenant` (every customer tenant of the host). */
      scope: string;
      kind: "partner" | "tenant";
      /** The new rate (requests/s). */
      rps: number;
      /** What the service was judged to accept (requests/s). */
      acceptedRps: number;
    };

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
  /** The partner budget's current rate (requests per second). */
  effectiveRps: number;
  /** The most requests sent in one second: the rate reached. */
  peakRps: number;
  /** Requests sent in the last second (for a progress display). */
  currentRps: number;
  /** Wall time during which some request waited for a budget (ms): not summed over requests. */
  waitMs: number;
  /** Wall time during which some request waited out a 429 (ms): not summed over requests. */
  throttleWaitMs: number;
  /** Each budget class: the partner's, and the customer tenants' (learned rate, 429s, cuts). */
  budgets: BudgetStats[];
}

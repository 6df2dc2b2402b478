/**
 * `GraphHttp` on pcplan's HTTP layer: one `Transport` (src/http/transport.ts) for every Graph
 * request, with Graph's `client-request-id`, the tenant's token per request, and the request
 * budget shared with Partner Center's client (scopes: the Graph host, and the Graph host +
 * tenant). A `$batch` draws as many requests from the budget as it carries members, as Graph
 * counts them; a member's own 429 is told to the same budget.
 */
import { randomUUID } from "node:crypto";
import type { RequestBudget } from "../http/budget/request-budget.js";
import type { Clock } from "../http/clock.js";
import type { RunDeadline } from "../http/deadline.js";
import type { ClientEvent } from "../http/events.js";
import type { Sender } from "../http/wire.js";
import { clockFrom } from "../http/options.js";
import { MAX_WAIT_MS } from "../http/transport.js";
import { Transport } from "../http/transport.js";
import { scopesFor, type Scope, type ScopeRule } from "../http/scopes.js";
import type { TenantTokenProvider } from "./auth.js";
import type { GraphHttp } from "./http.js";

/**
 * Microsoft Graph throttles per app per tenant ("Microsoft Graph throttling guidance"), and the
 * tenant of a call is the one its token was issued for, not in the URL: every versioned call
 * draws from the Graph host's scope and its request's tenant's.
 */
export const GRAPH_TENANT_RULES: readonly ScopeRule[] = [{ name: "Graph calls (per app per tenant)", path: /^\/(?:v1\.0|beta)\/./i, tenantFrom: "request" }];

/**
 * Where the Graph host's budget starts: Graph's global limit per app across all tenants, 130,000
 * requests per 10 seconds (learn.microsoft.com/graph/throttling-limits), not the budget's 10
 * requests/s. Graph documents its per-app limit; Partner Center does not, so its scope still
 * starts low and climbs. A lower limit (a service's own, the sandbox's `--graph-rate-limit`) is
 * learned from its first 429 as any other; the bound on requests on the wire (32) keeps the
 * first round trips from being a flood. A slow start from 10 requests/s spent the first ~0.3 s
 * of a 2 s licence read well under the limit while the service's one-second burst went unused
 * (docs/performance.md, "Graph").
 */
export const GRAPH_APP_START_RPS = 13_000;

/** The scopes of a Graph request: its tenant's, then the Graph host's, which starts at Graph's documented per-app limit. */
function graphScopes(url: URL, tenant: string | undefined): Scope[] {
  return scopesFor(url, "", GRAPH_TENANT_RULES, tenant).map((s) => (s.kind === "partner" ? { ...s, initialRps: GRAPH_APP_START_RPS } : s));
}

export interface GraphHttpOptions {
  /** The Graph host without `/v1.0`. */
  endpoint: string;
  tokens: TenantTokenProvider;
  budget: RequestBudget;
  /** Sent through this instead of node:https: scripted services, the simulated clock. */
  fetch?: typeof fetch;
  /** The one certificate to trust (PEM): the in-process sandbox's. */
  ca?: string;
  /** How each attempt goes out (before `fetch`; src/http/wire.ts): a bench's timed wrapper. */
  send?: Sender;
  onEvent?: (e: ClientEvent) => void;
  maxRetries?: number;
  /** Backoff of retries without a Retry-After (ms). Defaults 200 and 20,000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** The run's time limit (`--timeout`), shared with Partner Center's requests. */
  deadline?: RunDeadline;
}

export function createGraphHttp(o: GraphHttpOptions): GraphHttp {
  const transport = new Transport({
    service: "Microsoft Graph",
    headers: (requestId) => ({ "client-request-id": requestId }),
    // Never called: every Graph request brings its tenant's token.
    token: () => Promise.reject(new Error("a Graph request without its tenant's token")),
    correlationId: randomUUID(),
    retry: { maxRetries: o.maxRetries ?? 6, baseDelayMs: o.baseDelayMs ?? 200, maxDelayMs: o.maxDelayMs ?? 20_000, maxWaitMs: MAX_WAIT_MS },
    timeoutMs: 60_000,
    budget: o.budget,
    scopes: graphScopes,
    clock: clockFrom(o),
    random: o.random ?? Math.random,
    ...(o.onEvent ? { onEvent: o.onEvent } : {}),
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.ca !== undefined ? { ca: o.ca } : {}),
    ...(o.send ? { send: o.send } : {}),
    ...(o.deadline ? { deadline: o.deadline } : {}),
  });
  const batchUrl = new URL(`${new URL(o.endpoint).origin}/v1.0/$batch`);
  let memberRetries = 0;

  return {
    async send(req) {
      const { res, sentAt } = await transport.exchange({
        method: req.method,
        url: req.url,
        ...(req.headers ? { headers: req.headers } : {}),
        ...(req.body !== undefined ? { body: req.body } : {}),
        ...(req.weight ? { weight: req.weight } : {}),
        ...(req.passed ? { passed: (res: { text: string }) => req.passed?.(res.text) ?? 0 } : {}),
        tenant: req.tenant,
        token: () => o.tokens(req.tenant),
      });
      return { status: res.status, headers: res.headers, text: res.text, sentAt };
    },
    async memberThrottled(tenant, sentAt, retryAfterMs, attempt) {
      const again = await transport.memberThrottled(batchUrl, tenant, sentAt, retryAfterMs, attempt);
      if (again) memberRetries++;
      return again;
    },
    stats: () => {
      const s = transport.stats();
      return { requests: s.requests, retries: s.retries, throttled: s.throttled, memberRetries };
    },
  };
}

/**
 * `GraphHttp` on pcplan's HTTP layer: one `Transport` (src/partner-center/transport.ts) for
 * every Graph request, with Graph's headers, the tenant's token per request, and the request
 * budget shared with Partner Center's client (scopes: the Graph host, and the Graph host +
 * tenant, GRAPH_TENANT_RULES). So Graph requests get the same budget machinery, retry policy,
 * body caps and events; a `$batch` member's own 429 is told to the same budget.
 */
import { randomUUID } from "node:crypto";
import type { ClientEvent } from "../partner-center/events.js";
import { GRAPH_TENANT_RULES } from "../partner-center/rate-scopes.js";
import type { RequestBudget } from "../partner-center/request-budget.js";
import { backoffDelay } from "../partner-center/retry.js";
import { MAX_WAIT_MS, Transport } from "../partner-center/transport.js";
import type { TenantTokenProvider } from "./auth.js";
import type { GraphHttp } from "./http.js";

export interface GraphHttpOptions {
  /** The Graph host without `/v1.0`. */
  endpoint: string;
  tokens: TenantTokenProvider;
  budget: RequestBudget;
  /** An in-process client's fetch (trusting the sandbox); default the global one. */
  fetch?: typeof fetch;
  onEvent?: (e: ClientEvent) => void;
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createGraphHttp(o: GraphHttpOptions): GraphHttp {
  const sleep = o.sleep ?? defaultSleep;
  const now = o.now ?? Date.now;
  const random = o.random ?? Math.random;
  const policy = { maxRetries: o.maxRetries ?? 6, baseDelayMs: 200, maxDelayMs: 20_000 };
  const transport = new Transport({
    service: "Microsoft Graph",
    // Never called: every Graph request brings its tenant's token.
    token: () => Promise.reject(new Error("a Graph request without its tenant's token")),
    correlationId: randomUUID(),
    ...policy,
    timeoutMs: 60_000,
    budget: o.budget,
    scopeRules: GRAPH_TENANT_RULES,
    basePath: "",
    locale: "en-US",
    applicationName: "pcplan",
    ...(o.onEvent ? { onEvent: o.onEvent } : {}),
    sleep,
    random,
    now,
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
  const batchUrl = new URL(`${new URL(o.endpoint).origin}/v1.0/$batch`);
  let memberRetries = 0;

  return {
    async send(req) {
      const { res } = await transport.exchange({
        method: req.method,
        url: req.url,
        headers: req.headers,
        ...(req.body !== undefined ? { rawBody: req.body } : {}),
        tenant: req.tenant,
        token: () => o.tokens(req.tenant),
      });
      return { status: res.status, headers: res.headers, text: res.text };
    },
    async memberThrottled(tenant, retryAfterMs, attempt) {
      if (attempt >= policy.maxRetries) return false;
      const waitMs = retryAfterMs ?? backoffDelay(attempt, policy, random);
      if (waitMs > MAX_WAIT_MS) return false;
      const until = transport.throttledInside(batchUrl, tenant, waitMs);
      memberRetries++;
      await sleep(Math.max(0, until - now()) + Math.round(random() * Math.min(policy.baseDelayMs, waitMs / 10 + 1)));
      return true;
    },
    stats: () => {
      const s = transport.stats();
      return { requests: s.requests, retries: s.retries, throttled: s.throttled, memberRetries };
    },
  };
}

/**
 * Every Partner Center call goes through `Transport.request`: the request budget of its scope
 * (request-budget.ts), the headers (bearer token, correlation id, request id, locale), one
 * attempt at a time with a timeout and a capped body, retries for 429 / 5xx / dropped
 * connections, typed errors, events and counters.
 */
import { randomUUID } from "node:crypto";
import { PcplanError } from "../errors.js";
import { AuthenticationError, BadResponseError, NetworkError, PC_ERROR_CODES, ThrottledError, errorForResponse, parseErrorBody } from "./errors.js";
import type { ClientEvent, ClientStats } from "./events.js";
import { BodyTooLargeError, parseJsonBody, sendOnce, type HttpMethod, type HttpResult } from "./http.js";
import { scopesFor, type ScopeRule } from "./rate-scopes.js";
import { redact, registerSecret, sanitizeError } from "./redact.js";
import type { Grant, RequestBudget } from "./request-budget.js";
import { backoffDelay, describeNetworkError, isRetryableNetworkError, isServerError, parseRetryAfter, retryAfterFromMessage } from "./retry.js";

/** Returns a bearer token (without the `Bearer ` prefix). Called before every attempt; cache inside. */
export type TokenProvider = () => Promise<string>;

/** The longest single wait for a Retry-After; a longer one is not waited out: the call fails with ThrottledError. */
export const MAX_WAIT_MS = 120_000;

/** A wait at least this long is announced (a `waiting` event) before it starts. */
export const LONG_WAIT_MS = 10_000;

export interface TransportOptions {
  token: TokenProvider;
  correlationId: string;
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  budget: RequestBudget;
  /** Which calls are limited per tenant, matched below `basePath` (the endpoint's path). */
  scopeRules: readonly ScopeRule[];
  basePath: string;
  /** Longest single Retry-After wait (default MAX_WAIT_MS). */
  maxWaitMs?: number;
  /** Cap on a 2xx body (default MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  locale: string;
  applicationName: string;
  /**
   * Whose API this transport speaks to (messages, and the standard headers: Partner Center's
   * MS-CorrelationId, MS-RequestId, X-Locale, MS-PartnerCenter-Application, or Graph's
   * client-request-id). Default Partner Center.
   */
  service?: "Partner Center" | "Microsoft Graph";
  onEvent?: (e: ClientEvent) => void;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  fetch?: typeof fetch;
}

export interface RequestSpec {
  method: HttpMethod;
  url: URL;
  /** JSON-serialised and sent with `Content-Type: application/json`. */
  body?: unknown;
  /** A JSON body already serialised (the Graph SDK's), sent as it is. */
  rawBody?: string;
  /** Extra headers (If-Match, MS-ContinuationToken…). Cannot override the standard ones. */
  headers?: Record<string, string>;
  /** MS-RequestId for this logical call, reused on every retry. Writes get one generated once if omitted. */
  requestId?: string;
  /** The tenant a tenant-scoped call is for when its URL does not say (a token's tenant). */
  tenant?: string;
  /** This request's token, when it is not the transport's (Graph: one per customer tenant). */
  token?: TokenProvider;
}

/** The last attempt's answer, whatever its status, after the retries the policy allows. */
export interface Exchange {
  res: HttpResult;
  requestId: string;
  attempts: number;
}

export interface TransportResponse {
  status: number;
  headers: Headers;
  json: unknown;
  requestId: string;
  /** Size of the body as read (UTF-16 code units of its text). */
  size: number;
}

export class Transport {
  private readonly counters = { requests: 0, retries: 0, throttled: 0, networkErrors: 0 };
  private readonly byStatus: Record<string, number> = {};
  private throttleWaitMs = 0;

  constructor(private readonly opts: TransportOptions) {}

  get correlationId(): string {
    return this.opts.correlationId;
  }

  stats(): ClientStats {
    const budgets = this.opts.budget.stats();
    const partner = budgets.find((b) => b.kind === "partner");
    return {
      ...this.counters,
      byStatus: { ...this.byStatus },
      effectiveRps: this.opts.budget.partnerRps,
      peakRps: partner?.peakRps ?? 0,
      currentRps: partner?.currentRps ?? 0,
      waitMs: Math.round(this.opts.budget.totalWaitMs),
      throttleWaitMs: Math.round(this.throttleWaitMs),
      budgets,
    };
  }

  /**
   * One logical call: 2xx → the parsed body; otherwise the typed Partner Center error (after
   * the retries `exchange` allows).
   */
  async request(spec: RequestSpec): Promise<TransportResponse> {
    const o = this.opts;
    const { res, requestId, attempts } = await this.exchange(spec);
    const { status } = res;
    const failure = { method: spec.method, path: spec.url.pathname, requestId, correlationId: o.correlationId, attempts };
    if (status >= 200 && status < 300) {
      const parsed = parseJsonBody(res.text);
      if (!parsed.ok) throw new BadResponseError({ status, description: `response is not JSON (${parsed.error})`, ...failure });
      return { status, headers: res.headers, json: parsed.value, requestId, size: res.text.length };
    }
    const err = parseErrorBody(res.text);
    const retryAfterMs = status === 429 ? retryAfterOf(res, err.description) : undefined;
    const maxWaitMs = o.maxWaitMs ?? MAX_WAIT_MS;
    if (retryAfterMs !== undefined && retryAfterMs > maxWaitMs) {
      throw new ThrottledError({
        status: 429,
        description: `${this.service} asked to retry after ${formatSeconds(retryAfterMs)}, longer than the ${formatSeconds(maxWaitMs)} pcplan waits at most${err.description ? ` (${err.description})` : ""}`,
        ...failure,
      });
    }
    throw errorForResponse({ status, pcCode: err.pcCode, description: err.description ?? (res.statusText || `HTTP ${status}`), ...failure });
  }

  /**
   * The budget, the token, one attempt at a time and the retries (429 and 503/504 after their
   * Retry-After, other 5xx and dropped connections with backoff). Returns the last answer,
   * whatever its status; throws only when there is none (the network, a body over the cap).
   */
  async exchange(spec: RequestSpec): Promise<Exchange> {
    const o = this.opts;
    const { method, url } = spec;
    const path = url.pathname;
    const correlationId = o.correlationId;
    // Writes: one MS-RequestId per logical write, the same on every retry (idempotency).
    // Reads: a fresh one per HTTP request.
    const fixedRequestId = spec.requestId ?? (method === "GET" ? undefined : randomUUID());
    const body = spec.rawBody ?? (spec.body === undefined ? undefined : JSON.stringify(spec.body));
    const scopes = scopesFor(url, o.basePath, o.scopeRules, spec.tenant);

    for (let attempt = 0; ; attempt++) {
      const requestId = fixedRequestId ?? randomUUID();
      const base = { method, path, attempt, requestId, correlationId };
      const failure = { method, path, requestId, correlationId, attempts: attempt + 1 };
      // The token first: a slow token request must not hold a place on the wire.
      const token = await this.getToken(method, path, requestId, spec.token ?? o.token);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(spec.headers ?? {})) headers[k] = v;
      Object.assign(headers, { Authorization: `Bearer ${token}`, Accept: "application/json" }, this.standardHeaders(requestId));
      if (body !== undefined) headers["Content-Type"] = "application/json";

      const grant = await o.budget.acquire(scopes);
      this.emit({ type: "request", ...base });
      this.counters.requests++;
      if (attempt > 0) this.counters.retries++;
      const started = o.now();
      let res: HttpResult;
      try {
        res = await sendOnce({ url, method, headers, body, timeoutMs: o.timeoutMs, maxBodyBytes: o.maxBodyBytes, fetch: o.fetch });
      } catch (err) {
        o.budget.release();
        if (err instanceof BodyTooLargeError) {
          throw new BadResponseError({
            status: 200,
            description: `the response body is larger than ${formatBytes(err.limitBytes)}, the most pcplan reads of one answer; the rest was not read`,
            ...failure,
          });
        }
        this.counters.networkErrors++;
        const reason = redact(describeNetworkError(err));
        if (isRetryableNetworkError(err) && attempt < o.maxRetries) {
          const delayMs = backoffDelay(attempt, o, o.random);
          this.emit({ type: "retry", ...base, reason, delayMs });
          await o.sleep(delayMs);
          continue;
        }
        throw new NetworkError({ description: reason, ...failure, cause: sanitizeError(err) });
      }
      o.budget.release();

      const { status } = res;
      this.byStatus[String(status)] = (this.byStatus[String(status)] ?? 0) + 1;
      this.emit({ type: "response", ...base, status, durationMs: Math.max(0, o.now() - started) });

      if (status >= 200 && status < 300) {
        o.budget.onSuccess(grant);
        return { res, requestId, attempts: attempt + 1 };
      }
      if (status === 429) {
        this.counters.throttled++;
        const delayMs = this.throttled(grant, res, base, attempt);
        if (delayMs !== undefined) {
          await o.sleep(delayMs);
          this.throttleWaitMs += delayMs;
          continue;
        }
      } else if (isServerError(status) && attempt < o.maxRetries) {
        // A 503/504 may say when to come back (Graph's throttling page); never sooner than backoff.
        const retryAfterMs = status === 503 || status === 504 ? parseRetryAfter(res.headers.get("retry-after"), Date.now()) : undefined;
        if (retryAfterMs === undefined || retryAfterMs <= (o.maxWaitMs ?? MAX_WAIT_MS)) {
          const delayMs = Math.max(backoffDelay(attempt, o, o.random), retryAfterMs ?? 0);
          this.emit({ type: "retry", ...base, status, reason: `HTTP ${status}`, delayMs });
          await o.sleep(delayMs);
          continue;
        }
      }
      return { res, requestId, attempts: attempt + 1 };
    }
  }

  /**
   * A throttle signal that came inside an answer (a `$batch` member answered 429): the budget
   * pauses and slows the scope as for a throttled request. Returns when the request may go
   * again (the budget's clock).
   */
  throttledInside(url: URL, tenant: string | undefined, retryAfterMs: number): number {
    const o = this.opts;
    this.counters.throttled++;
    const scopes = scopesFor(url, o.basePath, o.scopeRules, tenant);
    return o.budget.onThrottled({ scopes, sentAt: o.now(), waitedFor: new Set(), waitedMs: 0 }, retryAfterMs);
  }

  private get service(): string {
    return this.opts.service ?? "Partner Center";
  }

  private standardHeaders(requestId: string): Record<string, string> {
    const o = this.opts;
    if (o.service === "Microsoft Graph") return { "client-request-id": requestId };
    return { "MS-CorrelationId": o.correlationId, "MS-RequestId": requestId, "X-Locale": o.locale, "MS-PartnerCenter-Application": o.applicationName };
  }

  /**
   * A 429: tell the budget (it pauses and slows the right scope), then how long this request
   * waits before its next attempt — undefined when it gives up: out of retries, or asked to
   * wait longer than `maxWaitMs` (then the budget is not told: nothing will be sent that soon).
   */
  private throttled(
    grant: Grant,
    res: HttpResult,
    base: { method: string; path: string; attempt: number; requestId: string; correlationId: string },
    attempt: number,
  ): number | undefined {
    const o = this.opts;
    const retryAfterMs = retryAfterOf(res, parseErrorBody(res.text).description);
    if (retryAfterMs !== undefined && retryAfterMs > (o.maxWaitMs ?? MAX_WAIT_MS)) return undefined;
    const waitMs = retryAfterMs ?? backoffDelay(attempt, o, o.random);
    const until = o.budget.onThrottled(grant, waitMs);
    if (attempt >= o.maxRetries) return undefined;
    // At least Retry-After, plus a little jitter so throttled requests do not return in lockstep.
    const delayMs = Math.max(0, until - o.now()) + Math.round(o.random() * Math.min(o.baseDelayMs, waitMs / 10 + 1));
    const scope = grant.scopes[0];
    this.emit({
      type: "throttled",
      ...base,
      status: 429,
      delayMs,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      effectiveRps: o.budget.partnerRps,
      ...(scope ? { scope: scope.key } : {}),
    });
    if (delayMs >= LONG_WAIT_MS) {
      this.emit({
        type: "waiting",
        ...base,
        delayMs,
        reason: `${this.service} asked to retry ${base.method} ${base.path} after ${formatSeconds(retryAfterMs ?? waitMs)}`,
      });
    }
    return delayMs;
  }

  private async getToken(method: string, path: string, requestId: string, provider: TokenProvider): Promise<string> {
    let token: string;
    try {
      token = await provider();
    } catch (err) {
      if (err instanceof PcplanError) throw err;
      throw new PcplanError(
        PC_ERROR_CODES.credentials,
        `Could not obtain a ${this.service} access token: ${redact(err instanceof Error ? err.message : String(err))}`,
        true,
        { cause: sanitizeError(err) },
      );
    }
    if (typeof token !== "string" || !token.trim()) {
      throw new AuthenticationError({
        description: "the token provider returned an empty token",
        method,
        path,
        requestId,
        correlationId: this.opts.correlationId,
      });
    }
    token = token.trim().replace(/^Bearer\s+/i, "");
    registerSecret(token);
    return token;
  }

  private emit(e: ClientEvent): void {
    if (!this.opts.onEvent) return;
    try {
      this.opts.onEvent(e);
    } catch {
      // A listener's failure must not break a Partner Center call.
    }
  }
}

/** `Retry-After` (seconds or a date), else Partner Center's "Try again in N seconds." text. */
function retryAfterOf(res: HttpResult, description: string | undefined): number | undefined {
  return parseRetryAfter(res.headers.get("retry-after"), Date.now()) ?? retryAfterFromMessage(description);
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

function formatBytes(n: number): string {
  return n % 2 ** 20 === 0 ? `${n / 2 ** 20} MiB` : `${n} bytes`;
}

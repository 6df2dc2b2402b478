/**
 * Every Partner Center call goes through `Transport.request`: the shared rate budget, the
 * headers (bearer token, correlation id, request id, locale), one attempt at a time with a
 * timeout, retries for 429 / 5xx / dropped connections, typed errors, events and counters.
 */
import { randomUUID } from "node:crypto";
import { PcplanError } from "../errors.js";
import {
  AuthenticationError,
  BadResponseError,
  NetworkError,
  PC_ERROR_CODES,
  errorForResponse,
  parseErrorBody,
} from "./errors.js";
import type { ClientEvent, ClientStats } from "./events.js";
import { parseJsonBody, sendOnce, type HttpMethod, type HttpResult } from "./http.js";
import type { RateLimiter } from "./rate-limiter.js";
import { redact, registerSecret, sanitizeError } from "./redact.js";
import {
  backoffDelay,
  describeNetworkError,
  isRetryableNetworkError,
  parseRetryAfter,
  retryAfterFromMessage,
} from "./retry.js";

/** Returns a bearer token (without the `Bearer ` prefix). Called before every attempt; cache inside. */
export type TokenProvider = () => Promise<string>;

/** A Retry-After longer than this is not waited out: the call fails with ThrottledError. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

export interface TransportOptions {
  token: TokenProvider;
  correlationId: string;
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  limiter: RateLimiter;
  locale: string;
  applicationName: string;
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
  /** Extra headers (If-Match, MS-ContinuationToken…). Cannot override the standard ones. */
  headers?: Record<string, string>;
  /** MS-RequestId for this logical call, reused on every retry. Writes get one generated once if omitted. */
  requestId?: string;
}

export interface TransportResponse {
  status: number;
  headers: Headers;
  json: unknown;
  requestId: string;
}

export class Transport {
  private readonly counters = { requests: 0, retries: 0, throttled: 0, networkErrors: 0 };
  private readonly byStatus: Record<string, number> = {};

  constructor(private readonly opts: TransportOptions) {}

  get correlationId(): string {
    return this.opts.correlationId;
  }

  stats(): ClientStats {
    return { ...this.counters, byStatus: { ...this.byStatus }, effectiveRps: this.opts.limiter.effectiveRps };
  }

  async request(spec: RequestSpec): Promise<TransportResponse> {
    const o = this.opts;
    const { method, url } = spec;
    const path = url.pathname;
    const correlationId = o.correlationId;
    // Writes: one MS-RequestId per logical write, the same on every retry (idempotency).
    // Reads: a fresh one per HTTP request.
    const fixedRequestId = spec.requestId ?? (method === "GET" ? undefined : randomUUID());
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);

    for (let attempt = 0; ; attempt++) {
      const requestId = fixedRequestId ?? randomUUID();
      const base = { method, path, attempt, requestId, correlationId };
      await o.limiter.acquire();
      const token = await this.getToken(method, path, requestId);

      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(spec.headers ?? {})) headers[k] = v;
      Object.assign(headers, {
        Authorization: `Bearer ${token}`,
        Accept: "application/json",
        "MS-CorrelationId": correlationId,
        "MS-RequestId": requestId,
        "X-Locale": o.locale,
        "MS-PartnerCenter-Application": o.applicationName,
      });
      if (body !== undefined) headers["Content-Type"] = "application/json";

      this.emit({ type: "request", ...base });
      this.counters.requests++;
      if (attempt > 0) this.counters.retries++;
      const started = o.now();
      let res: HttpResult;
      try {
        res = await sendOnce({ url, method, headers, body, timeoutMs: o.timeoutMs, fetch: o.fetch });
      } catch (err) {
        this.counters.networkErrors++;
        const reason = redact(describeNetworkError(err));
        if (isRetryableNetworkError(err) && attempt < o.maxRetries) {
          const delayMs = backoffDelay(attempt, o, o.random);
          this.emit({ type: "retry", ...base, reason, delayMs });
          await o.sleep(delayMs);
          continue;
        }
        throw new NetworkError({
          description: reason,
          method,
          path,
          requestId,
          correlationId,
          attempts: attempt + 1,
          cause: sanitizeError(err),
        });
      }

      const { status } = res;
      this.byStatus[String(status)] = (this.byStatus[String(status)] ?? 0) + 1;
      this.emit({ type: "response", ...base, status, durationMs: Math.max(0, o.now() - started) });

      if (status >= 200 && status < 300) {
        o.limiter.onSuccess();
        const parsed = parseJsonBody(res.text);
        if (!parsed.ok) {
          throw new BadResponseError({
            status,
            description: `response is not JSON (${parsed.error})`,
            method,
            path,
            requestId,
            correlationId,
            attempts: attempt + 1,
          });
        }
        return { status, headers: res.headers, json: parsed.value, requestId };
      }

      const err = parseErrorBody(res.text);
      if (status === 429) {
        this.counters.throttled++;
        o.limiter.onThrottled();
        const retryAfterMs =
          parseRetryAfter(res.headers.get("retry-after"), Date.now()) ?? retryAfterFromMessage(err.description);
        if (attempt < o.maxRetries && (retryAfterMs ?? 0) <= MAX_RETRY_AFTER_MS) {
          // At least Retry-After, plus a little jitter so throttled callers do not return in lockstep.
          const delayMs =
            retryAfterMs === undefined
              ? backoffDelay(attempt, o, o.random)
              : retryAfterMs + Math.round(o.random() * o.baseDelayMs);
          o.limiter.pauseUntil(o.now() + delayMs);
          this.emit({
            type: "throttled",
            ...base,
            status: 429,
            delayMs,
            ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
            effectiveRps: o.limiter.effectiveRps,
          });
          await o.sleep(delayMs);
          continue;
        }
      } else if (status >= 500 && status <= 599 && attempt < o.maxRetries) {
        const delayMs = backoffDelay(attempt, o, o.random);
        this.emit({ type: "retry", ...base, status, reason: `HTTP ${status}`, delayMs });
        await o.sleep(delayMs);
        continue;
      }

      throw errorForResponse({
        status,
        pcCode: err.pcCode,
        description: err.description ?? (res.statusText || `HTTP ${status}`),
        method,
        path,
        requestId,
        correlationId,
        attempts: attempt + 1,
      });
    }
  }

  private async getToken(method: string, path: string, requestId: string): Promise<string> {
    let token: string;
    try {
      token = await this.opts.token();
    } catch (err) {
      if (err instanceof PcplanError) throw err;
      throw new PcplanError(
        PC_ERROR_CODES.credentials,
        `Could not obtain a Partner Center access token: ${redact(err instanceof Error ? err.message : String(err))}`,
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

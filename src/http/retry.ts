/**
 * When to retry and how long to wait. Retried: `429` (waiting at least `Retry-After`),
 * `5xx`, dropped connections, network errors and per-attempt timeouts. Never retried: other
 * `4xx` (the request itself is wrong, or a business rule refused it).
 *
 * One jitter for every wait: without a `Retry-After`, capped exponential backoff with full
 * jitter, `jitter(min(maxDelay, base × 2^attempt))`; after one, the time asked plus
 * `jitter(min(base, wait / 10 + 1))`, so requests throttled together do not return in lockstep.
 */

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest single `Retry-After` waited out; a longer one fails the call at once. */
  maxWaitMs: number;
}

export type BackoffPolicy = Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">;

/** A uniformly random wait in [0, ceilingMs], whole milliseconds; `random` is clamped to [0, 1]. */
export function jitter(ceilingMs: number, random: () => number): number {
  return Math.round(Math.min(Math.max(random(), 0), 1) * ceilingMs);
}

/** Delay before retry number `attempt + 1` (attempt 0 = the first retry) when the service said nothing. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  return jitter(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30)), random);
}

/** Delay after the service asked for `waitMs` (a Retry-After, or what the budget's pause leaves of it). */
export function afterRetryAfter(waitMs: number, policy: BackoffPolicy, random: () => number): number {
  return Math.max(0, waitMs) + jitter(Math.min(policy.baseDelayMs, waitMs / 10 + 1), random);
}

/**
 * `Retry-After` as milliseconds: delta-seconds (`57`) or an HTTP date
 * (`Tue, 21 Jul 2020 04:10:58 GMT`), read against `nowMs` (the layer's clock). `undefined` when
 * absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** The 429 body says "Try again in 57 seconds." — a fallback when the header is missing. */
export function retryAfterFromMessage(message: string | undefined): number | undefined {
  if (!message) return undefined;
  const m = /try again in (\d+(?:\.\d+)?) ?s(?:ec(?:ond)?s?)?\b/i.exec(message);
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
}

/** 5xx: the service failed; retried with backoff. */
export function isServerError(status: number): boolean {
  return status >= 500 && status <= 599;
}

/** What the transport retries: 429 (after Retry-After) and 5xx. Other 4xx never. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || isServerError(status);
}

const RETRYABLE_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTUNREACH",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

const RETRYABLE_MESSAGES = /fetch failed|other side closed|socket hang up|terminated|ECONNRESET|network/i;

/**
 * Dropped connections and timeouts, as node:http reports them (`ECONNRESET`, "socket hang up",
 * node-send.ts's cut body), as undici's `fetch` does when a caller sends through one (`TypeError:
 * fetch failed` with a `cause` carrying `ECONNRESET` / `UND_ERR_SOCKET` / "other side closed",
 * `TypeError: terminated` when the body is cut), and `AbortError`/`TimeoutError` from our
 * per-attempt signal.
 */
export function isRetryableNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e != null && depth < 5; depth++) {
    if (typeof e !== "object") break;
    const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
    if (name === "AbortError" || name === "TimeoutError") return true;
    if (typeof code === "string" && RETRYABLE_CODES.has(code)) return true;
    if (typeof message === "string" && RETRYABLE_MESSAGES.test(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** A short, credential-free description of a network failure ("ECONNRESET: other side closed"). */
export function describeNetworkError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e != null && depth < 5; depth++) {
    if (typeof e !== "object") {
      parts.push(typeof e === "string" ? e : "unknown error");
      break;
    }
    const { name, code, message } = e as { name?: unknown; code?: unknown; message?: unknown };
    if (name === "TimeoutError") parts.push(typeof message === "string" && message.startsWith("no data") ? message : "timed out");
    else if (typeof message === "string" && message) parts.push(typeof code === "string" ? `${code}: ${message}` : message);
    e = (e as { cause?: unknown }).cause;
  }
  return [...new Set(parts)].join(" <- ") || "unknown network error";
}

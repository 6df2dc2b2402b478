/**
 * The retry rule (src/http/retry.ts) in detail: which statuses and network failures are retried, how
 * long a 429 asks to wait (header or body), the jittered backoff, and the short description of
 * a network failure that goes into errors and events.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  afterRetryAfter,
  backoffDelay,
  jitter,
  describeNetworkError,
  isRetryableNetworkError,
  isRetryableStatus,
  isServerError,
  parseRetryAfter,
  retryAfterFromMessage,
} from "../../src/http/retry.js";

const failure = (message: string, code?: string, cause?: unknown) =>
  Object.assign(new Error(message, cause === undefined ? {} : { cause }), code ? { code } : {});

describe("what is retried", () => {
  it("5xx and 429; no other status", () => {
    expect([500, 503, 599].map(isServerError)).toEqual([true, true, true]);
    expect([499, 600, 429].map(isServerError)).toEqual([false, false, false]);
    expect([429, 500, 599].map(isRetryableStatus)).toEqual([true, true, true]);
    expect([200, 400, 404, 428, 430, 600].map(isRetryableStatus)).toEqual([false, false, false, false, false, false]);
  });

  it.each([
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
  ])("a connection failing with %s, as undici reports it (fetch failed, caused by it)", (code) => {
    expect(isRetryableNetworkError(new TypeError("fetch failed", { cause: failure("x", code) }))).toBe(true);
    expect(isRetryableNetworkError(failure("x", code))).toBe(true);
  });

  it.each(["other side closed", "socket hang up", "terminated", "read ECONNRESET", "Network is down"])("a failure saying %j", (message) => {
    expect(isRetryableNetworkError(new Error(message))).toBe(true);
  });

  it("a per-attempt timeout or abort", () => {
    expect(isRetryableNetworkError(new DOMException("timed out", "TimeoutError"))).toBe(true);
    expect(isRetryableNetworkError(new DOMException("aborted", "AbortError"))).toBe(true);
  });

  it("looks a few causes deep, no further, and never at what is not an error object", () => {
    const chain = (depth: number) => {
      let e: unknown = failure("x", "ECONNRESET");
      for (let i = 0; i < depth; i++) e = new Error("wrapped", { cause: e });
      return e;
    };
    expect(isRetryableNetworkError(chain(4))).toBe(true);
    expect(isRetryableNetworkError(chain(5))).toBe(false);
    for (const v of [null, undefined, "ECONNRESET", 42]) expect(isRetryableNetworkError(v)).toBe(false);
    expect(isRetryableNetworkError(new TypeError("Invalid URL", { cause: "ECONNRESET" }))).toBe(false);
    expect(isRetryableNetworkError(failure("refused", "EACCES"))).toBe(false);
    expect(isRetryableNetworkError({ name: "Error", code: 104, message: 7 })).toBe(false);
  });
});

describe("how long to wait", () => {
  it("reads Retry-After as seconds (fractions too, padded or not) or an HTTP date, never below zero", () => {
    const now = Date.parse("Tue, 21 Jul 2020 04:10:58 GMT");
    expect(parseRetryAfter(" 1.5 ", now)).toBe(1500);
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("Tue, 21 Jul 2020 04:10:59 GMT", now)).toBe(1000);
    expect(parseRetryAfter("Tue, 21 Jul 2020 04:10:00 GMT", now)).toBe(0);
    for (const v of [undefined, null, "", "   ", "soon"]) expect(parseRetryAfter(v, now)).toBeUndefined();
  });

  it("falls back to the 429 body's 'Try again in N seconds', however it spells the unit", () => {
    expect(retryAfterFromMessage("Rate limit is exceeded. Try again in 57 seconds.")).toBe(57_000);
    expect(retryAfterFromMessage("try again in 2.5 s")).toBe(2500);
    expect(retryAfterFromMessage("Try again in 10 sec.")).toBe(10_000);
    expect(retryAfterFromMessage("Try again in 1 second")).toBe(1000);
    expect(retryAfterFromMessage("Try again in 3s")).toBe(3000);
    for (const m of [undefined, "", "Try again later", "Try again in 3 minutes"]) expect(retryAfterFromMessage(m)).toBeUndefined();
  });

  it("backs off with full jitter under a capped exponential ceiling, whatever the random source returns", () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelay(0, policy, () => 0.5)).toBe(50);
    expect(backoffDelay(2, policy, () => 1)).toBe(400);
    expect(backoffDelay(2, policy, () => 7)).toBe(400);
    expect(backoffDelay(2, policy, () => -3)).toBe(0);
    expect(backoffDelay(9, policy, () => 1)).toBe(1000);
    // A huge attempt count stays a number (the exponent stops at 2^30).
    expect(backoffDelay(5000, { baseDelayMs: 1, maxDelayMs: Number.POSITIVE_INFINITY }, () => 1)).toBe(2 ** 30);
    fc.assert(
      fc.property(fc.nat(100), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const d = backoffDelay(attempt, { baseDelayMs: 200, maxDelayMs: 20_000 }, () => r);
        return d >= 0 && d <= Math.min(20_000, 200 * 2 ** attempt);
      }),
    );
  });

  it("after a Retry-After waits what was asked plus the same jitter, at most a tenth of it plus 1 ms and never more than the base", () => {
    const policy = { baseDelayMs: 200, maxDelayMs: 20_000 };
    expect(afterRetryAfter(1000, policy, () => 0)).toBe(1000);
    expect(afterRetryAfter(1000, policy, () => 1)).toBe(1101);
    expect(afterRetryAfter(1000, policy, () => 0.5)).toBe(1051);
    expect(afterRetryAfter(60_000, policy, () => 1)).toBe(60_200);
    // What a pause leaves may be nothing (or less): no negative wait.
    expect(afterRetryAfter(-5, policy, () => 0)).toBe(0);
    expect(afterRetryAfter(0, policy, () => 1)).toBe(1);
  });

  it("one jitter: uniform in [0, ceiling], whole milliseconds, the random source clamped", () => {
    expect(jitter(100, () => 0.123)).toBe(12);
    expect(jitter(100, () => 0.126)).toBe(13);
    expect(jitter(100, () => 2)).toBe(100);
    expect(jitter(100, () => -1)).toBe(0);
  });
});

describe("describing a network failure", () => {
  it("names each cause's code and message, outermost first, once each", () => {
    const err = new TypeError("fetch failed", { cause: failure("other side closed", "UND_ERR_SOCKET") });
    expect(describeNetworkError(err)).toBe("fetch failed <- UND_ERR_SOCKET: other side closed");
    const twice = new Error("boom", { cause: new Error("boom") });
    expect(describeNetworkError(twice)).toBe("boom");
  });

  it("says 'timed out' for a timeout, and copes with what is not an Error", () => {
    expect(describeNetworkError(new DOMException("The operation was aborted due to timeout", "TimeoutError"))).toBe("timed out");
    expect(describeNetworkError("socket closed")).toBe("socket closed");
    expect(describeNetworkError(new Error("outer", { cause: 42 }))).toBe("outer <- unknown error");
    expect(describeNetworkError(new Error(""))).toBe("unknown network error");
    expect(describeNetworkError(null)).toBe("unknown network error");
  });

  it("stops a few causes deep", () => {
    let e: unknown = new Error("m6");
    for (let i = 5; i >= 1; i--) e = new Error(`m${i}`, { cause: e });
    expect(describeNetworkError(e)).toBe("m1 <- m2 <- m3 <- m4 <- m5");
  });
});

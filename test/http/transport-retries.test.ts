/**
 * What the transport (src/http/transport.ts) retries and how long it waits: a 429 after its
 * Retry-After (header or body) and the budget told, a 503/504 after its Retry-After when longer
 * than the backoff, other 5xx and dropped connections with backoff, nothing else; when it gives
 * up (out of retries, asked to wait too long) and what it then returns or throws; the events a
 * caller hears (`throttled`, `retry`, `waiting` for a long wait) and the counters. Over real HTTP
 * on 127.0.0.1; the clock's waits pass at once and are recorded; no jitter (random 0).
 */
import { describe, expect, it } from "vitest";
import { LONG_WAIT_MS, TransportError } from "../../src/http/transport.js";
import { dropConnection, sendJson, useFakeServer } from "../helpers/fake-server.js";
import { rejectionOf } from "../partner-center/setup.js";
import { eventsOf, makeTransport } from "./helpers/transport-setup.js";

const THINGS = "/v1/things";

describe("a 429", () => {
  const server = useFakeServer({ expectAllUsed: true });

  it("is waited out for its Retry-After, the budget told and the wait announced", async () => {
    server.once("GET", THINGS, (_req, res) => sendJson(res, 429, {}, { "Retry-After": "12" }));
    server.once("GET", THINGS, (_req, res) => sendJson(res, 200, {}));
    const { transport, url, events, sleeps } = makeTransport(server);
    const ex = await transport.exchange({ method: "GET", url: url("/things") });
    expect(ex).toMatchObject({ attempts: 2, res: { status: 200 } });
    expect(sleeps).toContain(12_000);
    const host = new URL(server.url).host;
    const base = { method: "GET", path: THINGS, attempt: 0, correlationId: "corr-1" };
    expect(eventsOf(events, "throttled")).toEqual([
      { type: "throttled", ...base, requestId: expect.any(String), status: 429, delayMs: 12_000, retryAfterMs: 12_000, effectiveRps: 10, scope: host },
    ]);
    expect(eventsOf(events, "waiting")).toEqual([
      { type: "waiting", ...base, requestId: expect.any(String), delayMs: 12_000, reason: `Test Service asked to retry GET ${THINGS} after 12 s` },
    ]);
    const stats = transport.stats();
    expect(stats).toMatchObject({ requests: 2, retries: 1, throttled: 1, byStatus: { "429": 1, "200": 1 } });
    expect(stats.throttleWaitMs).toBe(12_000);
    expect(stats.budgets[0]).toMatchObject({ kind: "partner", throttled: 1 });
  });

  it("a wait of exactly LONG_WAIT_MS is announced, a shorter one is not", async () => {
    server.once("GET", THINGS, (_req, res) => sendJson(res, 429, {}, { "Retry-After": String(LONG_WAIT_MS / 1000) }));
    server.once("GET", THINGS, (_req, res) => sendJson(res, 429, {}, { "Retry-After": "9" }));
    server.once("GET", THINGS, (_req, res) => sendJson(res, 200, {}));
    const { transport, url, events } = makeTransport(server);
    await transport.exchange({ method: "GET", url: url("/things") });
    expect(eventsOf(events, "throttled").map((e) => e.delayMs)).toEqual([10_000, 9_000]);
    expect(eventsOf(events, "waiting").map((e) => e.delayMs)).toEqual([10_000]);
  });

  it('without a Retry-After header, the body\'s "Try again in N seconds" is the wait', async () => {
    server.once("GET", THINGS, (_req, res) => sendJson(res, 429, { message: "Rate limit is exceeded. Try again in 3 seconds." }));
    server.once("GET", THINGS, (_req, res) => sendJson(res, 200, {}));
    const { transport, url, events } = makeTransport(server);
    await transport.exchange({ method: "GET", url: url("/things") });
    expect(eventsOf(events, "throttled")).toEqual([expect.objectContaining({ retryAfterMs: 3_000, delayMs: 3_000 })]);
  });

  it("the body's wait is read from its first 2,000 characters only", async () => {
    const late = `${"x".repeat(2_000)} Try again in 3 seconds.`;
    server.once("GET", THINGS, (_req, res) => sendJson(res, 429, late));
    server.once("GET", THINGS, (_req, res) => sendJson(res, 200, {}));
    const { transport, url, events } = makeTransport(server);
    await transport.exchange({ method: "GET", url: url("/things") });
    const [throttled] = eventsOf(events, "throttled");
    expect("retryAfterMs" in throttled).toBe(false);
  });

  it("without any Retry-After, the backoff is the wait, and a short wait is not announced", async () => {
    server.once("GET", THINGS, (_req, res) => sendJson(res, 429, {}));
    server.once("GET", THINGS, (_req, res) => sendJson(res, 200, {}));
    const { transport, url, events, sleeps } = makeTransport(server, { random: () => 1 });
    await transport.exchange({ method: "GET", url: url("/things") });
    // backoff(0) = 200 ms at random 1; then the jitter after it: min(200, 200 / 10 + 1) = 21 ms.
    expect(eventsOf(events, "throttled")).toEqual([expect.objectContaining({ delayMs: 221 })]);
    expect("retryAfterMs" in eventsOf(events, "throttled")[0]).toBe(false);
    expect(sleeps).toContain(221);
    expect(eventsOf(events, "waiting")).toEqual([]);
  });

  it("a long backoff after a 429 without Retry-After is announced with the backoff it asked for", async () => {
    server.once("GET", THINGS, (_req, res) => sendJson(res, 429, {}));
    server.once("GET", THINGS, (_req, res) => sendJson(res, 200, {}));
    const { transport, url, events } = makeTransport(server, {
      random: () => 1,
      retry: { maxRetries: 2, baseDelayMs: 10_000, maxDelayMs: 20_000, maxWaitMs: 60_000 },
    });
    await transport.exchange({ method: "GET", url: url("/things") });
    // backoff(0) = 10 s; the jitter after it: min(10 s, 10 s / 10 + 1) = 1,001 ms.
    expect(eventsOf(events, "waiting")).toEqual([expect.objectContaining({ delayMs: 11_001, reason: `Test Service asked to retry GET ${THINGS} after 10 s` })]);
  });

  it("asking to wait longer than maxWaitMs: the 429 is returned at once, with its Retry-After, the budget not told", async () => {
    server.once("GET", THINGS, (_req, res) => sendJson(res, 429, {}, { "Retry-After": "61" }));
    const { transport, url, events, sleeps } = makeTransport(server);
    const ex = await transport.exchange({ method: "GET", url: url("/things") });
    expect(ex).toMatchObject({ attempts: 1, retryAfterMs: 61_000, res: { status: 429 } });
    expect(sleeps).toEqual([]);
    expect(eventsOf(events, "throttled")).toEqual([]);
    expect(transport.stats()).toMatchObject({ throttled: 1 });
    expect(transport.stats().budgets[0]).toMatchObject({ throttled: 0 });
  });

  it("asking for exactly maxWaitMs is waited out", async () => {
    server.once("GET", THINGS, (_req, res) => sendJson(res, 429, {}, { "Retry-After": "60" }));
    server.once("GET", THINGS, (_req, res) => sendJson(res, 200, {}));
    const { transport, url, sleeps } = makeTransport(server);
    const ex = await transport.exchange({ method: "GET", url: url("/things") });
    expect(ex.attempts).toBe(2);
    expect(sleeps).toContain(60_000);
  });

  it("out of retries: the last 429 is returned with its Retry-After, the budget told, no wait", async () => {
    for (let i = 0; i < 3; i++) server.once("GET", THINGS, (_req, res) => sendJson(res, 429, {}, { "Retry-After": "1" }));
    const { transport, url, events, sleeps } = makeTransport(server);
    const ex = await transport.exchange({ method: "GET", url: url("/things") });
    expect(ex).toMatchObject({ attempts: 3, retryAfterMs: 1_000, res: { status: 429 } });
    expect(eventsOf(events, "throttled").map((e) => e.attempt)).toEqual([0, 1]);
    expect(sleeps.filter((ms) => ms >= 1_000)).toHaveLength(2);
    expect(transport.stats()).toMatchObject({ requests: 3, retries: 2, throttled: 3 });
    // The budget was told of the last one too: the next request waits out its pause.
    server.once("GET", "/v1/other", (_req, res) => sendJson(res, 200, {}));
    const before = transport.stats().waitMs;
    await transport.exchange({ method: "GET", url: url("/other") });
    expect(transport.stats().waitMs - before).toBeGreaterThanOrEqual(1_000);
  });

  it("a tenant's 429 names the tenant's scope", async () => {
    const path = "/v1/tenants/T-1/users";
    server.once("GET", path, (_req, res) => sendJson(res, 429, {}, { "Retry-After": "1" }));
    server.once("GET", path, (_req, res) => sendJson(res, 200, {}));
    const { transport, url, events } = makeTransport(server);
    await transport.exchange({ method: "GET", url: url("/tenants/T-1/users") });
    expect(eventsOf(events, "throttled")[0]).toMatchObject({ scope: `${new URL(server.url).host} tenant t-1` });
  });
});

describe("a server error", () => {
  const server = useFakeServer({ expectAllUsed: true });

  it("a 500 is retried after the backoff, its Retry-After ignored, and said so", async () => {
    server.once("POST", THINGS, (_req, res) => sendJson(res, 500, {}, { "Retry-After": "30" }));
    server.once("POST", THINGS, (_req, res) => sendJson(res, 200, {}));
    const { transport, url, events, sleeps } = makeTransport(server, { random: () => 1 });
    const ex = await transport.exchange({ method: "POST", url: url("/things"), requestId: "w-1" });
    expect(ex).toMatchObject({ attempts: 2, res: { status: 200 } });
    expect(eventsOf(events, "retry")).toEqual([
      { type: "retry", method: "POST", path: THINGS, attempt: 0, requestId: "w-1", correlationId: "corr-1", status: 500, reason: "HTTP 500", delayMs: 200 },
    ]);
    expect(sleeps).toEqual([200]);
    expect(transport.stats()).toMatchObject({ throttled: 0, throttleWaitMs: 0 });
  });

  it.each([503, 504])("a %i waits out its Retry-After when longer than the backoff", async (status) => {
    server.once("GET", THINGS, (_req, res) => sendJson(res, status, {}, { "Retry-After": "5" }));
    server.once("GET", THINGS, (_req, res) => sendJson(res, 200, {}));
    const { transport, url, events, sleeps } = makeTransport(server, { random: () => 1 });
    await transport.exchange({ method: "GET", url: url("/things") });
    expect(eventsOf(events, "retry")).toEqual([expect.objectContaining({ status, delayMs: 5_000 })]);
    expect(sleeps).toEqual([5_000]);
  });

  it("a 503 whose Retry-After is shorter than the backoff waits the backoff", async () => {
    server.once("GET", THINGS, (_req, res) => sendJson(res, 503, {}, { "Retry-After": "0" }));
    server.once("GET", THINGS, (_req, res) => sendJson(res, 200, {}));
    const { transport, url, sleeps } = makeTransport(server, { random: () => 1 });
    await transport.exchange({ method: "GET", url: url("/things") });
    expect(sleeps).toEqual([200]);
  });

  it("a 503 asking to wait longer than maxWaitMs is returned at once with its Retry-After; exactly maxWaitMs is waited", async () => {
    server.once("GET", THINGS, (_req, res) => sendJson(res, 503, {}, { "Retry-After": "61" }));
    server.once("GET", "/v1/other", (_req, res) => sendJson(res, 503, {}, { "Retry-After": "60" }));
    server.once("GET", "/v1/other", (_req, res) => sendJson(res, 200, {}));
    const { transport, url, events, sleeps } = makeTransport(server);
    const ex = await transport.exchange({ method: "GET", url: url("/things") });
    expect(ex).toMatchObject({ attempts: 1, retryAfterMs: 61_000, res: { status: 503 } });
    expect(eventsOf(events, "retry")).toEqual([]);
    const other = await transport.exchange({ method: "GET", url: url("/other") });
    expect(other.attempts).toBe(2);
    expect(sleeps).toEqual([60_000]);
  });

  it("the backoff doubles from one retry to the next; out of retries the last answer is returned", async () => {
    for (let i = 0; i < 3; i++) server.once("GET", THINGS, (_req, res) => sendJson(res, 502, {}));
    const { transport, url, sleeps, events } = makeTransport(server, { random: () => 1 });
    const ex = await transport.exchange({ method: "GET", url: url("/things") });
    expect(ex).toMatchObject({ attempts: 3, res: { status: 502 } });
    expect("retryAfterMs" in ex).toBe(false);
    expect(sleeps).toEqual([200, 400]);
    expect(eventsOf(events, "retry").map((e) => e.attempt)).toEqual([0, 1]);
  });

  it.each([300, 400, 404, 409, 412, 499, 600])("a %i is returned at once, never retried", async (status) => {
    server.once("GET", THINGS, (_req, res) => sendJson(res, status, {}, { "Retry-After": "1" }));
    const { transport, url, events, sleeps } = makeTransport(server);
    const ex = await transport.exchange({ method: "GET", url: url("/things") });
    expect(ex).toMatchObject({ attempts: 1, retryAfterMs: 1_000, res: { status } });
    expect(eventsOf(events, "retry")).toEqual([]);
    expect(sleeps).toEqual([]);
  });
});

describe("no answer", () => {
  const server = useFakeServer({ expectAllUsed: true });

  it("a dropped connection is retried after the backoff and said so; the counters say it", async () => {
    server.once("POST", THINGS, (_req, res) => dropConnection(res));
    server.once("POST", THINGS, (_req, res) => sendJson(res, 201, {}));
    const { transport, url, events, sleeps } = makeTransport(server, { random: () => 1 });
    const ex = await transport.exchange({ method: "POST", url: url("/things"), requestId: "w-2" });
    expect(ex).toMatchObject({ attempts: 2, requestId: "w-2", res: { status: 201 } });
    const [retry] = eventsOf(events, "retry");
    expect(retry).toMatchObject({ method: "POST", path: THINGS, attempt: 0, requestId: "w-2", delayMs: 200 });
    expect(retry.reason).toMatch(/other side closed|socket|ECONNRESET|fetch failed/i);
    expect("status" in retry).toBe(false);
    expect(sleeps).toEqual([200]);
    expect(eventsOf(events, "request")).toHaveLength(2);
    expect(eventsOf(events, "response")).toHaveLength(1);
    // A network retry's wait is no throttle wait.
    expect(transport.stats()).toMatchObject({ requests: 2, retries: 1, networkErrors: 1, byStatus: { "201": 1 }, throttleWaitMs: 0 });
  });

  it("out of retries: a `network` TransportError naming the request and its attempts", async () => {
    for (let i = 0; i < 3; i++) server.once("GET", THINGS, (_req, res) => dropConnection(res));
    const { transport, url } = makeTransport(server);
    const err = await rejectionOf(transport.exchange({ method: "GET", url: url("/things") }));
    expect(err).toBeInstanceOf(TransportError);
    const te = err as TransportError;
    expect(te.name).toBe("TransportError");
    expect(te.failure).toBe("network");
    expect(te.message).toBe(te.description);
    expect(te.request).toMatchObject({ method: "GET", path: THINGS, attempt: 2, attempts: 3, correlationId: "corr-1" });
    expect(te.cause).toBeDefined();
    expect(transport.stats()).toMatchObject({ networkErrors: 3 });
  });

  it("a failure that is not a dropped connection is not retried", async () => {
    const { transport, url } = makeTransport(server, {
      fetch: () => Promise.reject(new Error("certificate has expired")),
    });
    const err = await rejectionOf(transport.exchange({ method: "GET", url: url("/things") }));
    expect(err).toMatchObject({ failure: "network", description: "certificate has expired", request: { attempts: 1 } });
    expect(transport.stats()).toMatchObject({ requests: 1, networkErrors: 1 });
  });

  it("the failure's description is redacted", async () => {
    const { transport, url } = makeTransport(server, {
      fetch: () => Promise.reject(new Error("bad header Bearer abcdefghijklmnopqrstuvwxyz")),
    });
    const err = await rejectionOf(transport.exchange({ method: "GET", url: url("/things") }));
    expect((err as TransportError).description).not.toContain("abcdefghijklmnop");
  });

  it.each([
    [2 ** 20, "1 MiB"],
    [1_000, "1000 bytes"],
  ])("a body over the cap of %i is a `body-too-large` failure (%s), not retried", async (cap, shown) => {
    server.once("GET", THINGS, (_req, res) => sendJson(res, 200, "x".repeat(cap + 10)));
    const { transport, url } = makeTransport(server, { maxBodyBytes: cap });
    const err = await rejectionOf(transport.exchange({ method: "GET", url: url("/things") }));
    expect(err).toMatchObject({
      failure: "body-too-large",
      description: `the response body is larger than ${shown}, the most pcplan reads of one answer; the rest was not read`,
      request: { attempts: 1 },
    });
    expect(server.requests).toHaveLength(1);
    expect(transport.stats()).toMatchObject({ networkErrors: 0 });
  });
});

/**
 * One exchange through the transport (src/http/transport.ts), as every adapter relies on it: what
 * goes on the wire (the token, the standard headers no caller can override, the body as JSON),
 * which request id each attempt carries, what comes back, the events in order and the counters.
 * Over real HTTP on 127.0.0.1 against a wire-level fake; the clock's waits pass at once.
 */
import { describe, expect, it } from "vitest";
import { PcplanError } from "../../src/errors.js";
import { redact } from "../../src/http/redact.js";
import { formatSeconds, TransportError } from "../../src/http/transport.js";
import { answerAfter, dropConnection, sendJson, useFakeServer } from "../helpers/fake-server.js";
import { systemClock } from "../../src/http/clock.js";
import { createRequestBudget } from "../../src/http/options.js";
import { rejectionOf, UUID } from "../partner-center/setup.js";
import { makeTransport, SERVICE, TOKEN } from "./helpers/transport-setup.js";

describe("one exchange", () => {
  const server = useFakeServer({ expectAllUsed: true });

  it("sends the token and the standard headers, which a request's own headers cannot override", async () => {
    server.once("GET", "/v1/things", (_req, res) => sendJson(res, 200, { ok: true }));
    const { transport, url, now } = makeTransport(server);
    const started = now();
    const ex = await transport.exchange({
      method: "GET",
      url: url("/things"),
      headers: { Authorization: "Bearer forged", Accept: "text/plain", "If-Match": "etag-1", "X-Request-Id": "mine" },
    });
    const sent = server.requests[0].headers;
    expect(sent.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent.accept).toBe("application/json");
    expect(sent["if-match"]).toBe("etag-1");
    expect(sent["x-request-id"]).toBe(ex.requestId);
    expect(sent["content-type"]).toBeUndefined();
    expect(ex).toEqual({ res: expect.objectContaining({ status: 200 }), requestId: expect.stringMatching(UUID), attempts: 1, sentAt: started });
    expect(JSON.parse(ex.res.text)).toEqual({ ok: true });
    expect(transport.correlationId).toBe("corr-1");
    expect(transport.service).toBe(SERVICE);
  });

  it("sends a body as JSON with its content type", async () => {
    server.once("POST", "/v1/things", (req, res) => sendJson(res, 201, req.json));
    const { transport, url } = makeTransport(server);
    const ex = await transport.exchange({ method: "POST", url: url("/things"), body: { name: "a", n: 2 } });
    expect(server.requests[0].headers["content-type"]).toBe("application/json");
    expect(server.requests[0].body).toBe('{"name":"a","n":2}');
    expect(ex.res.status).toBe(201);
  });

  it("a write keeps one request id on every retry (its own when given); a read takes a fresh one per attempt", async () => {
    for (const method of ["POST", "POST", "GET"] as const) {
      server.once(method, "/v1/things", (_req, res) => sendJson(res, 500, {}));
      server.once(method, "/v1/things", (_req, res) => sendJson(res, 200, {}));
    }
    const { transport, url } = makeTransport(server);
    const write = await transport.exchange({ method: "POST", url: url("/things"), body: {} });
    const given = await transport.exchange({ method: "POST", url: url("/things"), body: {}, requestId: "given-id" });
    const read = await transport.exchange({ method: "GET", url: url("/things") });
    const ids = server.requests.map((r) => r.headers["x-request-id"]);
    expect(ids[0]).toMatch(UUID);
    expect(ids.slice(0, 2)).toEqual([write.requestId, write.requestId]);
    expect(ids.slice(2, 4)).toEqual(["given-id", "given-id"]);
    expect(given.requestId).toBe("given-id");
    expect(ids[4]).toMatch(UUID);
    expect(ids[5]).not.toBe(ids[4]);
    expect(read).toMatchObject({ requestId: ids[5], attempts: 2 });
  });

  it("reports a request and its response, with the attempt's method, path, ids and time", async () => {
    server.once("GET", "/v1/things", (_req, res) => sendJson(res, 404, { code: 1 }));
    const { transport, url, events } = makeTransport(server);
    const ex = await transport.exchange({ method: "GET", url: url("/things?$top=5") });
    const base = { method: "GET", path: "/v1/things", attempt: 0, requestId: ex.requestId, correlationId: "corr-1" };
    expect(events).toEqual([
      { type: "request", ...base },
      { type: "response", ...base, status: 404, durationMs: 0 },
    ]);
    expect(ex).toMatchObject({ attempts: 1 });
    expect("retryAfterMs" in ex).toBe(false);
  });

  it("counts requests, retries and answers by status; a listener that throws does not break the call", async () => {
    server.once("GET", "/v1/things", (_req, res) => sendJson(res, 502, {}));
    server.once("GET", "/v1/things", (_req, res) => sendJson(res, 200, {}));
    server.once("GET", "/v1/other", (_req, res) => sendJson(res, 200, {}));
    const { transport, url } = makeTransport(server, {
      onEvent: () => {
        throw new Error("a broken listener");
      },
    });
    await transport.exchange({ method: "GET", url: url("/things") });
    await transport.exchange({ method: "GET", url: url("/other") });
    const stats = transport.stats();
    expect(stats).toMatchObject({ requests: 3, retries: 1, throttled: 0, networkErrors: 0, byStatus: { "200": 2, "502": 1 } });
    expect(stats.effectiveRps).toBe(10);
    expect(stats.peakRps).toBe(3);
    expect(stats.currentRps).toBe(3);
    expect(stats.waitMs).toBe(0);
    expect(stats.throttleWaitMs).toBe(0);
    expect(stats.budgets).toEqual([expect.objectContaining({ kind: "partner", scope: new URL(server.url).host, throttled: 0 })]);
  });

  it("a 2xx is the answer, a Retry-After on it ignored; a request counts as its weight", async () => {
    server.once("POST", "/v1/$batch", (_req, res) => sendJson(res, 200, {}, { "Retry-After": "5" }));
    const { transport, url } = makeTransport(server);
    const ex = await transport.exchange({ method: "POST", url: url("/$batch"), body: {}, weight: 5, passed: () => 5 });
    expect(ex.attempts).toBe(1);
    expect("retryAfterMs" in ex).toBe(false);
    expect(transport.stats()).toMatchObject({ requests: 1, currentRps: 5, peakRps: 5 });
  });

  it("a response's duration is the time the attempt took on the transport's clock", async () => {
    server.once("GET", "/v1/things", (_req, res) => void answerAfter(60, () => sendJson(res, 200, {})));
    const { transport, url, events } = makeTransport(server, { clock: systemClock });
    await transport.exchange({ method: "GET", url: url("/things") });
    const [response] = events.filter((e) => e.type === "response");
    expect(response).toMatchObject({ durationMs: expect.any(Number) });
    expect((response as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(50);
  });

  it("each attempt frees its place on the wire, answered or failed", async () => {
    server.once("GET", "/v1/things", (_req, res) => dropConnection(res));
    server.on("GET", "/v1/other", (_req, res) => sendJson(res, 200, {}));
    const { transport, url } = makeTransport(server, {
      budget: createRequestBudget({ maxInFlight: 1, now: () => 0, sleep: () => Promise.resolve() }),
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 1 },
    });
    await expect(transport.exchange({ method: "GET", url: url("/things") })).rejects.toBeInstanceOf(TransportError);
    await transport.exchange({ method: "GET", url: url("/other") });
    await transport.exchange({ method: "GET", url: url("/other") });
    expect(server.requests).toHaveLength(3);
  });

  it("before any request the stats are zero", () => {
    const { transport } = makeTransport(server);
    expect(transport.stats()).toEqual({
      requests: 0,
      retries: 0,
      throttled: 0,
      networkErrors: 0,
      byStatus: {},
      effectiveRps: 10,
      peakRps: 0,
      currentRps: 0,
      waitMs: 0,
      throttleWaitMs: 0,
      budgets: [],
    });
  });
});

describe("the token", () => {
  const server = useFakeServer({ expectAllUsed: true });

  it("is sent without a second `Bearer `, trimmed, and redacted from then on", async () => {
    server.on("GET", "/v1/things", (_req, res) => sendJson(res, 200, {}));
    const token = "bearer   tok-ABCDEFGH-42  ";
    const { transport, url } = makeTransport(server, { token: () => Promise.resolve(token) });
    await transport.exchange({ method: "GET", url: url("/things") });
    expect(server.requests[0].headers.authorization).toBe("Bearer tok-ABCDEFGH-42");
    expect(redact("echoed: tok-ABCDEFGH-42")).not.toContain("tok-ABCDEFGH-42");
  });

  it("a request's own token provider is used instead of the transport's", async () => {
    server.once("GET", "/v1/things", (_req, res) => sendJson(res, 200, {}));
    const { transport, url } = makeTransport(server);
    await transport.exchange({ method: "GET", url: url("/things"), token: () => Promise.resolve("tenant-token-xyz") });
    expect(server.requests[0].headers.authorization).toBe("Bearer tenant-token-xyz");
  });

  it("a provider that fails: `no-token`, the service named, the secret in its message redacted, nothing sent", async () => {
    const { transport, url } = makeTransport(server, {
      token: () => Promise.reject(new Error(`refused for ${TOKEN}`)),
    });
    const err = await rejectionOf(transport.exchange({ method: "POST", url: url("/things"), requestId: "r-1" }));
    expect(err).toBeInstanceOf(TransportError);
    const te = err as TransportError;
    expect(te.failure).toBe("no-token");
    expect(te.description).toBe("Could not obtain a Test Service access token: refused for [REDACTED]");
    expect(te.request).toEqual({ method: "POST", path: "/v1/things", attempt: 0, requestId: "r-1", correlationId: "corr-1", attempts: 1 });
    expect(te.cause).toBeInstanceOf(Error);
    expect(server.requests).toEqual([]);
  });

  it("a provider that throws something not an Error is described all the same", async () => {
    const { transport, url } = makeTransport(server, { token: () => Promise.reject(new Error("x", { cause: 1 })) });
    const { transport: t2 } = makeTransport(server, {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      token: () => Promise.reject("a plain string"),
    });
    await expect(transport.exchange({ method: "GET", url: url("/things") })).rejects.toMatchObject({ failure: "no-token" });
    await expect(t2.exchange({ method: "GET", url: url("/things") })).rejects.toMatchObject({
      description: "Could not obtain a Test Service access token: a plain string",
    });
  });

  it("pcplan's own error from a provider (a credential the user must fix) passes through as it is", async () => {
    const own = new PcplanError("PC_AUTHENTICATION", "the secret has expired");
    const { transport, url } = makeTransport(server, { token: () => Promise.reject(own) });
    await expect(transport.exchange({ method: "GET", url: url("/things") })).rejects.toBe(own);
  });

  it.each([
    ["empty", ""],
    ["blank", "   "],
    ["not text", 42 as unknown as string],
  ])("an %s token is refused before anything is sent", async (_what, token) => {
    const { transport, url } = makeTransport(server, { token: () => Promise.resolve(token) });
    const err = await rejectionOf(transport.exchange({ method: "GET", url: url("/things") }));
    expect(err).toMatchObject({ failure: "empty-token", description: "the token provider returned an empty token" });
    expect(server.requests).toEqual([]);
  });
});

describe("formatSeconds", () => {
  it("whole seconds as they are, others to a tenth", () => {
    expect(formatSeconds(2000)).toBe("2 s");
    expect(formatSeconds(1500)).toBe("1.5 s");
    expect(formatSeconds(1234)).toBe("1.2 s");
    expect(formatSeconds(0)).toBe("0 s");
  });
});

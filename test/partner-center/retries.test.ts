import { describe, expect, it } from "vitest";
import { NetworkError, PartnerCenterError, ServiceError, ThrottledError } from "../../src/partner-center/errors.js";
import type { OrderRequest } from "../../src/partner-center/types.js";
import { answerAfter, dropConnection, example, exampleText, sendJson, useFakeServer } from "../helpers/fake-server.js";
import { CUSTOMER, makeClient, rejectionOf, UUID } from "./setup.js";

const ORDER: OrderRequest = {
  billingCycle: "monthly",
  lineItems: [{ lineItemNumber: 0, offerId: "796B6B5F-613C-4E24-A17C-EBA730D49C02", quantity: 12 }],
};
const ORDERS = `/v1/customers/${CUSTOMER}/orders`;
const CUSTOMERS = "/v1/customers";

describe("retries", () => {
  // Every scripted answer must be used.
  const server = useFakeServer({ expectAllUsed: true });

  it("retries a write after a dropped connection with the same MS-RequestId (given)", async () => {
    server.once("POST", ORDERS, (_req, res) => dropConnection(res));
    server.once("POST", ORDERS, (_req, res) => sendJson(res, 201, exampleText("06-order.response.json")));
    const { client, events } = makeClient(server);

    const order = await client.createOrder(CUSTOMER, ORDER, { requestId: "5d845377-5b7d-4cd4-98f6-19e5ae3faa81" });

    expect(order.id).toBe("Cs_jyTxubLpvdJXdo8xcQZN6I2RsLrgZ1");
    expect(server.requests).toHaveLength(2);
    expect(server.requests.map((r) => r.headers["ms-requestid"])).toEqual(["5d845377-5b7d-4cd4-98f6-19e5ae3faa81", "5d845377-5b7d-4cd4-98f6-19e5ae3faa81"]);
    expect(server.requests[1].json).toEqual(ORDER);
    expect(client.stats()).toMatchObject({ requests: 2, retries: 1, networkErrors: 1 });
    expect(events.some((e) => e.type === "retry" && e.method === "POST")).toBe(true);
  });

  it("generates one MS-RequestId per logical write and reuses it on every retry", async () => {
    server.once("POST", ORDERS, (_req, res) => dropConnection(res));
    server.once("POST", ORDERS, (_req, res) => sendJson(res, 503, { code: 1, description: "busy" }));
    server.once("POST", ORDERS, (_req, res) => sendJson(res, 201, exampleText("06-order.response.json")));
    server.once("POST", ORDERS, (_req, res) => sendJson(res, 201, exampleText("06-order.response.json")));
    const { client } = makeClient(server);

    await client.createOrder(CUSTOMER, ORDER);
    await client.createOrder(CUSTOMER, ORDER);

    const ids = server.requests.map((r) => r.headers["ms-requestid"] as string);
    expect(ids).toHaveLength(4);
    expect(ids[0]).toMatch(UUID);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).toBe(ids[0]);
    expect(ids[3]).not.toBe(ids[0]); // the next logical write gets its own
  });

  it("retries a PATCH after a dropped connection with the same MS-RequestId and If-Match", async () => {
    const sub = example("03b-subscription-by-id.response.json");
    const path = `/v1/customers/${CUSTOMER}/subscriptions/${sub.id}`;
    server.once("PATCH", path, (_req, res) => dropConnection(res));
    server.once("PATCH", path, (req, res) => sendJson(res, 200, req.json));
    const { client } = makeClient(server);
    await client.updateSubscription(CUSTOMER, { ...sub, status: "suspended" });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0].headers["ms-requestid"]).toBe(server.requests[1].headers["ms-requestid"]);
    expect(server.requests[1].headers["if-match"]).toBe(sub.attributes.etag);
  });

  it("waits out a 429 for at least Retry-After seconds and cuts the partner budget", async () => {
    server.once("GET", CUSTOMERS, (_req, res) => sendJson(res, 429, exampleText("12-throttling-429.response.json"), { "Retry-After": "57" }));
    server.once("GET", CUSTOMERS, (_req, res) => sendJson(res, 200, exampleText("01-customers.response.json")));
    const { client, sleeps, events } = makeClient(server);
    expect(client.stats().effectiveRps).toBe(10); // where the budget starts

    const customers = await client.listCustomers();

    expect(customers).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
    expect(Math.max(...sleeps)).toBeGreaterThanOrEqual(57_000);
    const throttled = events.find((e) => e.type === "throttled");
    expect(throttled).toMatchObject({ type: "throttled", status: 429, retryAfterMs: 57_000, scope: new URL(server.url).host });
    expect(throttled && "delayMs" in throttled && throttled.delayMs).toBeGreaterThanOrEqual(57_000);
    // Judged the partner's (a partner-wide call), so the partner budget is cut: 0.7 × 10.
    expect(events.find((e) => e.type === "rate")).toMatchObject({ type: "rate", kind: "partner", rps: 7 });
    const stats = client.stats();
    expect(stats.throttled).toBe(1);
    expect(stats.byStatus).toEqual({ "200": 1, "429": 1 });
    expect(stats.effectiveRps).toBe(7);
    expect(stats.throttleWaitMs).toBeGreaterThanOrEqual(57_000);
  });

  it("honours Retry-After given as an HTTP date, read on the client's clock", async () => {
    const { client, sleeps, now } = makeClient(server);
    const at = new Date(now() + 30_000).toUTCString();
    server.once("GET", CUSTOMERS, (_req, res) => sendJson(res, 429, { statusCode: 429, message: "Rate limit is exceeded." }, { "Retry-After": at }));
    server.on("GET", CUSTOMERS, (_req, res) => sendJson(res, 200, exampleText("01-customers.response.json")));
    await client.listCustomers();
    expect(Math.max(...sleeps)).toBeGreaterThanOrEqual(28_000);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(31_000);
  });

  it("cuts the budget again on each new 429 (one cut per overload), down to a floor", async () => {
    for (let i = 0; i < 4; i++) {
      server.once("GET", CUSTOMERS, (_req, res) => sendJson(res, 429, exampleText("12-throttling-429.response.json"), { "Retry-After": "2" }));
    }
    server.once("GET", CUSTOMERS, (_req, res) => sendJson(res, 200, exampleText("01-customers.response.json")));
    const rates: number[] = [];
    const { client } = makeClient(server, {
      initialRps: 2,
      onEvent: (e) => {
        if (e.type === "rate") rates.push(e.rps);
      },
    });
    await client.listCustomers();
    // Every retry is sent after the last cut, so each 429 is news: 2 → 1.4 → 1 → 0.7 → 0.5 (the floor).
    expect(rates.map((r) => Math.round(r * 100) / 100)).toEqual([1.4, 0.98, 0.69, 0.5]);
  });

  it("uses the 429 body's 'Try again in N seconds' when Retry-After is missing", async () => {
    server.once("GET", CUSTOMERS, (_req, res) => sendJson(res, 429, exampleText("12-throttling-429.response.json")));
    server.once("GET", CUSTOMERS, (_req, res) => sendJson(res, 200, exampleText("01-customers.response.json")));
    const { client, sleeps } = makeClient(server);
    await client.listCustomers();
    expect(Math.max(...sleeps)).toBeGreaterThanOrEqual(57_000);
  });

  it("retries 5xx with capped exponential backoff and fresh request ids for reads", async () => {
    server.once("GET", CUSTOMERS, (_req, res) => sendJson(res, 503, "<html>Service Unavailable</html>"));
    server.once("GET", CUSTOMERS, (_req, res) => sendJson(res, 500, { code: 500, description: "Internal error" }));
    server.once("GET", CUSTOMERS, (_req, res) => sendJson(res, 200, exampleText("01-customers.response.json")));
    const { client, sleeps } = makeClient(server, { baseDelayMs: 100, maxDelayMs: 150, random: () => 1 });
    await client.listCustomers();
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([100, 150]); // 100·2^0, then min(150, 100·2^1)
    expect(new Set(server.requests.map((r) => r.headers["ms-requestid"])).size).toBe(3);
  });

  it("gives up after maxRetries with a ServiceError", async () => {
    server.on("GET", CUSTOMERS, (_req, res) => sendJson(res, 502, "Bad Gateway"));
    const { client } = makeClient(server, { maxRetries: 2 });
    const err = await rejectionOf(client.listCustomers());
    expect(err).toBeInstanceOf(ServiceError);
    expect(server.requests).toHaveLength(3);
    expect((err as ServiceError).attempts).toBe(3);
    expect(err.message).toContain("502");
    expect(err.message).toContain("Gave up after 3 attempts");
  });

  it("gives up on persistent throttling with a ThrottledError", async () => {
    server.on("GET", CUSTOMERS, (_req, res) => sendJson(res, 429, exampleText("12-throttling-429.response.json"), { "Retry-After": "1" }));
    const { client } = makeClient(server, { maxRetries: 3 });
    const err = await rejectionOf(client.listCustomers());
    expect(err).toBeInstanceOf(ThrottledError);
    expect(server.requests).toHaveLength(4);
    expect(client.stats().throttled).toBe(4);
    expect(err.message).toContain("Rate limit is exceeded");
  });

  it("does not retry a 400", async () => {
    server.on("POST", ORDERS, (_req, res) => sendJson(res, 400, exampleText("12c-error-400-with-data.response.json")));
    const { client } = makeClient(server);
    const err = await rejectionOf(client.createOrder(CUSTOMER, ORDER));
    expect(err).toBeInstanceOf(PartnerCenterError);
    expect(server.requests).toHaveLength(1);
    expect((err as PartnerCenterError).status).toBe(400);
    expect((err as PartnerCenterError).pcCode).toBe("2200");
  });

  it("retries a timed-out attempt", async () => {
    server.once("GET", CUSTOMERS, (_req, res) => answerAfter(1_500, () => sendJson(res, 200, exampleText("01-customers.response.json"))));
    server.once("GET", CUSTOMERS, (_req, res) => sendJson(res, 200, exampleText("01-customers.response.json")));
    const { client, events } = makeClient(server, { timeoutMs: 300 });
    const customers = await client.listCustomers();
    expect(customers).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
    const retry = events.find((e) => e.type === "retry");
    expect(retry && "reason" in retry && retry.reason).toMatch(/timed out|abort/i);
  });

  it("throws a NetworkError when the connection keeps dropping", async () => {
    server.on("GET", CUSTOMERS, (_req, res) => dropConnection(res));
    const { client } = makeClient(server, { maxRetries: 2 });
    const err = await rejectionOf(client.listCustomers());
    expect(err).toBeInstanceOf(NetworkError);
    expect(server.requests).toHaveLength(3);
    expect(err.message).toMatch(/^Partner Center GET \/v1\/customers failed: network error: /);
  });
});

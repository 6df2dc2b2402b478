import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import type { ClientEvent } from "../../src/partner-center/events.js";
import { redactSecrets, sanitizeError } from "../../src/partner-center/redact.js";
import { dropConnection, sendJson, useFakeServer } from "../helpers/fake-server.js";
import { CUSTOMER, TOKEN, makeClient, rejectionOf } from "./setup.js";

/** Everything an error could show: message, stack, own properties, the whole cause chain. */
function everythingIn(err: Error): string {
  const parts = [err.message, err.stack ?? "", inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err)];
  for (let c: unknown = err.cause, i = 0; c !== undefined && i < 10; i++) {
    parts.push(inspect(c, { depth: 10, showHidden: true }));
    c = c instanceof Error ? c.cause : undefined;
  }
  return parts.join("\n");
}

describe("credentials never leak", () => {
  const server = useFakeServer();

  it("keeps the bearer token out of errors (including echoed bodies and causes) and events", async () => {
    const echo = (req: { headers: Record<string, unknown> }) => `invalid header ${String(req.headers.authorization)} (token ${TOKEN})`;
    server.on("GET", "/v1/customers", (req, res) => sendJson(res, 401, { code: 401, description: echo(req) }));
    server.on("GET", `/v1/customers/${CUSTOMER}`, (req, res) => sendJson(res, 400, { code: 1000, description: echo(req) }));
    server.on("GET", `/v1/customers/${CUSTOMER}/subscriptions`, (req, res) => {
      res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(`Authorization: ${String(req.headers.authorization)}`);
    });
    server.on("GET", `/v1/customers/${CUSTOMER}/users`, (req, res) => sendJson(res, 429, { statusCode: 429, message: echo(req) }, { "Retry-After": "1" }));
    server.on("GET", `/v1/customers/${CUSTOMER}/subscribedskus`, (_req, res) => dropConnection(res));

    const events: ClientEvent[] = [];
    const { client } = makeClient(server, { maxRetries: 1, onEvent: (e) => events.push(e) });
    const errors = [
      await rejectionOf(client.listCustomers()),
      await rejectionOf(client.getCustomer(CUSTOMER)),
      await rejectionOf(client.listSubscriptions(CUSTOMER)),
      await rejectionOf(client.listUsers(CUSTOMER)),
      await rejectionOf(client.listSubscribedSkus(CUSTOMER)),
    ];

    // The server really saw (and echoed) the token: the test would catch a leak.
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(errors[1].message).toContain("[REDACTED]");
    expect(errors[4].cause).toBeDefined();
    for (const err of errors) {
      const text = everythingIn(err);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain("SECRET-1234567890");
    }
    expect(events.length).toBeGreaterThan(10);
    const dump = JSON.stringify(events);
    expect(dump).not.toContain(TOKEN);
    expect(dump).not.toMatch(/authorization|bearer/i);
  });

  it("redacts a token-echoing error thrown by the token provider", async () => {
    server.on("GET", "/v1/customers", (_req, res) => sendJson(res, 200, { totalCount: 0, items: [], attributes: { objectType: "Collection" } }));
    const { client } = makeClient(server, { token: () => Promise.reject(new Error(`refresh failed: Bearer abc.def-ghi-jkl-mno-pqr ${TOKEN}`)) });
    await client.listCustomers().catch(() => undefined); // registers nothing — the provider failed
    const err = await rejectionOf(client.listCustomers());
    expect(err.message).toMatch(/Could not obtain a Partner Center access token/);
    expect(everythingIn(err)).not.toContain("abc.def-ghi-jkl-mno-pqr");
  });
});

describe("redactSecrets / sanitizeError", () => {
  it("removes given secrets, bearer tokens and JWTs", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl";
    const out = redactSecrets(`secret=hunter2hunter2 auth=Bearer abc123def456ghi789 jwt=${jwt}`, ["hunter2hunter2"]);
    expect(out).toBe("secret=[REDACTED] auth=Bearer [REDACTED] jwt=[REDACTED]");
    // Ordinary prose about bearer tokens survives.
    expect(redactSecrets("Bearer token expired")).toBe("Bearer token expired");
  });

  it("copies an error without the secret, keeping the code and the cause chain", () => {
    const inner = Object.assign(new Error("socket closed for s3cr3t-value"), { code: "ECONNRESET" });
    const outer = new TypeError("fetch failed", { cause: inner });
    const copy = sanitizeError(outer, ["s3cr3t-value"]);
    expect(copy).not.toBe(outer);
    expect((copy.cause as Error & { code: string }).code).toBe("ECONNRESET");
    expect(inspect(copy, { depth: 5 })).not.toContain("s3cr3t-value");
  });
});

/**
 * Issue 22 §4: a server that sends its headers and then nothing. Each attempt gives up after the
 * idle time without data (it waited the whole 60 s attempt limit, 7 times: 430 s), the wait is
 * announced while it lasts (what it waits on), and the failure says why. Over real HTTP on
 * 127.0.0.1: a route that writes the headers and never a byte of the body.
 */
import { describe, expect, it } from "vitest";
import { useFakeServer } from "../helpers/fake-server.js";
import { CUSTOMER, makeClient, rejectionOf } from "../partner-center/setup.js";

describe("headers, then nothing", () => {
  const server = useFakeServer();

  it("gives up each attempt after the idle time, says what it waited on, and fails naming the stall", async () => {
    server.on("GET", `/v1/customers/${CUSTOMER}/subscriptions`, (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.flushHeaders();
    });
    const started = Date.now();
    const { client, events } = makeClient(server, { idleTimeoutMs: 300, timeoutMs: 60_000, maxRetries: 1 });
    const err = await rejectionOf(client.listSubscriptions(CUSTOMER));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(err.message).toMatch(/no data for 300 ms/);
    expect(events.filter((e) => e.type === "request")).toHaveLength(2);
    const waits = events.filter((e) => e.type === "waiting");
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toMatchObject({ reason: expect.stringMatching(/^no answer yet to GET \/v1\/customers\/\S+\/subscriptions/) });
  });

  it("the wait's announcement says how long a silence is given, in seconds", async () => {
    server.on("GET", `/v1/customers/${CUSTOMER}/subscriptions`, (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.flushHeaders();
    });
    const { client, events } = makeClient(server, { idleTimeoutMs: 500, timeoutMs: 60_000, maxRetries: 0 });
    await rejectionOf(client.listSubscriptions(CUSTOMER));
    const [wait] = events.filter((e) => e.type === "waiting");
    expect(wait).toMatchObject({
      method: "GET",
      attempt: 0,
      delayMs: expect.any(Number),
      reason: `no answer yet to GET /v1/customers/${CUSTOMER}/subscriptions (given up after 1 s without data)`,
    });
  });

  it("a slow answer that keeps sending is not given up, however long it takes in all", async () => {
    server.on("GET", `/v1/customers/${CUSTOMER}/subscriptions`, (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      const parts = ['{"totalCount":0,', '"items"', ":", "[", "]", "}"];
      const next = () => (parts.length === 1 ? res.end(parts.shift()) : (res.write(parts.shift()), setTimeout(next, 120)));
      next();
    });
    // Six chunks 120 ms apart: 600 ms in all, twice the idle time, never 300 ms silent.
    const { client, events } = makeClient(server, { idleTimeoutMs: 300, timeoutMs: 60_000, maxRetries: 0 });
    await expect(client.listSubscriptions(CUSTOMER)).resolves.toEqual([]);
    expect(events.filter((e) => e.type === "request")).toHaveLength(1);
  });
});

/**
 * Issue 22 §4, the run's time limit in the HTTP layer (src/http/deadline.ts): once it is up no
 * attempt starts (a write above all), a read in flight is abandoned, and a write in flight is let
 * finish (its outcome must be known: abandoning it would leave a change nobody recorded as done).
 * Over real HTTP on 127.0.0.1 against a wire-level fake.
 */
import { describe, expect, it } from "vitest";
import { runDeadline, RunTimeoutError } from "../../src/http/deadline.js";
import type { Subscription } from "../../src/partner-center/types.js";
import { example, sendJson, useFakeServer } from "../helpers/fake-server.js";
import { CUSTOMER, makeClient, rejectionOf } from "../partner-center/setup.js";

const SUB_ID = "a356ac8c-e310-44f4-bf85-c7f29044af99";
const path = `/v1/customers/${CUSTOMER}/subscriptions/${SUB_ID}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the run's time limit", () => {
  const server = useFakeServer();

  it("no attempt starts once it is up: a write is refused before it is sent", async () => {
    const deadline = runDeadline({ limitMs: 1 });
    await sleep(20);
    const { client } = makeClient(server, { deadline });
    const sub = example<Subscription>("03b-subscription-by-id.response.json");
    const err = await rejectionOf(client.updateSubscription(CUSTOMER, { ...sub, id: SUB_ID, status: "suspended" }));
    expect(err).toBeInstanceOf(RunTimeoutError);
    expect(err.message).toContain(`while waiting on Partner Center: PATCH ${path}`);
    expect(server.requests).toEqual([]);
  });

  it("a read in flight is abandoned, a write in flight finishes", async () => {
    const sub = example<Subscription>("03b-subscription-by-id.response.json");
    server.on("GET", path, (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.flushHeaders();
    });
    server.on("PATCH", path, (req, res) => void sleep(600).then(() => sendJson(res, 200, req.json)));
    const deadline = runDeadline({ limitMs: 200 });
    const { client } = makeClient(server, { deadline });
    const started = Date.now();
    const [read, write] = await Promise.allSettled([
      client.getSubscription(CUSTOMER, SUB_ID),
      client.updateSubscription(CUSTOMER, { ...sub, id: SUB_ID, status: "suspended" }, { requestId: "w-1" }),
    ]);
    expect(read.status).toBe("rejected");
    expect((read as PromiseRejectedResult).reason).toBeInstanceOf(RunTimeoutError);
    expect(write).toMatchObject({ status: "fulfilled", value: { status: "suspended" } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(server.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
    deadline.close();
  });

  it("every waiter hears of the end once, and a waiter that went before does not", async () => {
    const deadline = runDeadline({ limitMs: 50 });
    const work = Array.from({ length: 2_000 }, () => deadline.race(new Promise<never>(() => undefined), "the budget"));
    const settled = deadline.race(Promise.resolve("done"), "a read");
    let heard = 0;
    const off = deadline.onExpire(() => heard++);
    off();
    deadline.onExpire(() => heard++);
    const outcomes = await Promise.allSettled(work);
    expect(outcomes.every((o) => o.status === "rejected" && o.reason instanceof RunTimeoutError)).toBe(true);
    await expect(settled).resolves.toBe("done");
    expect(heard).toBe(1);
    // Once the time is up, a new waiter is not called (the caller checks `expired()` first).
    deadline.onExpire(() => heard++);
    expect(heard).toBe(1);
    deadline.close();
  });
});

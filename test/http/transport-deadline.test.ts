/**
 * The transport (src/http/transport.ts) under the run's time limit, and a throttled `$batch`
 * member: every wait the transport makes — its turn in the budget, an answer, a retry's backoff,
 * a member's Retry-After — ends when the run's time is up, with a `RunTimeoutError` naming what
 * it waited on; an attempt's own time limit still applies to a read the run's limit also watches.
 * A member's 429 pauses its scope in the budget and is waited out, unless the policy gives up.
 * Over real HTTP on 127.0.0.1.
 */
import { describe, expect, it } from "vitest";
import { runDeadline, RunTimeoutError } from "../../src/http/deadline.js";
import { createRequestBudget } from "../../src/http/options.js";
import { TransportError } from "../../src/http/transport.js";
import { answerAfter, dropConnection, sendJson, useFakeServer } from "../helpers/fake-server.js";
import { rejectionOf } from "../partner-center/setup.js";
import { makeTransport } from "./helpers/transport-setup.js";

const THINGS = "/v1/things";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the run's time limit in the transport", () => {
  const server = useFakeServer();

  it("a read without an answer is abandoned when the time is up, naming it", async () => {
    server.on("GET", THINGS, () => undefined);
    const deadline = runDeadline({ limitMs: 150 });
    const { transport, url } = makeTransport(server, { deadline });
    const err = await rejectionOf(transport.exchange({ method: "GET", url: url("/things") }));
    expect(err).toBeInstanceOf(RunTimeoutError);
    expect(err.message).toContain(`while waiting on Test Service: GET ${THINGS} (no answer after 0 s)`);
    expect(server.requests).toHaveLength(1);
    deadline.close();
  });

  it("a retry's wait ends when the time is up, naming the retry", async () => {
    server.on("POST", THINGS, (_req, res) => void answerAfter(150, () => sendJson(res, 503, {}, { "Retry-After": "2" })));
    const deadline = runDeadline({ limitMs: 100 });
    // The real clock: the wait of 2 s is what the time limit cuts short.
    const { transport, url } = makeTransport(server, { deadline, clock: realClock() });
    const started = Date.now();
    const err = await rejectionOf(transport.exchange({ method: "POST", url: url("/things") }));
    expect(err).toBeInstanceOf(RunTimeoutError);
    expect(err.message).toContain(`while waiting on Test Service: POST ${THINGS}, retry 1 in 2 s`);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(server.requests).toHaveLength(1);
    deadline.close();
  });

  it("a 429's wait ends too, and the time it waited is counted as a throttle wait", async () => {
    server.on("POST", THINGS, (_req, res) => void answerAfter(150, () => sendJson(res, 429, {}, { "Retry-After": "3" })));
    const deadline = runDeadline({ limitMs: 100 });
    const { transport, url } = makeTransport(server, { deadline, clock: realClock() });
    const err = await rejectionOf(transport.exchange({ method: "POST", url: url("/things") }));
    // What is left of the 3 s on the real clock when the wait starts: 3 s, or a millisecond less.
    expect(err.message).toMatch(new RegExp(`while waiting on Test Service: POST ${THINGS}, retry 1 in (3|3\\.0) s`));
    // The wait is over (stopped in `finally`): the figure no longer grows.
    const waited = transport.stats().throttleWaitMs;
    await sleep(30);
    expect(transport.stats().throttleWaitMs).toBe(waited);
    deadline.close();
  });

  it("a network retry's wait ends too, naming the retry and why", async () => {
    server.on("POST", THINGS, (_req, res) => dropConnection(res));
    const deadline = runDeadline({ limitMs: 150 });
    const { transport, url } = makeTransport(server, {
      deadline,
      clock: realClock(),
      random: () => 1,
      retry: { maxRetries: 2, baseDelayMs: 2_000, maxDelayMs: 2_000, maxWaitMs: 60_000 },
    });
    const err = await rejectionOf(transport.exchange({ method: "POST", url: url("/things") }));
    expect(err).toBeInstanceOf(RunTimeoutError);
    expect(err.message).toMatch(new RegExp(`while waiting on Test Service: POST ${THINGS}, retry 1 in 2 s \\(.+\\)`));
    deadline.close();
  });

  it("a throttle wait counts while it lasts, whatever other waits end meanwhile", async () => {
    // A 500's backoff of 150 ms ends while a 429 is waited out for half a second.
    server.once("GET", THINGS, (_req, res) => sendJson(res, 500, {}));
    server.once("GET", THINGS, (_req, res) => sendJson(res, 200, {}));
    server.once("GET", "/v1/tenants/T-1/x", (_req, res) => sendJson(res, 429, {}, { "Retry-After": "0.5" }));
    server.once("GET", "/v1/tenants/T-1/x", (_req, res) => sendJson(res, 200, {}));
    const { transport, url } = makeTransport(server, {
      clock: realClock(),
      random: () => 1,
      retry: { maxRetries: 2, baseDelayMs: 150, maxDelayMs: 150, maxWaitMs: 60_000 },
    });
    const both = Promise.all([transport.exchange({ method: "GET", url: url("/things") }), transport.exchange({ method: "GET", url: url("/tenants/T-1/x") })]);
    await sleep(250);
    const before = transport.stats().throttleWaitMs;
    await sleep(80);
    expect(transport.stats().throttleWaitMs).toBeGreaterThanOrEqual(before + 60);
    await both;
  });

  it("a request waiting for its turn in the budget is let go when the time is up", async () => {
    server.on("POST", THINGS, (_req, res) => void answerAfter(400, () => sendJson(res, 200, {})));
    const deadline = runDeadline({ limitMs: 150 });
    const clock = realClock();
    const { transport, url } = makeTransport(server, { deadline, clock, budget: createRequestBudget({ clock, maxInFlight: 1 }) });
    const [first, second] = await Promise.allSettled([
      transport.exchange({ method: "POST", url: url("/things") }),
      transport.exchange({ method: "POST", url: url("/things") }),
    ]);
    expect(first.status).toBe("fulfilled");
    expect(second.status).toBe("rejected");
    expect(String((second as PromiseRejectedResult).reason.message)).toContain(`Test Service: POST ${THINGS} (its turn in the request budget)`);
    expect(server.requests).toHaveLength(1);
    deadline.close();
  });

  it("a read the run's limit watches still gives up at its own attempt limit", async () => {
    server.on("GET", THINGS, () => undefined);
    const deadline = runDeadline({ limitMs: 60_000 });
    const { transport, url } = makeTransport(server, {
      deadline,
      timeoutMs: 100,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 1 },
    });
    const started = Date.now();
    const err = await rejectionOf(transport.exchange({ method: "GET", url: url("/things") }));
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ failure: "network", description: expect.stringContaining("timed out") });
    expect(Date.now() - started).toBeLessThan(5_000);
    deadline.close();
  });
});

describe("a throttled $batch member", () => {
  const server = useFakeServer();

  it("pauses its tenant in the budget, is waited out for its Retry-After and counted", async () => {
    const { transport, url, sleeps, now } = makeTransport(server);
    const ok = await transport.memberThrottled(url("/tenants/T-9/users"), undefined, now(), 4_000, 0);
    expect(ok).toBe(true);
    expect(sleeps).toEqual([4_000]);
    const stats = transport.stats();
    expect(stats.throttled).toBe(1);
    expect(stats.throttleWaitMs).toBe(4_000);
    expect(stats.budgets.map((b) => b.kind).sort()).toEqual(["partner", "tenant"]);
  });

  it("the request's tenant decides the scope when the path does not", async () => {
    server.on("GET", "/v1/users", (_req, res) => sendJson(res, 200, {}));
    const { transport, url, now, sleeps } = makeTransport(server);
    await transport.memberThrottled(url("/users"), "T-7", now(), 2_000, 0);
    // The tenant is held for 2 s; a request of another tenant is not.
    await transport.exchange({ method: "GET", url: url("/users"), tenant: "T-8" });
    expect(sleeps).toEqual([2_000]);
    await transport.exchange({ method: "GET", url: url("/users"), tenant: "T-7" });
    expect(sleeps).toEqual([2_000]);
  });

  it("without a Retry-After, waits the backoff of its attempt", async () => {
    const { transport, url, now, sleeps } = makeTransport(server, { random: () => 1 });
    expect(await transport.memberThrottled(url("/things"), undefined, now(), undefined, 1)).toBe(true);
    // backoff(1) = 400 ms; then the jitter after it: min(200, 400 / 10 + 1) = 41 ms.
    expect(sleeps).toEqual([441]);
  });

  it("out of retries, or asked to wait longer than maxWaitMs: given up, nothing waited or counted", async () => {
    const { transport, url, now, sleeps } = makeTransport(server);
    expect(await transport.memberThrottled(url("/things"), undefined, now(), 1_000, 2)).toBe(false);
    expect(await transport.memberThrottled(url("/things"), undefined, now(), 60_001, 0)).toBe(false);
    expect(sleeps).toEqual([]);
    expect(transport.stats().throttled).toBe(0);
    expect(await transport.memberThrottled(url("/things"), undefined, now(), 60_000, 1)).toBe(true);
    expect(sleeps).toEqual([60_000]);
  });

  it("its wait ends when the run's time is up, naming the member", async () => {
    const deadline = runDeadline({ limitMs: 1 });
    await sleep(20);
    const { transport, url, now } = makeTransport(server, { deadline });
    const err = await rejectionOf(transport.memberThrottled(url("/things"), undefined, now(), 1_000, 0));
    expect(err).toBeInstanceOf(RunTimeoutError);
    expect(err.message).toContain(`while waiting on Test Service: ${THINGS} (a throttled $batch member)`);
    deadline.close();
  });
});

/** The system's time, for the tests where the run's (real) time limit must cut a wait short. */
function realClock() {
  return {
    now: () => Date.now(),
    sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()),
    timeout: (ms: number) => AbortSignal.timeout(ms),
  };
}

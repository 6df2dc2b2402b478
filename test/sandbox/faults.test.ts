import { afterEach, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../../src/sandbox/index.js";
import { TokenBucket } from "../../src/sandbox/faults.js";
import { C, SKU, call, offerFor, startDemo } from "./helpers/sandbox.js";

let sb: SandboxHandle | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe("injected faults", () => {
  it("lost response: the order is committed, the client gets no answer, a retry with the same MS-RequestId replays it", async () => {
    sb = await startDemo({ lostResponseRate: 1 });
    const s = sb;
    const body = { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: offerFor(s, SKU.DESKLESSPACK), quantity: 12 }] };
    await expect(call(s, "POST", `/customers/${C.contoso}/orders`, { body, headers: { "MS-RequestId": "lost-1" } })).rejects.toThrow();
    const subs = () => s.world().customers.find((c) => c.id === C.contoso)!.subscriptions;
    expect(subs()).toHaveLength(2);
    expect(s.requestLog.at(-1)).toMatchObject({ write: true, status: 201, fault: "lost", requestId: "lost-1" });

    const retry = await call(s, "POST", `/customers/${C.contoso}/orders`, { body, headers: { "MS-RequestId": "lost-1" } });
    expect(retry.status).toBe(201);
    expect(retry.body.lineItems[0].subscriptionId).toBe(subs()[1].id);
    expect(subs()).toHaveLength(2);
    expect(s.requestLog.at(-1)).toMatchObject({ replayed: true });
  });

  it("lost responses never hit reads", async () => {
    sb = await startDemo({ lostResponseRate: 1 });
    expect((await call(sb, "GET", "/customers")).status).toBe(200);
  });

  it("rate limit: 429 with an integer Retry-After and the throttling body", async () => {
    sb = await startDemo({ rateLimit: 2 });
    const s = sb;
    // Sent together, so the burst of 2 is used up long before the bucket refills (even on a busy CI box).
    const replies = await Promise.all(Array.from({ length: 8 }, () => call(s, "GET", "/customers")));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((x) => x !== 200 && x !== 429)).toEqual([]);
    const throttled = replies.find((r) => r.status === 429);
    expect(throttled).toBeDefined();
    const retryAfter = Number(throttled!.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
    expect(throttled!.body).toEqual({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${retryAfter} seconds.` });
    expect(sb.requestLog.filter((r) => r.fault === "429").length).toBe(statuses.filter((x) => x === 429).length);
  });

  it("per-customer rate limit: each customer its own bucket below /customers/{id}/, the partner-wide one first", async () => {
    sb = await startDemo({ rateLimitCustomer: 2 });
    const s = sb;
    const subs = (c: string) => call(s, "GET", `/customers/${c}/subscriptions`);
    // Sent together: Contoso's bucket of 2 is used up long before it refills.
    const contoso = await Promise.all(Array.from({ length: 6 }, () => subs(C.contoso)));
    const throttled = contoso.find((r) => r.status === 429);
    expect(contoso.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(2);
    expect(throttled).toBeDefined();
    expect(Number(throttled!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(throttled!.body).toMatchObject({ statusCode: 429 });
    // Other customers, and partner-wide calls, are not held back by Contoso's limit.
    expect((await subs(C.fabrikam)).status).toBe(200);
    expect((await subs(C.northwind)).status).toBe(200);
    expect((await Promise.all(Array.from({ length: 6 }, () => call(s, "GET", "/customers")))).every((r) => r.status === 200)).toBe(true);
    expect(s.requestLog.filter((r) => r.fault === "429").every((r) => r.customerId === C.contoso)).toBe(true);
    // Switched off at run time.
    s.setFaults({ rateLimitCustomer: 0 });
    expect((await Promise.all(Array.from({ length: 6 }, () => subs(C.contoso)))).every((r) => r.status === 200)).toBe(true);
  });

  it("token bucket: burst = rate, refills in real time, Retry-After in whole seconds", () => {
    const b = new TokenBucket(2, 0);
    expect([b.take(0), b.take(0)]).toEqual([{ ok: true }, { ok: true }]);
    expect(b.take(0)).toEqual({ ok: false, retryAfterSec: 1 });
    expect(b.take(500)).toEqual({ ok: true });
    const slow = new TokenBucket(0.25, 0);
    expect(slow.take(0)).toEqual({ ok: true });
    expect(slow.take(0)).toEqual({ ok: false, retryAfterSec: 4 });
  });

  it("5xx faults come before auth and processing, are seeded, and can be switched off", async () => {
    const run = async () => {
      const s = await startDemo({ faultRate: 0.5, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await call(s, "GET", "/customers", { token: null })).status);
      await s.close();
      return out;
    };
    const a = await run();
    expect(a).toEqual(await run());
    expect(a.some((x) => x >= 500)).toBe(true);
    expect(a.some((x) => x === 401)).toBe(true);

    sb = await startDemo({ faultRate: 1 });
    const body = { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: offerFor(sb, SKU.DESKLESSPACK), quantity: 1 }] };
    const failed = await call(sb, "POST", `/customers/${C.contoso}/orders`, { body });
    expect([500, 503]).toContain(failed.status);
    expect(sb.changes).toEqual([]);
    sb.setFaults({ faultRate: 0 });
    expect((await call(sb, "POST", `/customers/${C.contoso}/orders`, { body })).status).toBe(201);
  });

  it("adds latency to every request", async () => {
    sb = await startDemo({ latencyMs: 150 });
    const t = Date.now();
    await call(sb, "GET", "/customers");
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
  });
});

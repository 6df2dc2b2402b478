/**
 * The client against the real sandbox (src/sandbox): same protocol, real HTTP on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createPartnerCenterClient, type ClientOptions } from "../../src/partner-center/client.js";
import { AuthenticationError, PermissionError } from "../../src/partner-center/errors.js";
import { sameId } from "../../src/partner-center/ids.js";
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox } from "../../src/sandbox/index.js";
import type { SandboxHandle, SandboxOptions } from "../../src/sandbox/index.js";

const CONTOSO = "6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a";
const MCOIMP = "b8b749f8-a4ef-4887-9539-c95b1eaa5db7";
const DESKLESSPACK = "4b585984-651b-448a-9e53-3b10f069cf7f";

let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(extra: Partial<SandboxOptions> = {}): Promise<SandboxHandle> {
  sandbox = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), port: 0, clock: "2026-11-24T00:00:00Z", ...extra });
  return sandbox;
}

function client(sb: SandboxHandle, extra: Partial<ClientOptions> = {}) {
  return createPartnerCenterClient({
    endpoint: sb.url,
    token: () => Promise.resolve(SANDBOX_TOKENS.admin),
    baseDelayMs: 5,
    maxDelayMs: 50,
    ...extra,
  });
}

describe("client ↔ sandbox", () => {
  it("reads the demo world through paging", async () => {
    const sb = await start();
    const api = client(sb, { pageSize: 4 });
    const customers = await api.listCustomers();
    expect(customers).toHaveLength(18); // docs/demo-world.md: 9 legacy, 8 new commerce, Lucerne (groups)
    expect(sb.requestLog.filter((e) => e.path === "/v1/customers").length).toBeGreaterThanOrEqual(3);

    const subs = await api.listSubscriptions(CONTOSO);
    expect(subs.some((s) => s.status === "active" && s.quantity === 12)).toBe(true);
    const users = await api.listUsers(CONTOSO);
    expect(users).toHaveLength(12);
    const licenses = await api.listUserLicenses(CONTOSO, users[0].id);
    expect(licenses.some((l) => sameId(l.productSku.id, MCOIMP))).toBe(true);
    const skus = await api.listSubscribedSkus(CONTOSO);
    expect(skus.some((s) => sameId(s.productSku.id, MCOIMP))).toBe(true);
    const offers = await api.listOffers("US");
    expect(offers.find((o) => sameId(o.product.id, MCOIMP))?.isAvailableForPurchase).toBe(false);
    // One correlation id for the whole run.
    expect(new Set(sb.requestLog.map((e) => e.correlationId))).toEqual(new Set([api.correlationId]));
  });

  it("migrates Contoso: purchase (response lost, retried safely), reassign, suspend", async () => {
    const sb = await start();
    const api = client(sb);
    const offers = await api.listOffers("US");
    const target = offers.find((o) => sameId(o.product.id, DESKLESSPACK))!;

    sb.setFaults({ lostResponseRate: 1 }); // the order commits, the response is dropped
    const pending = api.createOrder(CONTOSO, { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: target.id, quantity: 12 }] });
    // Let the first attempt through, then heal the network for the retry.
    while (!sb.requestLog.some((e) => e.fault === "lost")) await new Promise((r) => setTimeout(r, 5));
    sb.setFaults({ lostResponseRate: 0 });
    const order = await pending;
    expect(order.lineItems[0].subscriptionId).toBeTruthy();
    const orderWrites = sb.requestLog.filter((e) => e.method === "POST" && e.path.endsWith("/orders"));
    expect(orderWrites.length).toBeGreaterThanOrEqual(2);
    expect(new Set(orderWrites.map((e) => e.requestId)).size).toBe(1);
    expect(sb.changes.filter((c) => c.kind === "order")).toHaveLength(1); // bought exactly once

    for (const user of await api.listUsers(CONTOSO)) {
      await api.updateUserLicenses(CONTOSO, user.id, { assign: [DESKLESSPACK], remove: [MCOIMP] });
    }
    const source = (await api.listSubscriptions(CONTOSO)).find(
      (s) => s.quantity === 12 && s.status === "active" && !sameId(s.id, order.lineItems[0].subscriptionId),
    )!;
    const suspended = await api.updateSubscription(CONTOSO, { ...source, status: "suspended" });
    expect(suspended.status).toBe("suspended");
    const users = await api.listUsers(CONTOSO);
    const after = await api.listUserLicenses(CONTOSO, users[0].id);
    expect(after.map((l) => l.productSku.id.toLowerCase())).toContain(DESKLESSPACK);
  });

  it("maps the sandbox's 401 and 403 to typed errors", async () => {
    const sb = await start();
    const bad = client(sb, { token: () => Promise.resolve("not-a-valid-token-123") });
    await expect(bad.listCustomers()).rejects.toBeInstanceOf(AuthenticationError);
    const helpdesk = client(sb, { token: () => Promise.resolve(SANDBOX_TOKENS.helpdesk) });
    const err = await helpdesk
      .createOrder(CONTOSO, { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: "39527949-870E-4D02-B3B7-8491F762FA78", quantity: 1 }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionError);
    expect((err as Error).message).toMatch(/Sales agent or Admin agent/);
    expect(sb.changes).toHaveLength(0);
  });

  it("rides out the sandbox's rate limit (429 + Retry-After) and backs off", async () => {
    const sb = await start({ rateLimit: 20 });
    // Started above the limit, as a client that had found a higher one would be.
    const api = client(sb, { initialRps: 100 });
    const results = await Promise.all(Array.from({ length: 60 }, () => api.getCustomer(CONTOSO)));
    expect(results.every((c) => sameId(c.id, CONTOSO))).toBe(true);
    const stats = api.stats();
    expect(stats.throttled).toBeGreaterThan(0);
    expect(stats.effectiveRps).toBeLessThan(100);
    expect(stats.budgets.find((b) => b.kind === "partner")?.cuts).toBeGreaterThan(0);
  });

  it("a customer's limit throttles that customer only: every call ends well, and no other customer's call is refused", async () => {
    const sb = await start({ rateLimitCustomer: 5 });
    const api = client(sb);
    const others = sb
      .world()
      .customers.map((c) => c.id)
      .filter((id) => !sameId(id, CONTOSO));
    const busy = Promise.all(Array.from({ length: 15 }, () => api.listSubscriptions(CONTOSO)));
    const quiet = Promise.all(others.map((id) => api.listSubscriptions(id)));
    await Promise.all([busy, quiet]);
    const throttled = sb.requestLog.filter((e) => e.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((e) => e.customerId !== undefined && sameId(e.customerId, CONTOSO))).toBe(true);
    // Whose limit each 429 was judged to be depends on timing here (real time, a shared machine);
    // the judgement itself is tested on the simulated clock (test/http/budget.e2e.test.ts).
  });
});

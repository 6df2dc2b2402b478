/* eslint-disable @typescript-eslint/no-unsafe-return -- JSON answers from the wire are checked by assertions, not types */
/**
 * Orders as the reference reports them (issue 21, §3): a line still processing is
 * `prefulfillmentPending`, `unfulfilled` only for a cancelled order (order-resources); the
 * provisioning status answers App+User credentials with the Admin agent role only
 * (get-order-provisioning-status); carts expire 7 days after creation (create-a-cart).
 */
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, SANDBOX_APPS, SANDBOX_TOKENS, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { sandboxFetch } from "../graph/helpers/graph.js";
import { ITEM, N, NOW, buy, call, cartBody, later, startDemo, subscriptions } from "./helpers/sandbox.js";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const status = (orderId: string, token?: string) =>
  call(sb, "GET", `/customers/${N.alpine}/orders/${orderId}/provisioningstatus`, token === undefined ? {} : { token });

async function cancellingWorld(delayMs: number): Promise<SandboxHandle> {
  const fixture = await loadFixture(DEMO_FIXTURE_PATH);
  fixture.customers.find((c) => c.id === N.alpine)!.ordersCancelled = true;
  return startSandbox({ fixture, clock: NOW, provisioningDelayMs: delayMs });
}

/** A Partner Center token from the sandbox's token endpoint: app-only (client credentials) or the partner user's. */
async function partnerCenterToken(grant: "client_credentials" | "refresh_token"): Promise<string> {
  const res = await sandboxFetch(sb)(`${sb.graph.endpoint}/${sb.world().partner.id}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: grant,
      client_id: SANDBOX_APPS.admin.clientId,
      client_secret: SANDBOX_APPS.admin.clientSecret,
      scope: "https://api.partnercenter.microsoft.com/.default",
      ...(grant === "refresh_token" ? { refresh_token: SANDBOX_APPS.admin.refreshToken } : {}),
    }).toString(),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe("order provisioning as the reference reports it", () => {
  it("an order Microsoft cancels: status cancelled, its lines unfulfilled, no subscription", async () => {
    sb = await cancellingWorld(5 * MINUTE);
    const { checkout } = await buy(sb, N.alpine, ITEM.standardUS, 8);
    const order = checkout.body.orders[0];
    expect((await status(order.id)).body.items[0].status).toBe("prefulfillmentPending");
    later(sb, NOW, 5 * MINUTE + 1000);
    const cancelled = (await status(order.id)).body.items[0];
    expect(cancelled).toMatchObject({ status: "unfulfilled", quantityProvisioningInformation: [{ quantity: 8, status: "unfulfilled" }] });
    const read = await call(sb, "GET", `/customers/${N.alpine}/orders/${order.id}`);
    expect(read.body.status).toBe("cancelled");
    expect(read.body.lineItems[0].subscriptionId).toBeUndefined();
    expect((await subscriptions(sb, N.alpine)).some((s) => s.offerId === ITEM.standardUS)).toBe(false);
    expect(sb.changes.filter((c) => c.kind === "cancelled")).toEqual([expect.objectContaining({ customerId: N.alpine, orderId: order.id })]);
  });

  it("without a provisioning delay the cancellation is at once; a fixture order with cancelAt is cancelled on the clock", async () => {
    sb = await cancellingWorld(0);
    const { checkout } = await buy(sb, N.alpine, ITEM.standardUS, 8);
    expect(checkout.body.orders[0].status).toBe("cancelled");
    await sb.close();

    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    const tailwind = fixture.customers.find((c) => c.id === N.tailwind)!;
    tailwind.orders![0].cancelAt = "now+PT5M";
    sb = await startSandbox({ fixture, clock: NOW });
    const orderStatus = async () => (await call(sb, "GET", `/customers/${N.tailwind}/orders/7a1c0d2e3f40/provisioningstatus`)).body.items[0].status;
    expect(await orderStatus()).toBe("prefulfillmentPending");
    later(sb, NOW, 30 * MINUTE);
    expect(await orderStatus()).toBe("unfulfilled");
  });

  it("the provisioning status answers App+User credentials with the Admin agent role only", async () => {
    sb = await startDemo();
    const { checkout } = await buy(sb, N.alpine, ITEM.standardUS, 8);
    const id = checkout.body.orders[0].id as string;
    expect((await status(id, SANDBOX_TOKENS.admin)).status).toBe(200);
    expect((await status(id, await partnerCenterToken("refresh_token"))).status).toBe(200);
    const sales = await status(id, SANDBOX_TOKENS.sales);
    expect(sales.status).toBe(403);
    expect(sales.body).toMatchObject({ code: 2032, description: expect.stringContaining("App+User credentials with the Admin agent role") });
    const appOnly = await partnerCenterToken("client_credentials");
    const refused = await status(id, appOnly);
    expect(refused.status).toBe(403);
    expect(refused.body.description).toContain("the credential has an app-only token");
    // The same app-only token may read the order itself.
    expect((await call(sb, "GET", `/customers/${N.alpine}/orders/${id}`, { token: appOnly })).status).toBe(200);
  });

  it("a cart expires seven days after creation on the sandbox clock: neither read nor checked out", async () => {
    sb = await startDemo();
    const cart = await call(sb, "POST", `/customers/${N.alpine}/carts`, { body: cartBody(ITEM.standardUS, 8) });
    expect(Date.parse(cart.body.expirationTimestamp) - Date.parse(cart.body.creationTimestamp)).toBe(7 * DAY);
    later(sb, NOW, 7 * DAY + MINUTE);
    expect((await call(sb, "GET", `/customers/${N.alpine}/carts/${cart.body.id}`)).body.code).toBe(800008);
    const checkout = await call(sb, "POST", `/customers/${N.alpine}/carts/${cart.body.id}/checkout`);
    expect(checkout.status).toBe(404);
    expect(checkout.body.code).toBe(800008);
    expect(sb.changes.filter((c) => c.kind === "checkout" || c.kind === "order")).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { BusinessRuleError, PermissionError } from "../../src/partner-center/errors.js";
import { createPartnerCenterClient } from "../../src/partner-center/client.js";
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { C, ITEM, N, NOW, SKU, buy, call, cartBody, offerFor, startDemo } from "./helpers/sandbox.js";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

const firstUser = (customerId: string) => sb.world().customers.find((c) => c.id === customerId)!.users[0];
const holderOf = (customerId: string, skuId: string) =>
  sb
    .world()
    .customers.find((c) => c.id === customerId)!
    .users.find((u) => u.licenses.includes(skuId))!;
const reassign = (customerId: string, token: string, from: string, to: string) =>
  call(sb, "POST", `/customers/${customerId}/users/${holderOf(customerId, from).id}/licenseupdates`, {
    token,
    body: { licensesToAssign: [{ skuId: to, excludedPlans: null }], licensesToRemove: [from] },
  });

describe("GDAP roles per customer", () => {
  it("the buy-only credential may buy at Contoso but not assign licences there; elsewhere it may", async () => {
    sb = await startDemo();
    const token = SANDBOX_TOKENS.buyOnly;
    expect((await call(sb, "GET", `/customers/${C.contoso}/users`, { token })).status).toBe(200);
    const { checkout } = await buy(sb, C.contoso, ITEM.f3, 12, { token });
    expect(checkout.status).toBe(201);
    const refused = await reassign(C.contoso, token, SKU.MCOIMP, SKU.DESKLESSPACK);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      code: 2032,
      description: expect.stringContaining("requires the GDAP role License Administrator, User Administrator or Directory Writers"),
    });
    expect(refused.body.description).toContain(`for customer ${C.contoso}`);
    expect(refused.body.description).toContain("has only Directory Readers there");
    // Adventure Works has spare DESKLESSPACK seats; the same credential holds License Administrator there.
    expect((await reassign(C.adventure, token, SKU.MCOIMP, SKU.DESKLESSPACK)).status).toBe(201);
  });

  it("users and subscribed SKUs need a directory role on that customer; customers and subscriptions need an agent role only", async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    fixture.credentials.push({
      token: "test-no-gdap-at-fabrikam",
      role: "admin-agent",
      name: "No GDAP at Fabrikam",
      gdap: { "*": ["Global Reader"], [C.fabrikam]: [] },
    });
    sb = await startSandbox({ fixture, clock: NOW });
    const token = "test-no-gdap-at-fabrikam";
    for (const path of [
      `/customers/${C.fabrikam}/users`,
      `/customers/${C.fabrikam}/subscribedskus`,
      `/customers/${C.fabrikam}/users/${firstUser(C.fabrikam).id}/licenses`,
    ]) {
      const res = await call(sb, "GET", path, { token });
      expect(res.status, path).toBe(403);
      expect(res.body.description, path).toContain("has no GDAP role there");
    }
    expect((await call(sb, "GET", `/customers/${C.fabrikam}/subscriptions`, { token })).status).toBe(200);
    expect((await call(sb, "GET", `/customers/${C.contoso}/users`, { token })).status).toBe(200);
    // Global Reader reads but does not assign.
    expect((await reassign(C.contoso, token, SKU.MCOIMP, SKU.DESKLESSPACK)).status).toBe(403);
  });
});

describe("business-rule 403s", () => {
  const blocked = async (code: 13605 | 2006 | 2030) => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    fixture.customers.find((c) => c.id === N.alpine)!.commerceBlock = code;
    return startSandbox({ fixture, clock: NOW });
  };

  it("answer the published code and text, not 2032, on checkout and on legacy orders, and change nothing", async () => {
    sb = await blocked(13605);
    const cart = await call(sb, "POST", `/customers/${N.alpine}/carts`, { body: cartBody(ITEM.standardUS, 8) });
    const checkout = await call(sb, "POST", `/customers/${N.alpine}/carts/${cart.body.id}/checkout`);
    expect(checkout.status).toBe(403);
    expect(checkout.body).toEqual({
      code: 13605,
      description:
        "Either a partner confirmation of the customer acceptance of the Microsoft Customer Agreement must be provided or the customer must accept the Microsoft Customer Agreement in the Microsoft Admin Center before you can complete this purchase",
      data: [],
      source: "PartnerFD",
    });
    const order = await call(sb, "POST", `/customers/${N.alpine}/orders`, {
      body: { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: offerFor(sb, SKU.DESKLESSPACK), quantity: 1 }] },
    });
    expect(order.body.code).toBe(13605);
    expect(sb.changes.filter((c) => c.kind !== "cart")).toEqual([]);
    expect((await call(sb, "GET", `/customers/${N.alpine}/carts/${cart.body.id}`)).body.status).toBe("Active");
  });

  it("reach the client as BusinessRuleError, while a missing role is a PermissionError", async () => {
    for (const [code, text] of [
      [2006, "Partner is not valid for offer"],
      [2030, "Partner is not onboarded to sell in country"],
    ] as const) {
      sb = await blocked(code);
      const api = createPartnerCenterClient({ endpoint: sb.url, token: () => Promise.resolve(SANDBOX_TOKENS.admin), maxRetries: 0 });
      const cart = await api.createCart(N.alpine, cartBody(ITEM.standardUS, 8));
      const err = await api.checkoutCart(N.alpine, cart.id).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BusinessRuleError);
      expect((err as BusinessRuleError).pcCode).toBe(String(code));
      expect((err as Error).message).toContain(text);
      await sb.close();
    }
    sb = await startDemo();
    const helpdesk = createPartnerCenterClient({ endpoint: sb.url, token: () => Promise.resolve(SANDBOX_TOKENS.helpdesk), maxRetries: 0 });
    const err = await helpdesk.createCart(N.alpine, cartBody(ITEM.standardUS, 8)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionError);
    expect(err).not.toBeInstanceOf(BusinessRuleError);
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- JSON answers from the wire are checked by assertions, not types */
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { C, ITEM, N, NOW, SKU, buy, call, cartBody, startDemo, subscriptions } from "./helpers/sandbox.js";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

const carts = (customerId: string) => `/customers/${customerId}/carts`;

describe("carts", () => {
  it("creates an Active cart (201) with order groups, and lets a legacy Skype customer buy its target as a new-commerce product", async () => {
    sb = await startDemo();
    const res = await call(sb, "POST", carts(C.contoso), { body: cartBody(ITEM.f3, 12), headers: { "MS-RequestId": "cart-1" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: "Active",
      lineItems: [{ id: 0, catalogItemId: ITEM.f3, quantity: 12, billingCycle: "monthly", termDuration: "P1Y", orderGroup: "0", currencyCode: "USD" }],
      attributes: { objectType: "Cart" },
      expirationTimestamp: expect.stringMatching(/^2026-12-01T/),
    });
    expect(res.body.lineItems[0].error).toBeUndefined();
    expect((await call(sb, "GET", `${carts(C.contoso)}/${res.body.id}`)).body.status).toBe("Active");
    // A retry with the same MS-RequestId gets the same cart, not a second one.
    const again = await call(sb, "POST", carts(C.contoso), { body: cartBody(ITEM.f3, 12), headers: { "MS-RequestId": "cart-1" } });
    expect(again.body.id).toBe(res.body.id);
    expect(sb.changes.filter((c) => c.kind === "cart")).toHaveLength(1);

    const checkout = await call(sb, "POST", `${carts(C.contoso)}/${res.body.id}/checkout`);
    expect(checkout.status).toBe(201);
    const [order] = checkout.body.orders;
    expect(order).toMatchObject({ status: "completed", billingCycle: "monthly", lineItems: [{ offerId: ITEM.f3, quantity: 12, termDuration: "P1Y" }] });
    const sub = (await subscriptions(sb, C.contoso)).find((s) => s.id === order.lineItems[0].subscriptionId);
    expect(sub).toMatchObject({
      offerId: ITEM.f3,
      quantity: 12,
      status: "active",
      termDuration: "P1Y",
      cancellationAllowedUntilDate: expect.stringMatching(/^2026-12-01T00:00/),
    });
    const skus = await call(sb, "GET", `/customers/${C.contoso}/subscribedskus`);
    expect(skus.body.items.find((s: any) => s.productSku.id === SKU.DESKLESSPACK)).toMatchObject({ totalUnits: 12, availableUnits: 12 });
  });

  it("refuses lines with the published cart error codes, still creating the cart, and will not check such a cart out", async () => {
    sb = await startDemo();
    const lines = [
      { id: 0, catalogItemId: "CFQ7TTC0LDPB:0001:NOSUCHAVAIL", quantity: 1, billingCycle: "monthly", termDuration: "P1Y" },
      { id: 1, catalogItemId: ITEM.standardUS, quantity: 301, billingCycle: "monthly", termDuration: "P1Y" },
      { id: 2, catalogItemId: ITEM.standardUS, quantity: 3, billingCycle: "monthly", termDuration: "P3Y" },
      { id: 3, catalogItemId: "PCPLANDEMO01:0001:PCPLANDEMO02", quantity: 1, billingCycle: "annual", termDuration: "P1Y" },
      { id: 4, catalogItemId: ITEM.standardUS, quantity: 8, billingCycle: "Monthly", termDuration: "p1y" },
    ];
    const res = await call(sb, "POST", carts(N.alpine), { body: { PartnerOnRecordAttestationAccepted: true, lineItems: lines } });
    expect(res.status).toBe(201);
    expect(res.body.lineItems.map((l: any) => l.error?.errorCode)).toEqual([10001, 10002, 10010, 10001, undefined]);
    // Without the partner-of-record attestation every line is refused: 10012 AttestationNotAccepted (cart-resources).
    const unattested = await call(sb, "POST", carts(N.alpine), { body: { lineItems: [lines[4]] } });
    expect(unattested.body.lineItems.map((l: any) => l.error?.errorCode)).toEqual([10012]);
    expect(res.body.lineItems[1].error.errorDescription).toMatch(/^Not enough quota available/);
    expect(res.body.lineItems[2].error.errorDescription).toMatch(/^Generic input is not valid: term P3Y with monthly billing/);
    const checkout = await call(sb, "POST", `${carts(N.alpine)}/${res.body.id}/checkout`);
    expect(checkout.status).toBe(400);
    expect(checkout.body).toMatchObject({ code: 800009, description: expect.stringContaining("Error in Cart item(s)") });
    expect(sb.changes.filter((c) => c.kind === "order")).toEqual([]);
  });

  it("refuses a catalog item not sold in the customer's country: the UK customer needs the GB availability", async () => {
    sb = await startDemo();
    const wrong = await call(sb, "POST", carts(N.coho), { body: cartBody(ITEM.standardUS, 6) });
    expect(wrong.body.lineItems[0].error).toMatchObject({ errorCode: 10001, errorDescription: expect.stringContaining("not sold in GB") });
    const right = await call(sb, "POST", carts(N.coho), { body: cartBody(ITEM.standardGB, 6, "P1Y", "annual") });
    expect(right.body.lineItems[0].error).toBeUndefined();
  });

  it("counts held and ordered licences against the SKU's maximum (10002)", async () => {
    sb = await startDemo();
    // Tailwind holds none of Business Standard but has 7 on order.
    const res = await call(sb, "POST", carts(N.tailwind), { body: cartBody(ITEM.standardUS, 294) });
    expect(res.body.lineItems[0].error).toMatchObject({ errorCode: 10002 });
    expect((await call(sb, "POST", carts(N.tailwind), { body: cartBody(ITEM.standardUS, 293) })).body.lineItems[0].error).toBeUndefined();
  });

  it("answers 404 (800008) for an unknown cart and 400 for a cart without lines", async () => {
    sb = await startDemo();
    const missing = await call(sb, "POST", `${carts(N.alpine)}/00000000-0000-0000-0000-00000000c0de/checkout`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe(800008);
    expect((await call(sb, "POST", carts(N.alpine), { body: { lineItems: [] } })).status).toBe(400);
  });
});

describe("checkout", () => {
  it("is idempotent per cart: a second checkout (another request id) returns the first result and buys nothing", async () => {
    sb = await startDemo();
    const { cart, checkout } = await buy(sb, N.alpine, ITEM.standardUS, 8);
    expect(checkout.status).toBe(201);
    expect((await call(sb, "GET", `${carts(N.alpine)}/${cart.body.id}`)).body.status).toBe("Ordered");
    const again = await call(sb, "POST", `${carts(N.alpine)}/${cart.body.id}/checkout`, { headers: { "MS-RequestId": "another-id" } });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(checkout.body);
    expect(sb.changes.filter((c) => c.kind === "order")).toHaveLength(1);
    expect((await subscriptions(sb, N.alpine)).filter((s) => s.offerId === ITEM.standardUS)).toHaveLength(1);
    expect(checkout.body.orders[0].id).toMatch(/^[0-9a-f]{12}$/);
  });

  it("places one order per billing cycle", async () => {
    sb = await startDemo();
    const body = {
      PartnerOnRecordAttestationAccepted: true,
      lineItems: [
        { id: 0, catalogItemId: ITEM.standardUS, quantity: 2, billingCycle: "monthly", termDuration: "P1Y" },
        { id: 1, catalogItemId: ITEM.f3, quantity: 3, billingCycle: "annual", termDuration: "P1Y" },
      ],
    };
    const cart = await call(sb, "POST", carts(N.alpine), { body });
    expect(cart.body.lineItems.map((l: any) => l.orderGroup)).toEqual(["0", "1"]);
    const checkout = await call(sb, "POST", `${carts(N.alpine)}/${cart.body.id}/checkout`);
    expect(checkout.body.orders.map((o: any) => o.billingCycle)).toEqual(["monthly", "annual"]);
  });

  it("answers orderErrors (no order, no subscription) for a customer the fixture makes refuse orders", async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    fixture.customers.find((c) => c.id === N.alpine)!.checkoutOrderError = { code: 800069, description: "Order failed Risk Management check" };
    sb = await startSandbox({ fixture, clock: NOW });
    const { checkout } = await buy(sb, N.alpine, ITEM.standardUS, 8);
    expect(checkout.status).toBe(201);
    expect(checkout.body).toMatchObject({ orders: [], orderErrors: [{ orderGroupId: "0", code: 800069, description: "Order failed Risk Management check" }] });
    expect((await subscriptions(sb, N.alpine)).some((s) => s.offerId === ITEM.standardUS)).toBe(false);
    expect(sb.changes.at(-1)).toMatchObject({ kind: "checkout", orderIds: [], orderErrors: 1 });
  });
});

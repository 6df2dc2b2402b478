/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- JSON answers from the wire are checked by assertions, not types */
import { afterEach, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../../src/sandbox/index.js";
import { C, ITEM, N, NOW, SKU, buy, call, later, offerFor, startDemo, subscriptions } from "./helpers/sandbox.js";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

const MINUTE = 60_000;
const assign = (customerId: string, userId: string, skuId: string, remove: string[]) =>
  call(sb, "POST", `/customers/${customerId}/users/${userId}/licenseupdates`, {
    body: { licensesToAssign: [{ skuId, excludedPlans: null }], licensesToRemove: remove },
  });
const status = (customerId: string, orderId: string) => call(sb, "GET", `/customers/${customerId}/orders/${orderId}/provisioningstatus`);

describe("asynchronous provisioning", () => {
  it("keeps a checked-out order pending, without subscription or free licence, until the provisioning delay has passed", async () => {
    sb = await startDemo({ provisioningDelayMs: 5 * MINUTE });
    const { checkout } = await buy(sb, N.alpine, ITEM.standardUS, 8);
    const order = checkout.body.orders[0];
    expect(order.status).toBe("pending");
    expect(order.lineItems[0].subscriptionId).toBeUndefined();
    expect(order.links.provisioningStatus.uri).toBe(`/customers/${N.alpine}/orders/${order.id}/provisioningstatus`);

    const pending = await status(N.alpine, order.id);
    expect(pending.body.items).toEqual([
      {
        orderLineItemId: 0,
        lineItemNumber: 0,
        status: "prefulfillmentPending",
        quantityProvisioningInformation: [{ quantity: 8, status: "prefulfillmentPending" }],
      },
    ]);
    expect((await subscriptions(sb, N.alpine)).some((s) => s.offerId === ITEM.standardUS)).toBe(false);
    const users = sb.world().customers.find((c) => c.id === N.alpine)!.users;
    const early = await assign(N.alpine, users[0].id, SKU.STANDARD, [SKU.BASIC]);
    expect(early.status).toBe(400);
    expect(early.body.code).toBe(60012);
    expect(sb.changes.filter((c) => c.kind === "order")).toEqual([expect.objectContaining({ orderId: order.id, subscriptionIds: [] })]);

    later(sb, NOW, 5 * MINUTE + 1000);
    expect((await status(N.alpine, order.id)).body.items[0].status).toBe("fulfilled");
    const done = await call(sb, "GET", `/customers/${N.alpine}/orders/${order.id}`);
    expect(done.body.status).toBe("completed");
    const subId = done.body.lineItems[0].subscriptionId;
    expect((await subscriptions(sb, N.alpine)).find((s) => s.id === subId)).toMatchObject({ offerId: ITEM.standardUS, quantity: 8, status: "active" });
    expect((await assign(N.alpine, users[0].id, SKU.STANDARD, [SKU.BASIC])).status).toBe(201);
    // Alpine's (the demo's Tailwind order provisions on the same clock, a minute after its start).
    expect(sb.changes.filter((c) => c.kind === "provisioned" && c.customerId === N.alpine)).toEqual([
      expect.objectContaining({ orderId: order.id, subscriptionIds: [subId] }),
    ]);
  });

  it("lists a new order only after the appearance delay, while the order can be read by id at once", async () => {
    sb = await startDemo({ orderAppearanceDelayMs: 10 * MINUTE });
    const { checkout } = await buy(sb, N.alpine, ITEM.standardUS, 8);
    const id = checkout.body.orders[0].id;
    const listed = async () => (await call(sb, "GET", `/customers/${N.alpine}/orders`)).body.items.map((o: any) => o.id);
    expect(await listed()).toEqual([]);
    expect((await call(sb, "GET", `/customers/${N.alpine}/orders/${id}`)).status).toBe(200);
    later(sb, NOW, 9 * MINUTE);
    expect(await listed()).toEqual([]);
    later(sb, NOW, 11 * MINUTE);
    expect(await listed()).toEqual([id]);
    expect((await call(sb, "GET", `/customers/${N.alpine}/orders/nope`)).body.code).toBe(20000);
  });

  it("with a delay, a legacy POST /orders answers a pending order whose subscription appears later", async () => {
    sb = await startDemo();
    sb.setDelays({ provisioningMs: 2 * MINUTE });
    const res = await call(sb, "POST", `/customers/${C.contoso}/orders`, {
      body: { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: offerFor(sb, SKU.DESKLESSPACK), quantity: 12 }] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "pending", lineItems: [{ quantity: 12 }] });
    expect(res.body.lineItems[0].subscriptionId).toBeUndefined();
    expect((await subscriptions(sb, C.contoso)).map((s) => s.offerId)).toEqual([offerFor(sb, SKU.MCOIMP)]);
    later(sb, NOW, 3 * MINUTE);
    const subs = await subscriptions(sb, C.contoso);
    expect(subs.find((s) => s.offerId === offerFor(sb, SKU.DESKLESSPACK))).toMatchObject({
      quantity: 12,
      status: "active",
      attributes: { etag: expect.any(String) },
    });
    expect((await status(C.contoso, res.body.id)).body.items[0].status).toBe("fulfilled");
  });

  it("provisions the demo's pending order for Tailwind Traders when the clock passes its fulfilment time", async () => {
    sb = await startDemo();
    const orders = (await call(sb, "GET", `/customers/${N.tailwind}/orders`)).body.items;
    expect(orders).toEqual([
      expect.objectContaining({ id: "7a1c0d2e3f40", status: "pending", lineItems: [expect.objectContaining({ offerId: ITEM.standardUS, quantity: 7 })] }),
    ]);
    expect((await status(N.tailwind, "7a1c0d2e3f40")).body.items[0].status).toBe("prefulfillmentPending");
    sb.setClock("2026-11-24T00:20:01Z");
    expect((await status(N.tailwind, "7a1c0d2e3f40")).body.items[0].status).toBe("fulfilled");
    expect((await subscriptions(sb, N.tailwind)).filter((s) => s.offerId === ITEM.standardUS)).toEqual([
      expect.objectContaining({ quantity: 7, orderId: "7a1c0d2e3f40", creationDate: "2026-11-23T23:50:00Z" }),
    ]);
  });
});

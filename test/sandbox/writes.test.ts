/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- JSON answers from the wire are checked by assertions, not types */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../../src/sandbox/index.js";
import { C, SKU, call, getSubscription, offerFor, startDemo } from "./helpers/sandbox.js";

let sb: SandboxHandle;
beforeEach(async () => {
  sb = await startDemo();
});
afterEach(async () => {
  await sb.close();
});

const customer = (id: string) => sb.world().customers.find((c) => c.id === id)!;
const order = (customerId: string, offerId: string, quantity: number, requestId?: string) =>
  call(sb, "POST", `/customers/${customerId}/orders`, {
    body: { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId, quantity }] },
    ...(requestId ? { headers: { "MS-RequestId": requestId } } : {}),
  });
const licenseUpdate = (customerId: string, userId: string, assign: string[], remove: string[]) =>
  call(sb, "POST", `/customers/${customerId}/users/${userId}/licenseupdates`, {
    body: { licensesToAssign: assign.map((skuId) => ({ skuId, excludedPlans: null })), licensesToRemove: remove },
  });

describe("orders", () => {
  it("creates an active subscription per line and answers 201 with subscriptionIds", async () => {
    const res = await order(C.contoso, offerFor(sb, SKU.DESKLESSPACK), 12);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ referenceCustomerId: C.contoso, billingCycle: "monthly", attributes: { objectType: "Order" } });
    const subId = res.body.lineItems[0].subscriptionId;
    const sub = await call(sb, "GET", `/customers/${C.contoso}/subscriptions/${subId}`);
    expect(sub.body).toMatchObject({
      status: "active",
      quantity: 12,
      autoRenewEnabled: true,
      unitType: "Licenses",
      termDuration: "P1Y",
      billingCycle: "monthly",
      orderId: res.body.id,
      commitmentEndDate: expect.stringMatching(/^2027-11-24T/),
      attributes: { objectType: "Subscription", etag: expect.any(String) },
    });
    const skus = await call(sb, "GET", `/customers/${C.contoso}/subscribedskus`);
    const f3 = skus.body.items.find((s: any) => s.productSku.skuPartNumber === "DESKLESSPACK");
    expect(f3).toMatchObject({ totalUnits: 12, consumedUnits: 0, availableUnits: 12, activeUnits: 12 });
    expect(sb.changes).toEqual([expect.objectContaining({ kind: "order", customerId: C.contoso, subscriptionIds: [subId], quantity: 12 })]);
  });

  it("replays a repeated MS-RequestId: one subscription, the same answer", async () => {
    const offerId = offerFor(sb, SKU.DESKLESSPACK);
    const first = await order(C.contoso, offerId, 3, "req-order-1");
    const again = await order(C.contoso, offerId, 3, "req-order-1");
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(customer(C.contoso).subscriptions.filter((s) => s.offerId === offerId)).toHaveLength(1);
    expect(sb.changes.filter((c) => c.kind === "order")).toHaveLength(1);
    expect(sb.requestLog.filter((r) => r.write).map((r) => r.replayed ?? false)).toEqual([false, true]);
    // A new request id is a new purchase.
    expect((await order(C.contoso, offerId, 3, "req-order-2")).status).toBe(201);
    expect(customer(C.contoso).subscriptions.filter((s) => s.offerId === offerId)).toHaveLength(2);
  });

  it("refuses a retired offer, an unknown offer and a quantity out of range, changing nothing", async () => {
    const retired = await order(C.contoso, offerFor(sb, SKU.MCOIMP), 1);
    expect(retired.status).toBe(403);
    expect(retired.body).toMatchObject({ code: 2091, description: expect.stringContaining("no longer available for purchase") });
    expect((await order(C.contoso, "NOT-AN-OFFER", 1)).status).toBe(400);
    const tooMany = await order(C.contoso, offerFor(sb, SKU.DESKLESSPACK), 10_001);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.description).toMatch(/between 1 and 10000/);
    expect(customer(C.contoso).subscriptions).toHaveLength(1);
    expect(sb.changes).toEqual([]);
  });

  it("accepts the PascalCase request shape of the reference examples", async () => {
    const res = await call(sb, "POST", `/customers/${C.contoso}/orders`, {
      body: { BillingCycle: "monthly", LineItems: [{ LineItemNumber: 0, OfferId: offerFor(sb, SKU.M365_F1), Quantity: 2, FriendlyName: "F1" }] },
    });
    expect(res.status).toBe(201);
    expect(res.body.lineItems[0]).toMatchObject({ quantity: 2, friendlyName: "F1" });
  });
});

describe("subscription PATCH", () => {
  it("suspends with a fresh etag, records suspension and consumed units; a stale etag gets 400/2055, a missing one is fine", async () => {
    const sub = await getSubscription(sb, C.wideworld, SKU.MCOIMP);
    const res = await call(sb, "PATCH", `/customers/${C.wideworld}/subscriptions/${sub.id}`, {
      body: { ...sub, status: "suspended" },
      headers: { "If-Match": sub.attributes.etag },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "suspended", suspensionReasons: ["CustomerCancellation"] });
    expect(res.body.attributes.etag).not.toBe(sub.attributes.etag);
    expect(sb.changes).toEqual([expect.objectContaining({ kind: "subscription", status: "suspended", consumedUnitsOfSku: 0 })]);

    const stale = await call(sb, "PATCH", `/customers/${C.wideworld}/subscriptions/${sub.id}`, {
      body: { ...sub, status: "active" },
      headers: { "If-Match": sub.attributes.etag },
    });
    // The error-codes page lists 2055 "Etag is no longer valid" as 400, not 412.
    expect(stale.status).toBe(400);
    expect(stale.body).toMatchObject({ code: 2055, description: expect.stringContaining("Etag is no longer valid") });
    expect(customer(C.wideworld).subscriptions[0].status).toBe("suspended");
    // If-Match is optional: the reference's quantity example sends none.
    const missing = await call(sb, "PATCH", `/customers/${C.wideworld}/subscriptions/${sub.id}`, { body: { status: "active" } });
    expect(missing.status).toBe(200);
    expect(customer(C.wideworld).subscriptions[0].status).toBe("active");
  });

  it("reads the PascalCase suspend body of the reference", async () => {
    const sub = await getSubscription(sb, C.wideworld, SKU.MCOIMP);
    const res = await call(sb, "PATCH", `/customers/${C.wideworld}/subscriptions/${sub.id}`, {
      body: { Id: sub.id, Quantity: 3, Status: "suspended", Attributes: { Etag: sub.attributes.etag, ObjectType: "Subscription" } },
      headers: { "If-Match": sub.attributes.etag },
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("suspended");
  });

  it("refuses a quantity change on a suspended subscription with 2001", async () => {
    const sub = await getSubscription(sb, C.northwind, SKU.MCOIMP, "suspended");
    const res = await call(sb, "PATCH", `/customers/${C.northwind}/subscriptions/${sub.id}`, {
      body: { ...sub, quantity: sub.quantity + 1 },
      headers: { "If-Match": sub.attributes.etag },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(2001);
  });

  it("raises a quantity but refuses to drop below the assigned licenses", async () => {
    const sub = await getSubscription(sb, C.fabrikam, SKU.M365_F1);
    const up = await call(sb, "PATCH", `/customers/${C.fabrikam}/subscriptions/${sub.id}`, {
      body: { ...sub, quantity: 5 },
      headers: { "If-Match": sub.attributes.etag },
    });
    expect(up.status).toBe(200);
    expect(up.body.quantity).toBe(5);
    const down = await call(sb, "PATCH", `/customers/${C.fabrikam}/subscriptions/${sub.id}`, {
      body: { ...up.body, quantity: 1 },
      headers: { "If-Match": up.body.attributes.etag },
    });
    expect(down.status).toBe(400);
    expect(down.body).toMatchObject({ code: 800095, description: expect.stringContaining("2 licenses") });
    expect(customer(C.fabrikam).subscriptions.find((s) => s.id === sub.id)!.quantity).toBe(5);
  });

  it("answers the published codes: 2002 quantity outside min/max, 2011 a deleted subscription", async () => {
    const sub = await getSubscription(sb, C.fabrikam, SKU.M365_F1);
    const tooMany = await call(sb, "PATCH", `/customers/${C.fabrikam}/subscriptions/${sub.id}`, { body: { ...sub, quantity: 10_001 } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ code: 2002, description: expect.stringContaining("not within minimum and maximum allowed quantity") });
    // Northwind's suspended Skype subscription is deprovisioned (deleted) once 120 days have passed.
    const suspended = await getSubscription(sb, C.northwind, SKU.MCOIMP, "suspended");
    sb.setClock("2027-03-01T00:00:00Z");
    const deleted = await call(sb, "PATCH", `/customers/${C.northwind}/subscriptions/${suspended.id}`, { body: { status: "active" } });
    expect(deleted.status).toBe(400);
    expect(deleted.body).toMatchObject({ code: 2011, description: `Subscription with ID ${suspended.id} and deleted status cannot be updated.` });
    // A legacy subscription cannot be cancelled through status "deleted".
    const legacy = await call(sb, "PATCH", `/customers/${C.fabrikam}/subscriptions/${sub.id}`, { body: { status: "deleted" } });
    expect(legacy.status).toBe(400);
    expect(legacy.body.code).toBe(3000);
  });
});

describe("license updates", () => {
  it("assigns and removes in one call, leaving the user's other licenses alone", async () => {
    await order(C.litware, offerFor(sb, SKU.DESKLESSPACK), 5);
    const user = customer(C.litware).users[0];
    expect(user.licenses).toEqual([SKU.MCOIMP, SKU.POWER_BI_PRO]);
    const res = await licenseUpdate(C.litware, user.id, [SKU.DESKLESSPACK], [SKU.MCOIMP]);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ licenseWarnings: [], attributes: { objectType: "LicenseUpdate" } });
    const lic = await call(sb, "GET", `/customers/${C.litware}/users/${user.id}/licenses`);
    expect(lic.body.items.map((l: any) => l.productSku.skuPartNumber).sort()).toEqual(["DESKLESSPACK", "POWER_BI_PRO"]);
    expect(sb.changes.at(-1)).toMatchObject({ kind: "licenses", assigned: [SKU.DESKLESSPACK], removed: [SKU.MCOIMP] });
  });

  it("is atomic: a bad removal leaves the assignment undone too", async () => {
    await order(C.litware, offerFor(sb, SKU.DESKLESSPACK), 5);
    const user = customer(C.litware).users[0];
    const res = await licenseUpdate(C.litware, user.id, [SKU.DESKLESSPACK], [SKU.MCOIMP, SKU.EMS]);
    expect(res.status).toBe(400);
    expect(res.body.description).toContain("does not hold");
    expect(customer(C.litware).users[0].licenses).toEqual([SKU.MCOIMP, SKU.POWER_BI_PRO]);
    expect(sb.changes.filter((c) => c.kind === "licenses")).toEqual([]);
  });

  it("answers 60012 when no unit of the SKU is free, and assigns nothing", async () => {
    // Contoso holds no DESKLESSPACK at all; Adventure Works has 15 spare seats for its 6 Skype users.
    const users = customer(C.adventure).users.filter((u) => u.licenses.includes(SKU.MCOIMP));
    const res = await licenseUpdate(C.contoso, customer(C.contoso).users[0].id, [SKU.DESKLESSPACK], [SKU.MCOIMP]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 60012, source: "PartnerFD", data: [expect.stringContaining("LicenseQuotaExceededException")] });
    expect(customer(C.contoso).users[0].licenses).toEqual([SKU.MCOIMP]);
    for (const u of users) expect((await licenseUpdate(C.adventure, u.id, [SKU.DESKLESSPACK], [SKU.MCOIMP])).status).toBe(201);
    const skus = await call(sb, "GET", `/customers/${C.adventure}/subscribedskus`);
    expect(skus.body.items.find((s: any) => s.productSku.id === SKU.DESKLESSPACK)).toMatchObject({ consumedUnits: 11, availableUnits: 9 });
    expect(skus.body.items.find((s: any) => s.productSku.id === SKU.MCOIMP)).toMatchObject({ consumedUnits: 0, availableUnits: 6 });
  });

  it("answers 404 for an unknown user", async () => {
    const res = await licenseUpdate(C.contoso, "00000000-0000-0000-0000-000000000001", [SKU.DESKLESSPACK], []);
    expect(res.status).toBe(404);
  });
});

describe("offers", () => {
  it("serves the catalog with product.id = skuId and marks retired offers", async () => {
    const list = await call(sb, "GET", "/offers?country=US");
    expect(list.body.items).toHaveLength(8);
    const skype = list.body.items.find((o: any) => o.product.id === SKU.MCOIMP);
    expect(skype).toMatchObject({ isAvailableForPurchase: false, product: { unit: "Licenses" } });
    const one = await call(sb, "GET", `/offers/${offerFor(sb, SKU.DESKLESSPACK)}?country=US`);
    expect(one.body).toMatchObject({ isAvailableForPurchase: true, product: { id: SKU.DESKLESSPACK } });
    expect((await call(sb, "GET", `/offers/${offerFor(sb, SKU.DESKLESSPACK)}?country=DE`)).status).toBe(404);
    expect((await call(sb, "GET", "/offers")).status).toBe(400);
  });
});

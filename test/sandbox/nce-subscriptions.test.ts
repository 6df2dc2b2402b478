/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- JSON answers from the wire are checked by assertions, not types */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../../src/sandbox/index.js";
import { ITEM, N, SKU, call, startDemo, subscriptions } from "./helpers/sandbox.js";

let sb: SandboxHandle;
beforeEach(async () => {
  sb = await startDemo();
});
afterEach(async () => {
  await sb.close();
});

const patch = (customerId: string, sub: any, body: object, headers: Record<string, string> = {}) =>
  call(sb, "PATCH", `/customers/${customerId}/subscriptions/${sub.id}`, { body: { ...sub, ...body }, headers });
const source = async (customerId: string, index = 0) => (await subscriptions(sb, customerId)).filter((s) => s.offerId === ITEM.basic)[index];

describe("new-commerce subscriptions", () => {
  it("are listed as the reference shows them: three-part offerId, product/SKU/availability links, the window, no etag", async () => {
    const s = await source(N.alpine);
    expect(s).toMatchObject({
      offerId: ITEM.basic,
      offerName: "Microsoft 365 Business Basic",
      productType: { id: "OnlineServicesNCE" },
      termDuration: "P1Y",
      billingCycle: "monthly",
      creationDate: "2026-11-20T09:00:00Z",
      cancellationAllowedUntilDate: "2026-11-27T09:00:00.000Z",
      refundOptions: [{ type: "Full", expiresAt: "2026-11-27T09:00:00.000Z" }],
      autoRenewEnabled: true,
      links: {
        product: { uri: "/products/CFQ7TTC0LH18?country=US" },
        sku: { uri: "/products/CFQ7TTC0LH18/skus/0001?country=US" },
        availability: { uri: "/products/CFQ7TTC0LH18/skus/0001/availabilities/CFQ7TTC0K971?country=US" },
      },
      attributes: { objectType: "Subscription" },
    });
    expect(s.attributes.etag).toBeUndefined();
    const skus = await call(sb, "GET", `/customers/${N.alpine}/subscribedskus`);
    expect(skus.body.items.find((x: any) => x.productSku.id === SKU.BASIC)).toMatchObject({ totalUnits: 8, consumedUnits: 8 });
  });

  it("may be cancelled (status deleted) inside the window, then is listed as deleted with its units gone", async () => {
    const s = await source(N.alpine);
    const res = await patch(N.alpine, s, { status: "deleted" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "deleted", autoRenewEnabled: false });
    expect((await subscriptions(sb, N.alpine)).find((x) => x.id === s.id)).toMatchObject({ status: "deleted" });
    const skus = await call(sb, "GET", `/customers/${N.alpine}/subscribedskus`);
    expect(skus.body.items.find((x: any) => x.productSku.id === SKU.BASIC)).toMatchObject({ totalUnits: 0, consumedUnits: 8 });
    expect(sb.changes).toEqual([expect.objectContaining({ kind: "subscription", status: "deleted", consumedUnitsOfSku: 8 })]);
    const again = await patch(N.alpine, s, { status: "active" });
    expect(again.body).toMatchObject({ code: 2011, description: `Subscription with ID ${s.id} and deleted status cannot be updated.` });
  });

  it("may not be cancelled once the window has closed, but auto-renew can be turned off", async () => {
    const s = await source(N.coho);
    const cancel = await patch(N.coho, s, { status: "deleted" });
    expect(cancel.status).toBe(400);
    expect(cancel.body).toMatchObject({ code: 800096, description: expect.stringContaining("Cannot update the status for this subscription") });
    const noRenew = await patch(N.coho, s, { autoRenewEnabled: false });
    expect(noRenew.status).toBe(200);
    expect(noRenew.body).toMatchObject({ status: "active", autoRenewEnabled: false, commitmentEndDate: "2027-03-01T00:00:00Z" });
    expect(sb.changes).toEqual([expect.objectContaining({ kind: "subscription", status: "active", autoRenewEnabled: false })]);
    // Turning it back on is allowed; a product that no longer renews refuses it (800093).
    expect((await patch(N.coho, noRenew.body, { autoRenewEnabled: true })).status).toBe(200);
    const retired = (await subscriptions(sb, N.wingtip))[0];
    expect((await patch(N.wingtip, retired, { autoRenewEnabled: true })).body.code).toBe(800093);
  });

  it("lowers the quantity only inside the window (800090 after it); raises it any time", async () => {
    const inside = await source(N.relecloud, 0);
    expect(inside).toMatchObject({ termDuration: "P1M", quantity: 4 });
    const annual = await source(N.relecloud, 1);
    expect(annual).toMatchObject({ termDuration: "P1Y", billingCycle: "annual", quantity: 6 });
    // Ten users hold Business Basic on 4 + 6 seats: first make room with a raise.
    expect((await patch(N.relecloud, annual, { quantity: 9 })).status).toBe(200);
    expect((await patch(N.relecloud, inside, { quantity: 3 })).status).toBe(200);
    const down = await patch(N.relecloud, { ...annual, quantity: 9 }, { quantity: 7 });
    expect(down.status).toBe(400);
    expect(down.body).toEqual({ code: 800090, description: "Subscription quantity cannot be decreased.", data: [], source: "PartnerFD" });
    expect((await patch(N.relecloud, annual, { quantity: 301 })).body.code).toBe(2002);
  });

  it("ignores If-Match on a subscription that has no etag", async () => {
    const s = await source(N.alpine);
    expect((await patch(N.alpine, s, { autoRenewEnabled: false }, { "If-Match": 'W/"whatever"' })).status).toBe(200);
  });
});

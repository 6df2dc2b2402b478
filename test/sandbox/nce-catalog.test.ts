/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- JSON answers from the wire are checked by assertions, not types */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nceProductFor } from "../../src/catalog/index.js";
import { DEMO_FIXTURE_PATH, loadFixture, type SandboxHandle } from "../../src/sandbox/index.js";
import { ITEM, SKU, call, startDemo } from "./helpers/sandbox.js";

let sb: SandboxHandle;
beforeEach(async () => {
  sb = await startDemo();
});
afterEach(async () => {
  await sb.close();
});

describe("new-commerce catalog", () => {
  it("serves product → SKU (with provisioningId and min/max) → availabilities with terms, per country", async () => {
    const product = await call(sb, "GET", "/products/CFQ7TTC0LDPB?country=US");
    expect(product.body).toMatchObject({ id: "CFQ7TTC0LDPB", title: "Microsoft 365 Business Standard", attributes: { objectType: "Product" } });
    const sku = await call(sb, "GET", "/products/CFQ7TTC0LDPB/skus/0001?country=US");
    expect(sku.body).toMatchObject({
      productId: "CFQ7TTC0LDPB",
      minimumQuantity: 1,
      maximumQuantity: 300,
      dynamicAttributes: { provisioningId: SKU.STANDARD },
    });

    const us = await call(sb, "GET", "/products/CFQ7TTC0LDPB/skus/0001/availabilities?country=US");
    const gb = await call(sb, "GET", "/products/CFQ7TTC0LDPB/skus/0001/availabilities?country=gb&targetSegment=Commercial");
    expect(us.body.items.map((a: any) => a.catalogItemId)).toEqual([ITEM.standardUS]);
    expect(gb.body.items.map((a: any) => [a.catalogItemId, a.country])).toEqual([[ITEM.standardGB, "GB"]]);
    expect(us.body.items[0]).toMatchObject({ isPurchasable: true, segment: "commercial" });
    expect(us.body.items[0].terms.map((t: any) => `${t.duration}/${t.billingCycle}`)).toEqual(["P1M/monthly", "P1Y/monthly", "P1Y/annual", "P3Y/annual"]);
    expect(us.body.items[0].terms[0].cancellationPolicies).toEqual([{ refundOptions: [{ sequenceId: 0, type: "Partial", expiresAfter: "P7D" }] }]);
    const one = await call(sb, "GET", `/products/CFQ7TTC0LDPB/skus/0001/availabilities/CFQ7TTC0LGNU?country=GB`);
    expect(one.body.catalogItemId).toBe(ITEM.standardGB);
    expect((await call(sb, "GET", "/products/CFQ7TTC0LDPB/skus/0001/availabilities?country=US&targetSegment=education")).body.items).toEqual([]);
  });

  it("answers 404 where the catalog does not describe a product (unlisted, unknown, not sold in the country) and 400 without a country", async () => {
    expect((await call(sb, "GET", "/products/PCPLANDEMO01?country=US")).status).toBe(404);
    expect((await call(sb, "GET", "/products/PCPLANDEMO01/skus/0001?country=US")).status).toBe(404);
    expect((await call(sb, "GET", "/products/NOPE?country=US")).status).toBe(404);
    expect((await call(sb, "GET", "/products/CFQ7TTC0LDPB?country=FR")).status).toBe(404);
    expect((await call(sb, "GET", "/products/CFQ7TTC0LDPB/skus/0001/availabilities/CFQ7TTC0LGNU?country=US")).status).toBe(404);
    expect((await call(sb, "GET", "/products/CFQ7TTC0LDPB")).status).toBe(400);
  });

  it("answers the Offers API's 2100 for a new-commerce id, as the published table says", async () => {
    const res = await call(sb, "GET", `/offers/${ITEM.basic}?country=US`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 2100,
      description: `The Offers API does not support item with ID ${ITEM.basic}. Try using the Products and/or SKUs APIs`,
      data: [],
      source: "PartnerFD",
    });
  });

  it("serves every demo SKU that the shipped table maps as that product:sku, provisioning that SKU", async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    const mapped = fixture.skus.map((s) => [s.skuPartNumber, nceProductFor(s.id)] as const).filter(([, p]) => p !== undefined);
    expect(mapped.map(([part]) => part).sort()).toEqual([
      "DESKLESSPACK",
      "EMS",
      "M365_F1",
      "O365_BUSINESS_ESSENTIALS",
      "O365_BUSINESS_PREMIUM",
      "POWER_BI_PRO",
      "STANDARDPACK",
    ]);
    for (const [part, p] of mapped) {
      const sku = await call(sb, "GET", `/products/${p!.productId}/skus/${p!.productSkuId}?country=US`);
      expect(sku.status, part).toBe(200);
      expect(sku.body.dynamicAttributes.provisioningId, part).toBe(p!.skuId);
    }
    expect(nceProductFor(SKU.BASIC)).toMatchObject({ catalogItem: "CFQ7TTC0LH18:0001", verified: true });
    expect(nceProductFor(SKU.BASIC.toUpperCase())?.skuPartNumber).toBe("O365_BUSINESS_ESSENTIALS");
    expect(nceProductFor(SKU.MCOIMP)).toBeUndefined();
  });
});

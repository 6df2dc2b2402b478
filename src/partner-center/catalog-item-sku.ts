/**
 * Which licence SKU a new-commerce subscription provisions: its SKU's
 * `dynamicAttributes.provisioningId` (get-a-sku-by-id). One read per distinct `productId:skuId`
 * (the availability part is ignored: availability ids change over time), cached for the resolver's
 * life. The licence skuId (lowercase); `null` for a SKU that provisions no licence (no
 * provisioningId: an Azure plan, a service credit); `undefined` when the catalog does not describe
 * it (404) — "unmapped", never an error. Other failures are thrown.
 */
import type { PartnerCenterApi } from "./api.js";

/** True for a three-part new-commerce id `productId:skuId:availabilityId` (legacy offer ids are GUIDs). */
export function isCatalogItemId(id: string): boolean {
  return id.split(":").length === 3;
}

/** `run` bounds concurrency (e.g. a p-limit); default: call at once. */
export function provisioningIdResolver(
  api: Pick<PartnerCenterApi, "getSku">,
  country: string,
  run: <T>(f: () => Promise<T>) => Promise<T> = (f) => f(),
): (catalogItemId: string) => Promise<string | null | undefined> {
  const cache = new Map<string, Promise<string | null | undefined>>();
  return (catalogItemId) => {
    const [productId = "", skuId = ""] = catalogItemId.split(":");
    const key = `${productId}:${skuId}`.toLowerCase();
    let p = cache.get(key);
    if (!p) {
      p = run(() => api.getSku(productId, skuId, country)).then(
        (sku) => {
          const id = sku.dynamicAttributes?.provisioningId;
          return typeof id === "string" && id !== "" ? id.toLowerCase() : null;
        },
        (err: unknown) => {
          if (typeof err === "object" && err !== null && (err as { status?: unknown }).status === 404) return undefined;
          throw err;
        },
      );
      cache.set(key, p);
    }
    return p;
  };
}

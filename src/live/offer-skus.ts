import type { PartnerCenterApi } from "../partner-center/api.js";
import { isCatalogItemId, provisioningIdResolver } from "../partner-center/catalog-item-sku.js";
import type { Offer } from "../partner-center/types.js";
import type { Limit } from "../util/limit.js";

/**
 * What a subscription's offer provisions: a licence SKU; nothing licence-based (an Azure plan:
 * it can be neither source nor target); or unknown, with the reason — the catalog will not
 * describe it, so it could be anything, the source or the target included.
 */
export type SkuOf = { skuId: string } | { noLicence: true } | { unmapped: string };

/**
 * Which licence SKU a subscription's offer provisions, whichever way it was sold:
 * - legacy offer ids (GUIDs): the offer's `product.id`, from the country's offer listing; offers
 *   missing from it (retired ones often are) are fetched once each;
 * - new-commerce ids (`productId:skuId:availabilityId`): the catalog SKU's provisioningId, one
 *   read per product:sku (the Offers API refuses them with 2100).
 * An offer or SKU the service will not describe (404, 2100) is "unmapped": the diff leaves the
 * customer untouched with the reason, the run goes on.
 */
export function licenseSkuResolver(api: PartnerCenterApi, limit: Limit, country: string, listed: readonly Offer[]): (offerId: string) => Promise<SkuOf> {
  const known = new Map(listed.map((o) => [o.id.toLowerCase(), o.product.id.toLowerCase()]));
  const legacy = new Map<string, Promise<SkuOf>>();
  const nce = provisioningIdResolver(api, country, limit);
  return async (offerId) => {
    if (isCatalogItemId(offerId)) {
      const id = await nce(offerId);
      if (id === null) return { noLicence: true };
      return id === undefined ? { unmapped: `the ${country} catalog does not describe ${offerId.split(":").slice(0, 2).join(":")}` } : { skuId: id };
    }
    const id = offerId.toLowerCase();
    const listedSku = known.get(id);
    if (listedSku !== undefined) return { skuId: listedSku };
    let p = legacy.get(id);
    if (!p) {
      p = limit(() => api.getOffer(offerId, country)).then(
        (o): SkuOf => ({ skuId: o.product.id.toLowerCase() }),
        (err: unknown): SkuOf => {
          if (isUndescribed(err)) return { unmapped: `the ${country} offer catalog does not describe offer ${offerId}` };
          throw err;
        },
      );
      legacy.set(id, p);
    }
    return p;
  };
}

/** The licence skuId, or undefined (unknown or no licence). */
export function skuIdOf(s: SkuOf): string | undefined {
  return "skuId" in s ? s.skuId : undefined;
}

/** 404, or 400 with code 2100 ("try the Products and/or SKUs APIs"): the catalog will not say. */
function isUndescribed(err: unknown): boolean {
  const e = err as { status?: unknown; pcCode?: unknown };
  return e.status === 404 || (e.status === 400 && e.pcCode === "2100");
}

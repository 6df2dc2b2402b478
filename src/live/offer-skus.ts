import type pLimit from "p-limit";
import type { PartnerCenterApi } from "../partner-center/api.js";
import { isCatalogItemId, provisioningIdResolver } from "../partner-center/catalog-item-sku.js";
import type { Offer } from "../partner-center/types.js";

/**
 * Which licence SKU a subscription's offer provisions, whichever way it was sold:
 * - legacy offer ids (GUIDs): the offer's `product.id`, from the country's offer listing; offers
 *   missing from it (retired ones often are) are fetched once each;
 * - new-commerce ids (`productId:skuId:availabilityId`): the catalog SKU's provisioningId, one
 *   read per product:sku (the Offers API refuses them with 2100).
 * An offer or SKU the service will not describe (404, 2100, no provisioningId) is `undefined`
 * ("unmapped"): the diff leaves a customer untouched where that matters, the run goes on.
 */
export function licenseSkuResolver(
  api: PartnerCenterApi,
  limit: ReturnType<typeof pLimit>,
  country: string,
  listed: readonly Offer[],
): (offerId: string) => Promise<string | undefined> {
  const known = new Map(listed.map((o) => [o.id.toLowerCase(), o.product.id.toLowerCase()]));
  const legacy = new Map<string, Promise<string | undefined>>();
  const nce = provisioningIdResolver(api, country, limit);
  return (offerId) => {
    if (isCatalogItemId(offerId)) return nce(offerId);
    const id = offerId.toLowerCase();
    if (known.has(id)) return Promise.resolve(known.get(id));
    let p = legacy.get(id);
    if (!p) {
      p = limit(() => api.getOffer(offerId, country)).then(
        (o) => o.product.id.toLowerCase(),
        (err: unknown) => {
          if (isUndescribed(err)) return undefined;
          throw err;
        },
      );
      legacy.set(id, p);
    }
    return p;
  };
}

/** 404, or 400 with code 2100 ("try the Products and/or SKUs APIs"): the catalog will not say. */
function isUndescribed(err: unknown): boolean {
  const e = err as { status?: unknown; pcCode?: unknown };
  return e.status === 404 || (e.status === 400 && e.pcCode === "2100");
}

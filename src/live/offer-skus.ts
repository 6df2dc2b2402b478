import type pLimit from "p-limit";
import type { PartnerCenterApi } from "../partner-center/api.js";
import type { Offer } from "../partner-center/types.js";
import { isNotFound } from "./not-found.js";
import { isNceOfferId } from "./commerce.js";

/**
 * Maps offer ids to the license skuId they provision (offer.product.id), from the country's
 * offer listing; offers missing from it (retired ones often are) are fetched once each.
 */
export function offerSkuResolver(
  api: PartnerCenterApi,
  limit: ReturnType<typeof pLimit>,
  country: string,
  listed: readonly Offer[],
): (offerId: string) => Promise<string | undefined> {
  const known = new Map(listed.map((o) => [o.id.toLowerCase(), o.product.id.toLowerCase()]));
  const lookups = new Map<string, Promise<string | undefined>>();
  return (offerId) => {
    const id = offerId.toLowerCase();
    if (known.has(id)) return Promise.resolve(known.get(id));
    // New-commerce offers are not in the legacy offer catalog (it answers 400/2100 for them).
    if (isNceOfferId(id)) return Promise.resolve(undefined);
    let p = lookups.get(id);
    if (!p) {
      p = limit(() => api.getOffer(offerId, country)).then(
        (o) => o.product.id.toLowerCase(),
        (err: unknown) => {
          if (isNotFound(err)) return undefined;
          throw err;
        },
      );
      lookups.set(id, p);
    }
    return p;
  };
}

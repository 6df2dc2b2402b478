import type pLimit from "p-limit";
import type { PartnerCenterApi } from "../partner-center/api.js";
import type { SubscribedSku, Subscription } from "../partner-center/types.js";
import type { LiveSku, LiveSubscription } from "../reconcile/types.js";
import { inert } from "../util/inert-text.js";
import { isCatalogItemId } from "../partner-center/catalog-item-sku.js";

type Limit = ReturnType<typeof pLimit>;

export interface CommerceState {
  subscriptions: LiveSubscription[];
  skus: LiveSku[];
}

/**
 * A customer's subscriptions (each with the licence SKU its offer provisions) and subscribed-SKU
 * counts: two reads, in parallel, plus the catalog lookups `skuOfOffer` has not cached yet.
 * What `plan` and `discover` both start from. A 404 (no such customer) propagates.
 */
export async function readCommerceState(
  api: PartnerCenterApi,
  limit: Limit,
  customerId: string,
  skuOfOffer: (offerId: string) => Promise<string | undefined>,
): Promise<CommerceState> {
  const [subs, skus] = await Promise.all([limit(() => api.listSubscriptions(customerId)), limit(() => api.listSubscribedSkus(customerId))]);
  const subscriptions = await Promise.all(subs.map(async (s) => toLiveSubscription(s, await skuOfOffer(s.offerId))));
  return { subscriptions, skus: skus.map(toLiveSku) };
}

function toLiveSku(k: SubscribedSku): LiveSku {
  return { skuId: k.productSku.id.toLowerCase(), skuPartNumber: inert(k.productSku.skuPartNumber), consumedUnits: k.consumedUnits, totalUnits: k.totalUnits };
}

function toLiveSubscription(s: Subscription, skuId: string | undefined): LiveSubscription {
  return {
    id: s.id.toLowerCase(),
    offerId: s.offerId.toLowerCase(),
    skuId,
    commerce: isCatalogItemId(s.offerId) ? "nce" : "legacy",
    quantity: s.quantity,
    status: String(s.status).trim().toLowerCase(),
    autoRenewEnabled: s.autoRenewEnabled,
    commitmentEndDate: s.commitmentEndDate,
    creationDate: s.creationDate,
    cancellationAllowedUntil: undefined,
  };
}

import { PcplanError } from "../errors.js";
import type { PartnerCenterApi } from "../partner-center/api.js";
import type { SkuRef } from "../plan-file/types.js";

/**
 * The last check before a source subscription is retired: re-read the customer's subscribed SKUs
 * and refuse while any unit of the SKU is consumed. Fails closed: a SKU the answer does not list
 * (although one of its subscriptions is about to be retired) is a refusal, never "0 in use".
 */
export async function assertNotInUse(api: PartnerCenterApi, customerId: string, sku: SkuRef, subscriptionId: string, verb: string): Promise<void> {
  const skus = await api.listSubscribedSkus(customerId);
  const entry = skus.find((k) => k.productSku.id.toLowerCase() === sku.skuId);
  if (!entry) {
    throw new PcplanError(
      "IN_USE_UNKNOWN",
      `refusing to ${verb} ${sku.skuPartNumber} subscription ${subscriptionId}: Partner Center's subscribed SKUs do not list ${sku.skuPartNumber}, so whether users still hold it is unknown`,
    );
  }
  if (entry.consumedUnits > 0) {
    throw new PcplanError(
      "IN_USE",
      `refusing to ${verb} ${sku.skuPartNumber} subscription ${subscriptionId}: ${entry.consumedUnits} user(s) still hold ${sku.skuPartNumber}`,
    );
  }
}

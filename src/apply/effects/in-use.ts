import { PcplanError } from "../../errors.js";
import type { LicenseBackend } from "../../licenses/backend.js";
import type { SkuRef } from "../../plan-file/types.js";

/**
 * The last check before a source subscription is retired: re-read the customer's subscribed SKUs
 * and refuse while any unit of the SKU is consumed. Fails closed: a SKU the answer does not list
 * (although one of its subscriptions is about to be retired) is a refusal, never "0 in use".
 */
export async function assertNotInUse(licenses: LicenseBackend, customerId: string, sku: SkuRef, subscriptionId: string, verb: string): Promise<void> {
  const skus = await licenses.subscribedSkus(customerId);
  const entry = skus.find((k) => k.skuId === sku.skuId);
  if (!entry) {
    throw new PcplanError(
      "IN_USE_UNKNOWN",
      `refusing to ${verb} ${sku.skuPartNumber} subscription ${subscriptionId}: the subscribed SKUs do not list ${sku.skuPartNumber}, so whether users still hold it is unknown`,
    );
  }
  if (entry.consumedUnits > 0) {
    throw new PcplanError(
      "IN_USE",
      `refusing to ${verb} ${sku.skuPartNumber} subscription ${subscriptionId}: ${entry.consumedUnits} user(s) still hold ${sku.skuPartNumber}`,
    );
  }
}

import { nceProductFor } from "../catalog/nce-products.js";
import type { PartnerCenterApi } from "../partner-center/api.js";
import type { Availability } from "../partner-center/types.js";
import type { PlanCustomer } from "../plan-file/types.js";
import type { CatalogTarget } from "../model/live-state.js";
import { inert } from "../util/inert-text.js";
import type { Limit } from "../util/limit.js";

/**
 * How a target would be bought through new commerce, from the catalog (get-a-sku-by-id,
 * get-a-list-of-availabilities-by-sku): the product:sku (the plan's, or the table's for the
 * target SKU), its seat limits, a check that its provisioningId is the target, and that an
 * availability sells the plan's term and billing cycle in that country. Two reads.
 * Only a 404 (or no product known for the SKU) means "not offered here" — the one answer
 * `commerce: auto` turns into a legacy order; any other failure is a problem to show, never a
 * reason to buy some other way.
 */
export async function resolveCatalogTarget(
  api: PartnerCenterApi,
  limit: Limit,
  pc: Pick<PlanCustomer, "target" | "purchase">,
  country: string,
): Promise<CatalogTarget> {
  const item = pc.purchase.catalogItem ?? nceProductFor(pc.target.skuId)?.catalogItem;
  const none = (notOffered: boolean, message: string, catalogItem = item ?? ""): CatalogTarget => ({
    catalogItem: catalogItem.toUpperCase(),
    title: pc.target.displayName,
    minimumQuantity: 1,
    maximumQuantity: Number.MAX_SAFE_INTEGER,
    problem: { notOffered, message },
  });
  if (!item)
    return none(true, `no new-commerce product is known for ${pc.target.skuPartNumber} (catalog/nce-products.json); name one with purchase.catalogItem`);
  const [productId = "", skuId = ""] = item.split(":");
  let sku;
  let availabilities: Availability[];
  try {
    [sku, availabilities] = await Promise.all([
      limit(() => api.getSku(productId, skuId, country)),
      limit(() => api.listAvailabilities(productId, skuId, country)),
    ]);
  } catch (err) {
    if ((err as { status?: unknown }).status === 404) return none(true, `the ${country} catalog does not offer ${item}`);
    return none(false, `the catalog could not be read for ${item} in ${country}: ${inert(err instanceof Error ? err.message : String(err))}`);
  }
  const provisions = sku.dynamicAttributes?.provisioningId?.toLowerCase();
  if (provisions !== pc.target.skuId) {
    return none(
      false,
      `catalog item ${item} provisions ${provisions ?? "no licence SKU (no provisioningId)"}, not the target ${pc.target.skuPartNumber} (${pc.target.skuId}); nothing is bought`,
    );
  }
  const { term, billing } = pc.purchase;
  const sells = purchasableAvailability(availabilities, term, billing) !== undefined;
  const base = { catalogItem: item.toUpperCase(), title: inert(sku.title), minimumQuantity: sku.minimumQuantity, maximumQuantity: sku.maximumQuantity };
  if (!sells)
    return { ...base, problem: { notOffered: false, message: `no purchasable availability of ${item} in ${country} sells a ${term} term billed ${billing}` } };
  return { ...base, problem: undefined };
}

/** The availability to buy right now (ids change over time: resolved just before a cart, never stored). */
export function purchasableAvailability(availabilities: readonly Availability[], term: string, billing: string): Availability | undefined {
  return availabilities.find((a) => a.isPurchasable && a.terms.some((t) => t.duration === term && (t.billingCycle ?? "").toLowerCase() === billing));
}

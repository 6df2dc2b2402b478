/**
 * The table licence SKU → new-commerce product:sku shipped as catalog/nce-products.json. A plan's
 * target is bought through the catalog item whose SKU provisions the target's skuId; this table
 * is where that product:sku is looked up when the plan does not name one (docs/new-commerce.md). Which rows
 * are verified against a public Microsoft source is said per row and in catalog/README.md; the
 * engine still checks the live SKU's `provisioningId` before it buys.
 */
import { readFileSync } from "node:fs";

export const NCE_PRODUCTS_URL = new URL("../../catalog/nce-products.json", import.meta.url);

export interface NceProduct {
  skuPartNumber: string;
  /** Licence skuId (lowercase GUID): the SKU's `dynamicAttributes.provisioningId`. */
  skuId: string;
  productId: string;
  /** The SKU's id within its product, e.g. `0001`. */
  productSkuId: string;
  /** `productId:productSkuId`, the first two parts of a catalog item id. */
  catalogItem: string;
  title: string;
  /** True when a Microsoft page shows this product:sku provisioning this skuId. */
  verified: boolean;
  source: string;
}

interface NceProductsFile {
  products: Omit<NceProduct, "catalogItem">[];
}

let bySkuId: Map<string, NceProduct> | undefined;

function load(): Map<string, NceProduct> {
  if (!bySkuId) {
    const file = JSON.parse(readFileSync(NCE_PRODUCTS_URL, "utf8")) as NceProductsFile;
    bySkuId = new Map(
      file.products.map((p) => [p.skuId.toLowerCase(), { ...p, skuId: p.skuId.toLowerCase(), catalogItem: `${p.productId}:${p.productSkuId}` }]),
    );
  }
  return bySkuId;
}

/** The new-commerce product:sku that provisions a licence skuId (any case); undefined when the table has none. */
export function nceProductFor(skuId: string): NceProduct | undefined {
  return load().get(skuId.trim().toLowerCase());
}

/** Every row of the table. */
export function nceProducts(): NceProduct[] {
  return [...load().values()];
}

/** The row for a `productId:skuId` catalog item (any case); undefined when the table has none. */
export function nceCatalogItemOf(catalogItem: string): NceProduct | undefined {
  const key = catalogItem.trim().toLowerCase();
  return nceProducts().find((p) => p.catalogItem.toLowerCase() === key);
}

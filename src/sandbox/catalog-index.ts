/**
 * The new-commerce catalog of a world, indexed: product → SKU → availability, by id (ids are
 * matched case-insensitively, as the service does). A catalog item id is `product:sku:availability`.
 */
import type { FixtureAvailability, FixtureProduct, FixtureProductSku } from "./types.js";
import { isCatalogItemId } from "../partner-center/catalog-item-sku.js";

export { isCatalogItemId };

export interface CatalogItem {
  product: FixtureProduct;
  sku: FixtureProductSku;
  availability: FixtureAvailability;
}

const key = (s: string): string => s.trim().toLowerCase();

export function catalogItemIdOf(product: FixtureProduct, sku: FixtureProductSku, availability: FixtureAvailability): string {
  return `${product.id}:${sku.id}:${availability.id}`;
}

export class CatalogIndex {
  private readonly products = new Map<string, FixtureProduct>();

  constructor(products: readonly FixtureProduct[]) {
    for (const p of products) this.products.set(key(p.id), p);
  }

  product(id: string): FixtureProduct | undefined {
    return this.products.get(key(id));
  }

  sku(productId: string, skuId: string): { product: FixtureProduct; sku: FixtureProductSku } | undefined {
    const product = this.product(productId);
    const sku = product?.skus.find((s) => key(s.id) === key(skuId));
    return product && sku ? { product, sku } : undefined;
  }

  availability(productId: string, skuId: string, availabilityId: string): CatalogItem | undefined {
    const found = this.sku(productId, skuId);
    const availability = found?.sku.availabilities.find((a) => key(a.id) === key(availabilityId));
    return found && availability ? { ...found, availability } : undefined;
  }

  /** The product, SKU and availability a catalog item id names; undefined when any part is unknown. */
  item(catalogItemId: string): CatalogItem | undefined {
    const [p, s, a, ...rest] = catalogItemId.split(":");
    if (p === undefined || s === undefined || a === undefined || rest.length > 0) return undefined;
    return this.availability(p, s, a);
  }

  /** The SKU by the first two parts only: availability ids change over time, a subscription's may be stale. */
  skuOfItem(catalogItemId: string): { product: FixtureProduct; sku: FixtureProductSku } | undefined {
    const [p, s] = catalogItemId.split(":");
    return p !== undefined && s !== undefined ? this.sku(p, s) : undefined;
  }

  /** Listed products only: an unlisted one answers 404 in the catalog routes. */
  isListed(product: FixtureProduct): boolean {
    return product.listed !== false;
  }
}

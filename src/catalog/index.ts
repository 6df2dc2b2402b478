export type { CatalogSku, ServicePlan, SkuCatalog } from "./types.js";
export { loadCatalog, CATALOG_DATA_URL } from "./load-catalog.js";
export { createCatalog, type CatalogData } from "./sku-catalog.js";
export { SUPPLEMENT_SKUS, type SupplementSku } from "./supplement.js";
export { SUPERSESSIONS, type Supersession } from "./supersession.js";
export { nceProductFor, nceProducts, NCE_PRODUCTS_URL, type NceProduct } from "./nce-products.js";

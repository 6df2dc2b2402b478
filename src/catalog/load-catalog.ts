import { readFileSync } from "node:fs";
import { createCatalog, type CatalogData } from "./sku-catalog.js";
import { SUPPLEMENT_SKUS } from "./supplement.js";
import { SUPERSESSIONS } from "./supersession.js";
import type { SkuCatalog } from "./types.js";

/**
 * The data lives in the top-level catalog/ folder (shipped with the package), two levels above
 * this module both as src/catalog/*.ts (tsx, vitest) and as dist/catalog/*.js (the built CLI).
 */
export const CATALOG_DATA_URL = new URL("../../catalog/skus.json", import.meta.url);

let cached: SkuCatalog | undefined;

/** Microsoft's table plus pcplan's supplement and supersession list; read and indexed once per process. */
export function loadCatalog(): SkuCatalog {
  cached ??= createCatalog(JSON.parse(readFileSync(CATALOG_DATA_URL, "utf8")) as CatalogData, SUPPLEMENT_SKUS, SUPERSESSIONS);
  return cached;
}

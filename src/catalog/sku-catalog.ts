import { closestMatch } from "../util/closest-match.js";
import { isGuid } from "../util/guid.js";
import type { SupplementSku } from "./supplement.js";
import type { Supersession } from "./supersession.js";
import type { CatalogSku, ServicePlan, SkuCatalog } from "./types.js";

/** The generated catalog/skus.json (see scripts/generate-catalog.ts). */
export interface CatalogData {
  servicePlans: [id: string, name: string, displayName: string][];
  skus: [skuId: string, skuPartNumber: string, displayName: string, planIndexes: number[]][];
}

const GOVERNMENT = /(?:_GOV|GCC|_DOD|USGOV)/i;
const GOVERNMENT_NAME = /\b(?:GCC|Government|DoD)\b/;

/** Builds the lookup structures once; every query afterwards is a map lookup. */
export function createCatalog(data: CatalogData, supplement: readonly SupplementSku[], supersessions: readonly Supersession[]): SkuCatalog {
  const { skus, plans } = skusOf(data, supplement);
  const byId = new Map<string, CatalogSku>();
  const byPartNumber = new Map<string, CatalogSku[]>();
  for (const sku of skus) {
    byId.set(sku.skuId, sku);
    byPartNumber.set(sku.skuPartNumber, [...(byPartNumber.get(sku.skuPartNumber) ?? []), sku]);
  }
  const coveredBy = coverage(supersessions);
  const candidates = (ref: string): CatalogSku[] => {
    const trimmed = ref.trim();
    if (isGuid(trimmed)) {
      const sku = byId.get(trimmed.toLowerCase());
      return sku ? [sku] : [];
    }
    return [...(byPartNumber.get(trimmed) ?? [])];
  };
  const planOf = (id: string): ServicePlan => plans.get(id) ?? { id, name: id, displayName: id };

  return {
    skus,
    candidates,
    resolve(ref) {
      const found = candidates(ref);
      return found.length === 1 ? found[0] : undefined;
    },
    suggest(name) {
      return closestMatch(name.trim(), byPartNumber.keys());
    },
    servicePlans(skuId) {
      return (byId.get(skuId.toLowerCase())?.servicePlanIds ?? []).map(planOf);
    },
    missingFeatures(sourceSkuId, targetSkuId) {
      const source = byId.get(sourceSkuId.toLowerCase());
      const target = new Set(byId.get(targetSkuId.toLowerCase())?.servicePlanIds ?? []);
      if (!source) return [];
      return source.servicePlanIds.filter((p) => !target.has(p) && ![...(coveredBy.get(p) ?? [])].some((q) => target.has(q))).map(planOf);
    },
  };
}

/** Microsoft's SKUs, then the supplement's, with every service plan either names. */
function skusOf(data: CatalogData, supplement: readonly SupplementSku[]): { skus: CatalogSku[]; plans: Map<string, ServicePlan> } {
  const plans = new Map<string, ServicePlan>();
  for (const [id, name, displayName] of data.servicePlans) plans.set(id, { id, name, displayName });
  const government = (partNumber: string, displayName: string) => GOVERNMENT.test(partNumber) || GOVERNMENT_NAME.test(displayName);
  const skus: CatalogSku[] = data.skus.map(([skuId, skuPartNumber, displayName, indexes]) => ({
    skuId,
    skuPartNumber,
    displayName,
    servicePlanIds: indexes.map((i) => data.servicePlans[i][0]),
    government: government(skuPartNumber, displayName),
    origin: "microsoft",
  }));
  for (const s of supplement) {
    for (const p of s.servicePlans) if (!plans.has(p.id)) plans.set(p.id, { ...p });
    skus.push({
      skuId: s.skuId,
      skuPartNumber: s.skuPartNumber,
      displayName: s.displayName,
      servicePlanIds: s.servicePlans.map((p) => p.id),
      government: government(s.skuPartNumber, s.displayName),
      origin: "supplement",
    });
  }
  return { skus, plans };
}

/** Superseded service plan id → the plan ids that cover it, transitively. */
function coverage(supersessions: readonly Supersession[]): Map<string, Set<string>> {
  const coveredBy = new Map<string, Set<string>>();
  const direct = new Map<string, string[]>();
  for (const s of supersessions) direct.set(s.covers.id, [...(direct.get(s.covers.id) ?? []), s.plan.id]);
  for (const [planId, covering] of direct) {
    const seen = new Set<string>();
    const stack = [...covering];
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      stack.push(...(direct.get(p) ?? []));
    }
    coveredBy.set(planId, seen);
  }
  return coveredBy;
}

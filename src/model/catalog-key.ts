import type { PlanCustomer } from "../plan-file/types.js";

/**
 * The key a new-commerce target is resolved under: what decides the catalog answer (the target
 * SKU or named catalog item, the country, the term and the billing cycle).
 */
export function catalogKey(pc: Pick<PlanCustomer, "target" | "purchase">, defaultCountry: string): string {
  const p = pc.purchase;
  return [pc.target.skuId, p.catalogItem?.toUpperCase() ?? "", (p.country ?? defaultCountry).toUpperCase(), p.term, p.billing].join("|");
}

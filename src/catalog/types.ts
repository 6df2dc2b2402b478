export interface ServicePlan {
  /** Service plan id, lowercase GUID. */
  id: string;
  /** Service plan name, e.g. MCOIMP. */
  name: string;
  /** Friendly name, e.g. "Skype for Business Online (Plan 1)". */
  displayName: string;
}

export interface CatalogSku {
  /** Lowercase GUID. */
  skuId: string;
  skuPartNumber: string;
  displayName: string;
  /** Service plan ids (lowercase GUIDs) the SKU includes. */
  servicePlanIds: readonly string[];
  /** A US government cloud (GCC, GCC High, DoD) SKU, told by its part number or name. */
  government: boolean;
  /** "microsoft": Microsoft's table; "supplement": pcplan's list of retired SKUs the table dropped. */
  origin: "microsoft" | "supplement";
}

export interface SkuCatalog {
  /** All SKUs, Microsoft's table then the supplement. */
  readonly skus: readonly CatalogSku[];
  /**
   * The SKU named by a skuId GUID (any case) or an exact skuPartNumber; undefined when unknown
   * or when the part number is ambiguous (see `candidates`).
   */
  resolve(skuPartNumberOrId: string): CatalogSku | undefined;
  /** Every SKU a name could mean: one for a good name, several for an ambiguous part number (MCOPSTN5), none if unknown. */
  candidates(skuPartNumberOrId: string): CatalogSku[];
  /** The closest known skuPartNumber to a misspelt one, for "did you mean". */
  suggest(name: string): string | undefined;
  /** The SKU's service plans; empty for an unknown skuId. */
  servicePlans(skuId: string): ServicePlan[];
  /** The source SKU's service plans that the target neither includes nor supersedes (see supersession.ts). */
  missingFeatures(sourceSkuId: string, targetSkuId: string): ServicePlan[];
}

/** Every diagnostic code pcplan validate emits, with a one-line meaning (docs/plan-files.md has the long form). */
export const DIAGNOSTIC_CODES = {
  "file-not-found": "A path given on the command line does not exist.",
  "file-unreadable": "The file exists but cannot be read.",
  "file-too-large": "The file is over the size limit (1 MiB) and was not parsed.",
  "file-encoding": "The file is not valid UTF-8.",
  "no-plan-files": "A directory holds no .yaml/.yml files (warning).",
  "yaml-syntax": "The YAML does not parse.",
  "yaml-duplicate-key": "A mapping repeats a key.",
  "yaml-unknown-tag": "A tag other than the plain-data core tags (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq).",
  "yaml-alias": "An alias that does not resolve, or so many aliases that the file looks like an alias bomb.",
  "empty-document": "A file or a document (between --- markers) holds no plan.",
  "not-a-plan": "A document that is not a pcplan plan (no apiVersion: pcplan/v1 / kind: MigrationPlan).",
  schema: "The plan breaks the schema: a missing or unknown field, a wrong type or format.",
  "unknown-sku": "A SKU that is in neither Microsoft's table nor pcplan's supplement.",
  "ambiguous-sku": "A skuPartNumber that names several SKUs; use the skuId.",
  "same-sku": "A target equal to the source SKU.",
  "feature-loss": "The target lacks service plans of the source (error; a warning with allowFeatureLoss: true).",
  "duplicate-customer": "A customer listed twice, in one plan or across plans.",
  "duplicate-plan-name": "Two plans with the same metadata.name.",
  "invalid-upn": "An excluded user that is not a user principal name (user@domain).",
  "duplicate-exclude": "A user excluded twice for one customer (warning).",
  "conflicting-fields": "Two fields that say the same thing in different words (suspendSource and decommission).",
  "billing-for-term": "A billing cycle the purchase's term does not offer (P1M bills monthly; P1Y monthly or annual).",
  "catalog-item-mismatch": "A purchase.catalogItem known to provision another SKU than the target.",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

import type { SkuCatalog } from "../catalog/types.js";

export type { SkuCatalog };

export interface SkuRef {
  /** Lowercase GUID. */
  skuId: string;
  skuPartNumber: string;
  displayName: string;
}

/** 1-based line and column (columns count UTF-16 code units, as editors and GitHub do for BMP text). */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

/**
 * How a source subscription no user holds any more is retired (docs/new-commerce.md): `auto` suspends a legacy
 * subscription and, for new commerce, cancels inside the cancellation window or else turns
 * auto-renew off; the others force one method; `keep` leaves it as it is.
 */
export type DecommissionMethod = "auto" | "suspend" | "cancel" | "no-renew" | "keep";

export type Term = "P1M" | "P1Y" | "P3Y";
export type BillingCycle = "monthly" | "annual" | "triennial";

/** How a missing target is bought; resolved per customer (its overrides over the plan's). */
export interface PurchaseSettings {
  term: Term;
  billing: BillingCycle;
  /** ISO 3166 alpha-2; undefined: the run's --country. */
  country: string | undefined;
  /** `productId:skuId`; undefined: looked up from the target SKU (catalog/nce-products.json). */
  catalogItem: string | undefined;
  commerce: "auto" | "new" | "legacy";
  /**
   * Where a new-commerce purchase's first term ends (docs/new-commerce.md, "Co-terming"): absent
   * (the plan's `none`) the full term; `source` the source subscription's term end; `calendar-month`
   * a month's last day. Only a date Partner Center offers for the customer (custom term end dates).
   */
  termEnd?: Exclude<TermEnd, "none">;
}

export type TermEnd = "none" | "source" | "calendar-month";

export type Strategy = "purchase" | "transition" | "at-renewal";

export interface PlanCustomer {
  /** Lowercase GUID. */
  id: string;
  name?: string;
  /** Resolved: the customer's override or the plan's default. */
  target: SkuRef;
  /** Lowercased user principal names. */
  exclude: string[];
  seats: "users" | number;
  /** Resolved: the customer's override or the plan's (`suspendSource: false` is `keep`). */
  decommission: DecommissionMethod;
  purchase: PurchaseSettings;
  strategy: Strategy;
  /** Group-based licences: the group's assignment is changed (`migrate`, the default when absent), or its holders are left (`leave`). */
  groups?: "migrate" | "leave";
  /** Disabled service plans carried to the target (`keep`, the default when absent) or not (`reset`). */
  servicePlans?: "keep" | "reset";
  /** Set first on a user without one who is given the target directly: a country code, or `tenant`; undefined: such users are reported. */
  usageLocation?: string | undefined;
  at: SourcePosition;
}

export interface MigrationPlan {
  file: string;
  name: string;
  description?: string;
  source: SkuRef;
  target: SkuRef;
  customers: PlanCustomer[];
  suspendSource: boolean;
  seats: "users" | number;
  allowFeatureLoss: boolean;
  at: SourcePosition;
}

export interface Diagnostic {
  severity: "error" | "warning";
  /** Stable machine code; every code is listed in docs/plan-files.md and DIAGNOSTIC_CODES. */
  code: string;
  file: string;
  line: number;
  col: number;
  /** Field path, e.g. "spec.customers[1].target.sku"; "" when about the whole file or document. */
  path: string;
  message: string;
}

export interface LoadResult {
  /** Only plans without errors; the engine refuses to run while `diagnostics` holds any error. */
  plans: MigrationPlan[];
  diagnostics: Diagnostic[];
  files: { path: string; sha256: string }[];
  /** sha256 over the files sorted by path: for each, relative path + NUL + content + NUL. */
  hash: string;
}

export interface LoadPlansOptions {
  /** Base for relative paths, and what reported file names are relative to. Default process.cwd(). */
  cwd?: string;
  /** Default: the bundled catalog (loadCatalog()). */
  catalog?: SkuCatalog;
  /** Files larger than this are refused unread. Default 1 MiB. */
  maxFileBytes?: number;
}

/** A plan document as it is once it passed the schema (the YAML's shape, nothing resolved). */
export interface RawSkuRef {
  sku: string;
}

export interface RawPurchase {
  term?: "P1M" | "P1Y" | "P3Y";
  billing?: "monthly" | "annual" | "triennial";
  country?: string;
  catalogItem?: string;
  commerce?: "auto" | "new" | "legacy";
  termEnd?: "none" | "source" | "calendar-month";
}

export type RawDecommission = "auto" | "suspend" | "cancel" | "no-renew" | "keep";
export type RawStrategy = "purchase" | "transition";

export interface RawCustomer {
  id: string;
  name?: string;
  target?: RawSkuRef;
  exclude?: string[];
  seats?: "users" | number;
  purchase?: RawPurchase;
  decommission?: RawDecommission;
  strategy?: RawStrategy;
  groups?: "migrate" | "leave";
  servicePlans?: "keep" | "reset";
  usageLocation?: string;
}

export interface RawPlan {
  apiVersion: "pcplan/v1";
  kind: "MigrationPlan";
  metadata: { name: string; description?: string };
  spec: {
    source: RawSkuRef;
    target: RawSkuRef;
    customers: RawCustomer[];
    suspendSource?: boolean;
    seats?: "users" | number;
    allowFeatureLoss?: boolean;
    purchase?: RawPurchase;
    decommission?: RawDecommission;
    strategy?: RawStrategy;
    groups?: "migrate" | "leave";
    servicePlans?: "keep" | "reset";
    usageLocation?: string;
  };
}

/** A plan document as it is once it passed the schema (the YAML's shape, nothing resolved). */
export interface RawSkuRef {
  sku: string;
}

export interface RawCustomer {
  id: string;
  name?: string;
  target?: RawSkuRef;
  exclude?: string[];
  seats?: "users" | number;
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
  };
}

/**
 * Partner Center REST wire types (the subset pcplan uses), camelCase as the service answers.
 * Field names follow the public Partner Center REST reference; see ../../docs/partner-center.md.
 * Shared by the client (which reads them) and the sandbox (which serves them).
 */

export interface Link {
  uri: string;
  method: string;
  headers: { key: string; value: string }[];
}

export interface Collection<T> {
  totalCount: number;
  items: T[];
  links?: { self?: Link; next?: Link; previous?: Link };
  continuationToken?: string;
  attributes: { objectType: "Collection" };
}

export interface Customer {
  id: string;
  companyProfile: {
    tenantId: string;
    domain: string;
    companyName: string;
    attributes?: { objectType: "CustomerCompanyProfile" };
  };
  relationshipToPartner?: string;
  attributes?: { objectType: "Customer" };
}

export type SubscriptionStatus = "none" | "active" | "pending" | "suspended" | "deleted" | "expired" | "disabled";

export interface Subscription {
  id: string;
  offerId: string;
  offerName?: string;
  friendlyName?: string;
  quantity: number;
  unitType?: string;
  creationDate?: string;
  effectiveStartDate?: string;
  commitmentEndDate?: string;
  status: SubscriptionStatus;
  autoRenewEnabled: boolean;
  billingCycle?: string;
  /** ISO 8601 duration: P1M, P1Y, P3Y. */
  termDuration?: string;
  /** New commerce: the subscription may be cancelled (`status: "deleted"`) until this instant. */
  cancellationAllowedUntilDate?: string;
  /**
   * New commerce: the change made when the subscription next renews (create-scheduled-changes:
   * "Schedule changes for a new commerce subscription"); absent or null when none is scheduled.
   */
  scheduledNextTermInstructions?: ScheduledNextTermInstructions;
  /** New commerce: `{ type: "Full" | "Partial", expiresAt }` while a refund is possible. */
  refundOptions?: { type: string; expiresAt: string }[];
  productType?: { id: string; displayName: string };
  contractType?: string;
  orderId?: string;
  suspensionReasons?: string[];
  /**
   * `self`, and `offer` (legacy) or `product` / `sku` / `availability` (new commerce, whose
   * `offerId` is `productId:skuId:availabilityId`).
   */
  links?: Record<string, Link>;
  /** New-commerce subscriptions carry no etag (reference: get-all-of-a-customer-s-subscriptions). */
  attributes?: { etag?: string; objectType: "Subscription" };
}

/**
 * What a new-commerce subscription becomes at its next renewal (create-scheduled-changes,
 * update-subscription-scheduled-change): the product, SKU and availability it renews into, with
 * the term and billing, and the seats.
 */
export interface ScheduledNextTermInstructions {
  product: { productId: string; skuId: string; availabilityId: string; billingCycle: string; termDuration: string };
  quantity: number;
  /** A co-termed end date (custom-term-end-dates); absent for a full term. */
  customTermEndDate?: string;
}

export interface ServicePlan {
  displayName?: string;
  serviceName: string;
  id: string;
  capabilityStatus?: string;
  targetType?: string;
}

export interface ProductSku {
  id: string;
  name: string;
  skuPartNumber: string;
  targetType?: string;
  licenseGroupId?: string;
}

export interface SubscribedSku {
  availableUnits: number;
  activeUnits: number;
  consumedUnits: number;
  suspendedUnits: number;
  totalUnits: number;
  warningUnits: number;
  productSku: ProductSku;
  servicePlans: ServicePlan[];
  capabilityStatus?: string;
  attributes?: { objectType: "SubscribedSku" };
}

export interface CustomerUser {
  id: string;
  userPrincipalName: string;
  displayName?: string;
  firstName?: string;
  lastName?: string;
  usageLocation?: string;
  state?: string;
  attributes?: { objectType: "CustomerUser" };
}

export interface License {
  productSku: ProductSku;
  servicePlans: ServicePlan[];
  attributes?: { objectType: "License" };
}

export interface LicenseUpdate {
  licensesToAssign: { skuId: string; excludedPlans?: string[] | null }[];
  licensesToRemove: string[];
  licenseWarnings?: unknown[];
  attributes?: { objectType: "LicenseUpdate" };
}

export interface OrderLineItem {
  lineItemNumber: number;
  /** A legacy offer id, or a new-commerce catalog item id `productId:skuId:availabilityId`. */
  offerId: string;
  quantity: number;
  friendlyName?: string;
  /** Present only once the line is provisioned (new commerce provisions asynchronously). */
  subscriptionId?: string;
  termDuration?: string;
  transactionType?: string;
  links?: Record<string, Link>;
}

export interface OrderRequest {
  referenceCustomerId?: string;
  billingCycle: string;
  lineItems: OrderLineItem[];
}

export interface Order extends OrderRequest {
  id: string;
  alternateId?: string;
  referenceCustomerId: string;
  creationDate: string;
  /** `pending` or `completed` (also `cancelled`, `unknown`: reference order-resources, OrderStatus). */
  status: string;
  currencyCode?: string;
  transactionType?: string;
  links?: Record<string, Link>;
  attributes?: { objectType: "Order" };
}

export interface Offer {
  id: string;
  name: string;
  description?: string;
  minimumQuantity: number;
  maximumQuantity: number;
  country?: string;
  category?: { id: string; name: string };
  isAddOn?: boolean;
  isAvailableForPurchase: boolean;
  isAutoRenewable?: boolean;
  billing?: string;
  /** `product.id` is the license skuId the offer provisions. */
  product: { id: string; name: string; unit: string };
  unitType?: string;
  upgradeTargetOffers?: string[];
  attributes?: { objectType: "Offer" };
}

/** Partner Center's error body (`code` may arrive as a number or a string). */
export interface ApiErrorBody {
  code: number | string;
  description: string;
  data?: unknown[];
  source?: string;
}

export type * from "./commerce-types.js";

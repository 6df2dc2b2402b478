/**
 * New-commerce wire types: the catalog (product → SKU → availability), carts and checkout,
 * order provisioning status and subscription transitions. Field names and casing as in the
 * public REST reference pages product-resources, cart-resources, order-resources and
 * transition-resources (see docs/partner-center.md).
 */
import type { Link, Order } from "./types.js";

export interface ItemType {
  id: string;
  displayName: string;
  subType?: ItemType;
}

export interface Product {
  id: string;
  title: string;
  description?: string;
  productType?: ItemType;
  isMicrosoftProduct?: boolean;
  publisherName?: string;
  links?: Record<string, Link>;
  attributes?: { objectType: "Product" };
}

/** "The properties in this dictionary are dynamic and can change without notice" (product-resources). */
export interface SkuDynamicAttributes {
  /** The licence skuId (GUID) the SKU provisions: the id users' licences and subscribed SKUs carry. */
  provisioningId?: string;
  isAddon?: boolean;
  hasConstraints?: boolean;
  prerequisiteSkus?: string[];
  /** `productId:skuId` items the SKU can be upgraded to. */
  upgradeTargetOffers?: string[];
  [key: string]: unknown;
}

export interface Sku {
  id: string;
  productId: string;
  title: string;
  description?: string;
  minimumQuantity: number;
  maximumQuantity: number;
  isTrial?: boolean;
  supportedBillingCycles?: string[];
  purchasePrerequisites?: string[];
  inventoryVariables?: string[];
  provisioningVariables?: string[];
  actions?: string[];
  dynamicAttributes?: SkuDynamicAttributes;
  links?: Record<string, Link>;
  attributes?: { objectType: "Sku" };
}

export interface RefundOption {
  sequenceId?: number;
  /** `Full` or `Partial`. */
  type: string;
  /** ISO 8601 duration after purchase, e.g. `P7D`. */
  expiresAfter: string;
}

export interface CancellationPolicy {
  refundOptions: RefundOption[];
}

export interface AvailabilityTerm {
  id?: string;
  /** P1M, P1Y or P3Y. */
  duration: string;
  description?: string;
  /** The reference writes it in varying case (`Annual`, `monthly`): compare case-insensitively. */
  billingCycle?: string;
  cancellationPolicies?: CancellationPolicy[];
}

export interface Availability {
  /** Changes over time: resolve it just before buying, never store it. */
  id: string;
  productId: string;
  skuId: string;
  /** `productId:skuId:availabilityId`, what a cart line item buys. */
  catalogItemId: string;
  defaultCurrency?: { code: string; symbol: string };
  /** commercial, education, government, nonprofit. */
  segment?: string;
  country?: string;
  isPurchasable: boolean;
  isRenewable?: boolean;
  terms: AvailabilityTerm[];
  renewalInstructions?: unknown[];
  product?: Product;
  sku?: Sku;
  links?: Record<string, Link>;
  attributes?: { objectType: "Availability" };
}

/** What a cart line asks for; `id` numbers the lines from 0. */
export interface CartLineItemRequest {
  id: number;
  catalogItemId: string;
  quantity: number;
  billingCycle: string;
  termDuration?: string;
  friendlyName?: string;
  /**
   * Where the first term ends, when not after the full term: "If provided, the first term will be
   * prorated to end on this date" (the .NET SDK's CartLineItem.CustomTermEndDate; create-a-cart's
   * example sends `"customTermEndDate": "2022-02-19T00:00:00Z"`). One of the dates
   * `GET …/subscriptions/customTermEndDates` allows.
   */
  customTermEndDate?: string;
}

export interface CartRequest {
  lineItems: CartLineItemRequest[];
}

/** `errorCode` 10000–10012 (cart-resources, CartErrorCode); a number or its name on the wire. */
export interface CartLineItemErrorBody {
  errorCode: number | string;
  errorDescription: string;
}

export interface CartLineItem extends CartLineItemRequest {
  currencyCode?: string;
  orderGroup?: string;
  provisioningContext?: Record<string, string>;
  /** Set when Partner Center refused this line; a checkout of the cart then fails. */
  error?: CartLineItemErrorBody;
}

export interface Cart {
  id: string;
  creationTimestamp?: string;
  lastModifiedTimestamp?: string;
  expirationTimestamp?: string;
  lastModifiedUser?: string;
  /** `Active` (can be checked out) or `Ordered` (already checked out). */
  status: string;
  lineItems: CartLineItem[];
  links?: Record<string, Link>;
  attributes?: { objectType: "Cart" };
}

export interface OrderError {
  orderGroupId: string;
  code: number | string;
  description: string;
}

export interface CartCheckoutResult {
  orders: Order[];
  orderErrors: OrderError[];
  attributes?: { objectType: string };
}

/**
 * Per order line: `fulfilled`, `unfulfilled` or `PrefulfillmentPending`; until fulfilled there is
 * no subscription (order-resources, OrderLineItemProvisioningStatus). Compare case-insensitively.
 */
export interface OrderLineItemProvisioningStatus {
  orderLineItemId?: number;
  lineItemNumber: number;
  status: string;
  quantityProvisioningInformation?: { quantity: number; status: string }[];
  attributes?: { objectType: string };
}

export type TransitionType = "transition_only" | "transition_with_license_transfer";

export interface TransitionError {
  code: number | string;
  description: string;
}

export interface TransitionEligibilityDetail {
  isEligible: boolean;
  transitionType: string;
  errors: TransitionError[];
}

export interface TransitionEligibility {
  operationId?: string;
  catalogItemId: string;
  title?: string;
  description?: string;
  quantity?: number;
  eligibilities: TransitionEligibilityDetail[];
  subscriptionEligibilities?: unknown[];
  attributes?: { objectType: "TransitionEligibility" };
}

export interface TransitionRequest {
  fromCatalogItemId?: string;
  fromSubscriptionId?: string;
  toCatalogItemId: string;
  toSubscriptionId?: string;
  quantity: number;
  termDuration?: string;
  billingCycle?: string;
  /** `transition_only` or `transition_with_license_transfer`. */
  transitionType: string;
}

/**
 * `name` Conversion (or SeatReassignment, in the .NET SDK); `status` Started, InProgress, Completed or Failed — the
 * reference's own examples write `"Started "` (trailing space): compare leniently.
 */
export interface TransitionEvent {
  name: string;
  status: string;
  timestamp?: string;
  errors?: TransitionError[];
}

/** As the client returns it: keys camelCased (the reference mixes `FromCatalogItemId` and `Events`). */
export interface Transition extends TransitionRequest {
  operationId?: string;
  events: TransitionEvent[];
  attributes?: { objectType: string };
}

/**
 * One end date Partner Center allows for a new-commerce purchase's first term (custom-term-end-dates:
 * https://learn.microsoft.com/partner-center/developer/custom-term-end-dates): the end of a calendar
 * month (`calendarMonthAligned`), or the term end of existing subscriptions of the customer
 * (`subscriptionAligned`, with their ids in `cotermSubscriptionIds`).
 */
export interface CustomTermEndDate {
  allowedCustomTermEndDateType: string;
  /** As the reference writes it: `2023-07-31T00:00:00`. */
  allowedCustomTermEndDate: string;
  cotermSubscriptionIds?: string[];
}

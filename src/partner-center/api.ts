import type {
  Availability,
  Cart,
  CartCheckoutResult,
  CartRequest,
  Customer,
  CustomerUser,
  CustomTermEndDate,
  License,
  LicenseUpdate,
  Offer,
  Order,
  OrderLineItemProvisioningStatus,
  OrderRequest,
  Product,
  Sku,
  SubscribedSku,
  Subscription,
  Transition,
  TransitionEligibility,
  TransitionRequest,
} from "./types.js";

/**
 * What the engine needs from Partner Center. The REST client implements it; nothing else
 * in pcplan talks HTTP. Every `list*` follows paging to the end.
 *
 * Writes take an optional `requestId` (MS-RequestId): one per logical write, reused on
 * every retry of that write. When omitted the client generates one per call.
 */
export interface PartnerCenterApi {
  readonly correlationId: string;
  listCustomers(): Promise<Customer[]>;
  getCustomer(customerId: string): Promise<Customer>;
  listSubscriptions(customerId: string): Promise<Subscription[]>;
  getSubscription(customerId: string, subscriptionId: string): Promise<Subscription>;
  /** PATCH the whole subscription with `If-Match: attributes.etag`. */
  updateSubscription(customerId: string, subscription: Subscription, opts?: WriteOptions): Promise<Subscription>;
  listSubscribedSkus(customerId: string): Promise<SubscribedSku[]>;
  listUsers(customerId: string): Promise<CustomerUser[]>;
  /**
   * About `requests` more calls for this customer are to come (its users pages and licence
   * reads): the request budget shares the partner's rate by them (src/http/budget/scheduler.ts).
   * A hint only; nothing is sent.
   */
  expect?(customerId: string, requests: number): void;
  listUserLicenses(customerId: string, userId: string): Promise<License[]>;
  updateUserLicenses(customerId: string, userId: string, update: LicenceUpdateRequest, opts?: WriteOptions): Promise<LicenseUpdate>;
  createOrder(customerId: string, order: OrderRequest, opts?: WriteOptions): Promise<Order>;
  listOffers(country: string): Promise<Offer[]>;
  getOffer(offerId: string, country: string): Promise<Offer>;

  // New commerce (docs/new-commerce.md). Catalog: product → SKU → availability, per country.
  getProduct(productId: string, country: string): Promise<Product>;
  /** The SKU's `dynamicAttributes.provisioningId` is the licence skuId it provisions. */
  getSku(productId: string, skuId: string, country: string): Promise<Sku>;
  /** `segment` is sent as `targetSegment` (commercial, education, government, nonprofit). */
  listAvailabilities(productId: string, skuId: string, country: string, segment?: string): Promise<Availability[]>;
  /** `201` with the Cart; refused lines carry `error` (see `cartLineItemErrors`). */
  createCart(customerId: string, cart: CartRequest, opts?: WriteOptions): Promise<Cart>;
  getCart(customerId: string, cartId: string): Promise<Cart>;
  /** No body. Idempotent per cart: checking out the same cart again returns the first result. */
  checkoutCart(customerId: string, cartId: string, opts?: WriteOptions): Promise<CartCheckoutResult>;
  /** Orders may take minutes to appear here after checkout. */
  listOrders(customerId: string): Promise<Order[]>;
  getOrder(customerId: string, orderId: string): Promise<Order>;
  getOrderProvisioningStatus(customerId: string, orderId: string): Promise<OrderLineItemProvisioningStatus[]>;
  /** `eligibilityType`: `immediate` or `scheduled`. */
  listTransitionEligibilities(customerId: string, subscriptionId: string, eligibilityType: string): Promise<TransitionEligibility[]>;
  createTransition(customerId: string, subscriptionId: string, body: TransitionRequest, opts?: WriteOptions): Promise<Transition>;
  /**
   * The end dates a new-commerce purchase of this term may be given (`customTermEndDate` of a cart
   * line): `GET /customers/{id}/subscriptions/customTermEndDates?term_duration=` (custom-term-end-dates).
   */
  listCustomTermEndDates(customerId: string, termDuration: string): Promise<CustomTermEndDate[]>;
  /** With `operationId`, only that transition (poll it with `transitionState`). */
  listTransitions(customerId: string, subscriptionId: string, operationId?: string): Promise<Transition[]>;
}

/** A licence update: skuIds to assign and to remove; `excludedPlans` per assigned skuId (lowercase; none where absent). */
export interface LicenceUpdateRequest {
  assign: string[];
  remove: string[];
  excludedPlans?: Readonly<Record<string, readonly string[]>>;
}

export interface WriteOptions {
  requestId?: string;
}

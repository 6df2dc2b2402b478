import type {
  Customer,
  CustomerUser,
  License,
  LicenseUpdate,
  Offer,
  Order,
  OrderRequest,
  SubscribedSku,
  Subscription,
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
  listUserLicenses(customerId: string, userId: string): Promise<License[]>;
  updateUserLicenses(
    customerId: string,
    userId: string,
    update: { assign: string[]; remove: string[] },
    opts?: WriteOptions,
  ): Promise<LicenseUpdate>;
  createOrder(customerId: string, order: OrderRequest, opts?: WriteOptions): Promise<Order>;
  listOffers(country: string): Promise<Offer[]>;
  getOffer(offerId: string, country: string): Promise<Offer>;
}

export interface WriteOptions {
  requestId?: string;
}

/**
 * What every `PartnerCenterApi` call must answer before pcplan decides anything on it: one
 * entry per method (a method without one is a type error), naming what the call was about
 * (for messages) and the schema of its answer (of each item, for list calls, which return the
 * collected `items`). The schemas require the fields the wire types of `types.ts` require and
 * check the optional fields the engine reads; other fields pass unchecked (the service adds
 * fields). Field names and values: the Partner Center REST reference pages named below.
 */
import type { PartnerCenterApi } from "./api.js";
import type {
  Customer,
  CustomerUser,
  License,
  LicenseUpdate,
  Offer,
  Order,
  OrderLineItem,
  Availability,
  AvailabilityTerm,
  Cart,
  CartCheckoutResult,
  CartLineItem,
  CustomTermEndDate,
  OrderError,
  OrderLineItemProvisioningStatus,
  Product,
  Sku,
  Transition,
  TransitionEligibility,
  TransitionEligibilityDetail,
  TransitionError,
  TransitionEvent,
  ProductSku,
  ServicePlan,
  SubscribedSku,
  ScheduledNextTermInstructions,
  Subscription,
  SubscriptionStatus,
} from "./types.js";
import { anyCaseOf, arrayOf, count, flag, id, integer, objectOf, seats, text, type Schema } from "../http/schema.js";

/** A date `parsePcDate` reads (the reference's `"2015-11-25T06: 41: 12Z"` included): format `pc-date`, response-validator.ts. */
const date: Schema<string> = { json: { type: "string", format: "pc-date" } };
/** An error code: Partner Center writes them as numbers or strings (`10001`, `"CatalogItemIdIsNotValid"`). */
const errorCode: Schema<number | string> = { json: { anyOf: [{ type: "integer" }, { type: "string", minLength: 1 }] } };

type Method = Extract<PartnerCenterApi[keyof PartnerCenterApi], (...args: never[]) => Promise<unknown>>;
/** The names of the API's calls (not `correlationId`). */
export type ApiMethod = { [K in keyof PartnerCenterApi]-?: PartnerCenterApi[K] extends Method ? K : never }[keyof PartnerCenterApi];
type Call<K extends ApiMethod> = Extract<PartnerCenterApi[K], Method>;
type Answer<K extends ApiMethod> = Awaited<ReturnType<Call<K>>>;

export type ResponseCheck<K extends ApiMethod> = {
  /** What the call was about, from its arguments: `customer 6b1a…` (shown as `listUsers(customer 6b1a…)`). */
  about: (...args: Parameters<Call<K>>) => string;
} & (Answer<K> extends readonly (infer Item)[] ? { each: Schema<Item> } : { one: Schema<Answer<K>> });

export type ResponseChecks = { [K in ApiMethod]: ResponseCheck<K> };

// get-a-list-of-customers, get-a-customer-by-id
const customer = objectOf<Customer>()({
  required: ["id", "companyProfile"],
  fields: {
    id,
    companyProfile: objectOf<Customer["companyProfile"]>()({
      required: ["tenantId", "domain", "companyName"],
      fields: { tenantId: text, domain: text, companyName: text },
    }),
  },
});

// subscription-resources: SubscriptionStatus (none, active, pending, suspended, deleted; expired
// and disabled for new commerce). The service has been seen to send "ACTIVE" and "Suspended ".
const subscriptionStatus = anyCaseOf<SubscriptionStatus>()(["none", "active", "pending", "suspended", "deleted", "expired", "disabled"]);

// get-all-of-a-customer-s-subscriptions, get-a-subscription-by-id, suspend-a-subscription,
// change-the-quantity-of-a-subscription. `attributes.etag` goes back as If-Match.
// create-scheduled-changes: what the subscription renews into; the engine reads every field.
const scheduledNextTerm = objectOf<ScheduledNextTermInstructions>()({
  required: ["product", "quantity"],
  fields: {
    product: objectOf<ScheduledNextTermInstructions["product"]>()({
      required: ["productId", "skuId", "availabilityId", "billingCycle", "termDuration"],
      fields: { productId: id, skuId: id, availabilityId: id, billingCycle: text, termDuration: text },
    }),
    quantity: seats,
    customTermEndDate: date,
  },
});

const subscription = objectOf<Subscription>()({
  required: ["id", "offerId", "quantity", "status", "autoRenewEnabled"],
  fields: {
    id,
    offerId: id,
    quantity: seats,
    status: subscriptionStatus,
    autoRenewEnabled: flag,
    commitmentEndDate: date,
    creationDate: date,
    // New commerce (subscription-resources): the cancellation window, the term and its billing.
    cancellationAllowedUntilDate: date,
    termDuration: text,
    billingCycle: text,
    scheduledNextTermInstructions: scheduledNextTerm,
    attributes: objectOf<NonNullable<Subscription["attributes"]>>()({
      required: [],
      mayOmit: ["objectType"], // a label; never read
      fields: { etag: text },
    }),
  },
});

// license-resources: ProductSku, ServicePlan
const productSku = objectOf<ProductSku>()({
  required: ["id", "name", "skuPartNumber"],
  fields: { id, name: text, skuPartNumber: text },
});
const servicePlan = objectOf<ServicePlan>()({ required: ["serviceName", "id"], fields: { serviceName: text, id } });

// get-a-list-of-available-licenses. consumedUnits decides whether a subscription may be retired.
const subscribedSku = objectOf<SubscribedSku>()({
  required: ["availableUnits", "activeUnits", "consumedUnits", "suspendedUnits", "totalUnits", "warningUnits", "productSku", "servicePlans"],
  fields: {
    availableUnits: integer,
    activeUnits: count,
    consumedUnits: seats,
    suspendedUnits: count,
    totalUnits: count,
    warningUnits: count,
    productSku,
    servicePlans: arrayOf(servicePlan),
  },
});

// get-a-list-of-all-user-accounts-for-a-customer
const user = objectOf<CustomerUser>()({ required: ["id", "userPrincipalName"], fields: { id, userPrincipalName: text } });

// check-which-licenses-are-assigned-to-a-user
const license = objectOf<License>()({
  required: ["productSku", "servicePlans"],
  fields: { productSku, servicePlans: arrayOf(servicePlan) },
});

// assign-licenses-to-a-user: 201 with the LicenseUpdate. The reference's answer has no
// licensesToRemove, and the engine reads nothing of it: only present fields are checked.
const licenseUpdate = objectOf<LicenseUpdate>()({
  required: [],
  mayOmit: ["licensesToAssign", "licensesToRemove"],
  fields: {
    licensesToAssign: arrayOf(
      objectOf<LicenseUpdate["licensesToAssign"][number]>()({ required: ["skuId"], fields: { skuId: id, excludedPlans: arrayOf(id) } }),
    ),
    licensesToRemove: arrayOf(id),
  },
});

// create-an-order: 201 with the Order. What was bought is required; the rest the engine does not
// read (and create-an-order-for-a-customer-of-an-indirect-reseller's answer has no status).
const orderLineItem = objectOf<OrderLineItem>()({
  required: ["lineItemNumber", "offerId", "quantity"],
  fields: { lineItemNumber: count, offerId: id, quantity: seats, subscriptionId: id },
});
const order = objectOf<Order>()({
  required: ["id", "lineItems"],
  mayOmit: ["referenceCustomerId", "creationDate", "status", "billingCycle"],
  fields: { id, lineItems: arrayOf(orderLineItem) },
});

// get-a-list-of-offers-for-a-market, get-an-offer-by-id. product.id is the license skuId.
const offer = objectOf<Offer>()({
  required: ["id", "name", "minimumQuantity", "maximumQuantity", "isAvailableForPurchase", "product"],
  fields: {
    id,
    name: text,
    minimumQuantity: count,
    maximumQuantity: count,
    isAvailableForPurchase: flag,
    product: objectOf<Offer["product"]>()({ required: ["id", "name", "unit"], fields: { id, name: text, unit: text } }),
  },
});

// product-resources: Product, Sku (dynamicAttributes.provisioningId is the licence skuId it
// provisions; min/max bound a purchase), Availability (terms with duration and billing cycle).
const product = objectOf<Product>()({ required: ["id", "title"], fields: { id, title: text } });
const sku = objectOf<Sku>()({
  required: ["id", "productId", "title", "minimumQuantity", "maximumQuantity"],
  fields: {
    id,
    productId: id,
    title: text,
    minimumQuantity: count,
    maximumQuantity: count,
    // A dictionary "that can change without notice": only provisioningId is checked.
    dynamicAttributes: { json: { type: "object", properties: { provisioningId: text.json } } },
  },
});
const term = objectOf<AvailabilityTerm>()({ required: ["duration"], fields: { duration: text, billingCycle: text } });
const availability = objectOf<Availability>()({
  required: ["id", "productId", "skuId", "catalogItemId", "isPurchasable", "terms"],
  fields: { id, productId: id, skuId: id, catalogItemId: id, isPurchasable: flag, segment: text, terms: arrayOf(term) },
});

// cart-resources: a line's error (10000–10012) refuses the cart; checkout answers orders and orderErrors.
const cartLineItem = objectOf<CartLineItem>()({
  required: ["catalogItemId", "quantity"],
  mayOmit: ["id", "billingCycle"], // echoes of what was sent; the engine reads the error
  fields: {
    catalogItemId: id,
    quantity: seats,
    error: objectOf<NonNullable<CartLineItem["error"]>>()({
      required: ["errorCode", "errorDescription"],
      fields: { errorCode: errorCode, errorDescription: text },
    }),
  },
});
const cart = objectOf<Cart>()({ required: ["id", "status", "lineItems"], fields: { id, status: text, lineItems: arrayOf(cartLineItem) } });
const orderError = objectOf<OrderError>()({ required: ["code", "description"], mayOmit: ["orderGroupId"], fields: { code: errorCode, description: text } });
const checkout = objectOf<CartCheckoutResult>()({ required: ["orders", "orderErrors"], fields: { orders: arrayOf(order), orderErrors: arrayOf(orderError) } });

// order-resources: an order's line items provision asynchronously; until `fulfilled` there is no subscription.
const provisioningStatus = objectOf<OrderLineItemProvisioningStatus>()({
  required: ["lineItemNumber", "status"],
  fields: { lineItemNumber: count, status: text },
});

// transition-resources: eligibilities per target catalog item, transitions followed by their events.
const transitionError = objectOf<TransitionError>()({ required: ["code", "description"], fields: { code: errorCode, description: text } });
const eligibility = objectOf<TransitionEligibility>()({
  required: ["catalogItemId", "eligibilities"],
  fields: {
    catalogItemId: id,
    eligibilities: arrayOf(
      objectOf<TransitionEligibilityDetail>()({
        required: ["isEligible", "transitionType", "errors"],
        fields: { isEligible: flag, transitionType: text, errors: arrayOf(transitionError) },
      }),
    ),
  },
});
const transition = objectOf<Transition>()({
  required: ["events"],
  mayOmit: ["toCatalogItemId", "quantity", "transitionType"], // echoes of what was sent
  fields: {
    operationId: text,
    events: arrayOf(objectOf<TransitionEvent>()({ required: ["name", "status"], fields: { name: text, status: text, errors: arrayOf(transitionError) } })),
  },
});

// custom-term-end-dates: each allowed date with its kind; a subscription-aligned one names the subscriptions it co-terms with.
const customTermEndDate = objectOf<CustomTermEndDate>()({
  required: ["allowedCustomTermEndDateType", "allowedCustomTermEndDate"],
  fields: { allowedCustomTermEndDateType: text, allowedCustomTermEndDate: date, cotermSubscriptionIds: arrayOf(id) },
});

const ofCustomer = (customerId: string): string => `customer ${customerId}`;

export const RESPONSE_CHECKS: ResponseChecks = {
  listCustomers: { about: () => "", each: customer },
  getCustomer: { about: ofCustomer, one: customer },
  listSubscriptions: { about: ofCustomer, each: subscription },
  getSubscription: { about: (c, s) => `customer ${c}, subscription ${s}`, one: subscription },
  updateSubscription: { about: (c, s) => `customer ${c}, subscription ${s.id}`, one: subscription },
  listSubscribedSkus: { about: ofCustomer, each: subscribedSku },
  listUsers: { about: ofCustomer, each: user },
  listUserLicenses: { about: (c, u) => `customer ${c}, user ${u}`, each: license },
  updateUserLicenses: { about: (c, u) => `customer ${c}, user ${u}`, one: licenseUpdate },
  createOrder: { about: ofCustomer, one: order },
  listOffers: { about: (country) => `country ${country}`, each: offer },
  getOffer: { about: (o, country) => `offer ${o}, country ${country}`, one: offer },
  getProduct: { about: (pid, country) => `product ${pid}, country ${country}`, one: product },
  getSku: { about: (pid, sid, country) => `product ${pid}, SKU ${sid}, country ${country}`, one: sku },
  listAvailabilities: { about: (pid, sid, country) => `product ${pid}, SKU ${sid}, country ${country}`, each: availability },
  createCart: { about: ofCustomer, one: cart },
  getCart: { about: (c, cartId) => `customer ${c}, cart ${cartId}`, one: cart },
  checkoutCart: { about: (c, cartId) => `customer ${c}, cart ${cartId}`, one: checkout },
  listOrders: { about: ofCustomer, each: order },
  getOrder: { about: (c, o) => `customer ${c}, order ${o}`, one: order },
  getOrderProvisioningStatus: { about: (c, o) => `customer ${c}, order ${o}`, each: provisioningStatus },
  listTransitionEligibilities: { about: (c, sub) => `customer ${c}, subscription ${sub}`, each: eligibility },
  createTransition: { about: (c, sub) => `customer ${c}, subscription ${sub}`, one: transition },
  listTransitions: { about: (c, sub) => `customer ${c}, subscription ${sub}`, each: transition },
  listCustomTermEndDates: { about: (c, term) => `customer ${c}, term ${term}`, each: customTermEndDate },
};

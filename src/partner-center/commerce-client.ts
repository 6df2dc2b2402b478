/**
 * The new-commerce methods of the Partner Center client: catalog, carts, checkout, orders and
 * their provisioning status, transitions. Paths and query names follow the reference pages
 * get-a-product-by-id, get-a-sku-by-id, get-a-list-of-availabilities-for-a-sku, create-a-cart,
 * checkout-a-cart, get-all-of-a-customer-s-orders, get-order-provisioning-status,
 * transition-a-new-commerce-subscription, get-transitions and custom-term-end-dates.
 */
import type { PartnerCenterApi, WriteOptions } from "./api.js";
import { BadResponseError } from "./errors.js";
import { readTransition, readTransitionList } from "./transition-wire.js";
import type { PartnerCenterTransport, TransportResponse } from "./transport.js";
import type {
  Availability,
  Cart,
  CartCheckoutResult,
  CustomTermEndDate,
  Order,
  OrderLineItemProvisioningStatus,
  Product,
  Sku,
  Transition,
  TransitionEligibility,
} from "./types.js";

type Query = Record<string, string | number>;

/** The client's own helpers, shared so both halves read and fail the same way. */
export interface ClientParts {
  transport: PartnerCenterTransport;
  correlationId: string;
  url: (path: string, query?: Query) => URL;
  list: <T>(path: string, query?: Query) => Promise<T[]>;
  get: <T>(path: string, what: string, query?: Query) => Promise<T>;
  object: <T>(res: TransportResponse, what: string, path: string, method?: string) => T;
}

export type CommerceMethods = Pick<
  PartnerCenterApi,
  | "getProduct"
  | "getSku"
  | "listAvailabilities"
  | "createCart"
  | "getCart"
  | "checkoutCart"
  | "listOrders"
  | "getOrder"
  | "getOrderProvisioningStatus"
  | "listTransitionEligibilities"
  | "createTransition"
  | "listTransitions"
  | "listCustomTermEndDates"
>;

const seg = encodeURIComponent;

export function commerceMethods(p: ClientParts): CommerceMethods {
  const customer = (id: string) => `/customers/${seg(id)}`;
  const post = async <T>(path: string, what: string, body: unknown, wopts?: WriteOptions): Promise<T> => {
    const target = p.url(path);
    const res = await p.transport.request({ method: "POST", url: target, body, requestId: wopts?.requestId });
    return p.object<T>(res, what, target.pathname, "POST");
  };
  const badTransitions = (res: { status: number; requestId?: string }, method: string, path: string, description: string) =>
    new BadResponseError({ status: res.status, description, method, path, requestId: res.requestId, correlationId: p.correlationId });

  return {
    getProduct: (productId, country) => p.get<Product>(`/products/${seg(productId)}`, "Product", { country }),
    getSku: (productId, skuId, country) => p.get<Sku>(`/products/${seg(productId)}/skus/${seg(skuId)}`, "Sku", { country }),
    listAvailabilities: (productId, skuId, country, segment) =>
      p.list<Availability>(`/products/${seg(productId)}/skus/${seg(skuId)}/availabilities`, {
        country,
        ...(segment !== undefined ? { targetSegment: segment } : {}),
      }),

    // create-a-cart's request sends the partner-of-record attestation; without it a line is refused 10012 AttestationNotAccepted (cart-resources).
    createCart: (customerId, cart, wopts) => post<Cart>(`${customer(customerId)}/carts`, "Cart", { PartnerOnRecordAttestationAccepted: true, ...cart }, wopts),
    getCart: (customerId, cartId) => p.get<Cart>(`${customer(customerId)}/carts/${seg(cartId)}`, "Cart"),
    checkoutCart: async (customerId, cartId, wopts) => {
      const result = await post<CartCheckoutResult>(`${customer(customerId)}/carts/${seg(cartId)}/checkout`, "CartCheckoutResult", undefined, wopts);
      // Either list may be absent when empty; callers always get both arrays.
      return { ...result, orders: result.orders ?? [], orderErrors: result.orderErrors ?? [] };
    },

    listOrders: (customerId) => p.list<Order>(`${customer(customerId)}/orders`),
    getOrder: (customerId, orderId) => p.get<Order>(`${customer(customerId)}/orders/${seg(orderId)}`, "Order"),
    getOrderProvisioningStatus: (customerId, orderId) =>
      p.list<OrderLineItemProvisioningStatus>(`${customer(customerId)}/orders/${seg(orderId)}/provisioningstatus`),

    listTransitionEligibilities: (customerId, subscriptionId, eligibilityType) =>
      p.list<TransitionEligibility>(`${customer(customerId)}/subscriptions/${seg(subscriptionId)}/transitionEligibilities`, {
        eligibilityType,
      }),
    // custom-term-end-dates names the query `term_duration` (its example: `…/customTermEndDates?term_duration=P1M`).
    listCustomTermEndDates: (customerId, termDuration) =>
      p.list<CustomTermEndDate>(`${customer(customerId)}/subscriptions/customTermEndDates`, { term_duration: termDuration }),
    async createTransition(customerId, subscriptionId, body, wopts) {
      const target = p.url(`${customer(customerId)}/subscriptions/${seg(subscriptionId)}/transitions`);
      const res = await p.transport.request({ method: "POST", url: target, body, requestId: wopts?.requestId });
      const t = readTransition(res.json);
      if (!t) throw badTransitions(res, "POST", target.pathname, "expected a Transition object in the response body");
      return t;
    },
    async listTransitions(customerId, subscriptionId, operationId) {
      const target = p.url(`${customer(customerId)}/subscriptions/${seg(subscriptionId)}/transitions`, operationId !== undefined ? { operationId } : {});
      const res = await p.transport.request({ method: "GET", url: target });
      const list = readTransitionList(res.json);
      if (!list) throw badTransitions(res, "GET", target.pathname, "expected `transition` (or `items`) array of Transitions");
      return list satisfies Transition[];
    },
  };
}

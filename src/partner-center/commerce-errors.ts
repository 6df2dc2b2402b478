/**
 * A cart or a checkout can fail without an HTTP error: a refused line carries
 * `error { errorCode, errorDescription }` in a `201` Cart, and a checkout answers `orderErrors`
 * next to the orders it placed (cart-resources: CartError, CartErrorCode, OrderError). These
 * helpers turn both into typed errors that name the customer, the catalog item and Microsoft's code.
 */
import { PcplanError } from "../errors.js";
import type { Cart, CartCheckoutResult, OrderError } from "./types.js";

export const COMMERCE_ERROR_CODES = {
  cartLineItem: "PC_CART_LINE_ITEM",
  orderError: "PC_ORDER_ERROR",
} as const;

/** CartErrorCode (cart-resources): the number and the name, either of which may be on the wire. */
export const CART_ERROR_NAMES: Readonly<Record<number, string>> = {
  0: "Unknown",
  10000: "CurrencyIsNotSupported",
  10001: "CatalogItemIdIsNotValid",
  10002: "QuotaNotAvailable",
  10003: "InventoryNotAvailable",
  10004: "ParticipantsIsNotSupportedForPartner",
  10006: "UnableToProcessCartLineItem",
  10007: "SubscriptionIsNotValid",
  10008: "SubscriptionIsNotEnabledForRI",
  10009: "SandboxLimitExceeded",
  10010: "InvalidInput",
  10011: "SubscriptionNotRegistered",
  10012: "AttestationNotAccepted",
};

/** `10001` from `10001`, `"10001"` or `"CatalogItemIdIsNotValid"`; undefined for anything else. */
export function cartErrorNumber(code: number | string): number | undefined {
  if (typeof code === "number") return code;
  if (/^\d+$/.test(code.trim())) return Number(code.trim());
  const wanted = code.trim().toLowerCase();
  const hit = Object.entries(CART_ERROR_NAMES).find(([, name]) => name.toLowerCase() === wanted);
  return hit ? Number(hit[0]) : undefined;
}

export class CartLineItemError extends PcplanError {
  readonly msCode: string;
  constructor(
    readonly customerId: string,
    readonly cartId: string,
    readonly lineItemId: number,
    readonly catalogItemId: string,
    errorCode: number | string,
    readonly description: string,
  ) {
    const n = cartErrorNumber(errorCode);
    const msCode = n === undefined ? String(errorCode) : `${n} ${CART_ERROR_NAMES[n] ?? ""}`.trim();
    super(
      COMMERCE_ERROR_CODES.cartLineItem,
      `Customer ${customerId}: Partner Center refused cart ${cartId} line ${lineItemId} (catalog item ${catalogItemId}): ${msCode}: ${description}`,
      true,
    );
    this.msCode = n === undefined ? String(errorCode) : String(n);
  }
}

export class OrderCheckoutError extends PcplanError {
  readonly msCode: string;
  constructor(
    readonly customerId: string,
    readonly cartId: string,
    readonly orderGroupId: string,
    readonly catalogItemIds: string[],
    code: number | string,
    readonly description: string,
  ) {
    const items = catalogItemIds.length > 0 ? catalogItemIds.join(", ") : "unknown catalog items";
    super(
      COMMERCE_ERROR_CODES.orderError,
      `Customer ${customerId}: checkout of cart ${cartId} placed no order for order group ${orderGroupId} (${items}): ${String(code)}: ${description}`,
      true,
    );
    this.msCode = String(code);
  }
}

/** One error per refused line of the cart (empty when every line was accepted). */
export function cartLineItemErrors(customerId: string, cart: Cart): CartLineItemError[] {
  return (cart.lineItems ?? [])
    .filter((li) => li.error != null)
    .map((li) => new CartLineItemError(customerId, cart.id, li.id, li.catalogItemId, li.error!.errorCode, li.error!.errorDescription));
}

/** One error per `orderErrors` entry, naming the catalog items of that order group in the cart. */
export function checkoutOrderErrors(customerId: string, cart: Cart, result: CartCheckoutResult): OrderCheckoutError[] {
  return (result.orderErrors ?? []).map((e: OrderError) => {
    const items = (cart.lineItems ?? []).filter((li) => li.orderGroup === e.orderGroupId).map((li) => li.catalogItemId);
    return new OrderCheckoutError(customerId, cart.id, e.orderGroupId, items, e.code, e.description);
  });
}

/** Throws the first refused line's error (the message counts the others). */
export function assertCartAccepted(customerId: string, cart: Cart): void {
  const errors = cartLineItemErrors(customerId, cart);
  if (errors.length > 0) throw withOthers(errors);
}

/** Throws the first order error of a checkout (the message counts the others). */
export function assertCheckoutSucceeded(customerId: string, cart: Cart, result: CartCheckoutResult): void {
  const errors = checkoutOrderErrors(customerId, cart, result);
  if (errors.length > 0) throw withOthers(errors);
}

function withOthers<E extends Error>(errors: E[]): E {
  const first = errors[0];
  if (errors.length > 1) first.message += ` (and ${errors.length - 1} more)`;
  return first;
}

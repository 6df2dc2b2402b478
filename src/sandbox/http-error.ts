/**
 * Errors a handler answers with. Codes and descriptions are those of Partner Center's published
 * error-code table (reference page error-codes) wherever one fits; the few marked "sandbox" are
 * our own choice, listed in docs/sandbox.md.
 */
import type { ApiErrorBody } from "../partner-center/types.js";

export const ErrorCode = {
  /** 401: "Access denied" in the published table. */
  accessDenied: 400,
  notFound: 1000,
  /** 403 "Access denied" (the credential lacks the role). */
  forbidden: 2032,
  /** "Subscription quantity cannot be increased or decreased while subscription is being suspended". */
  quantityOnSuspended: 2001,
  /** "Subscription quantity is not within minimum and maximum allowed quantity". */
  quantityOutOfRange: 2002,
  /** "Subscription with ID {0} and deleted status cannot be updated." */
  subscriptionDeleted: 2011,
  /** 400 "Etag is no longer valid". */
  etagInvalid: 2055,
  /** 403 "The offer is no longer available for purchase" (a business rule, not a role). */
  offerNotAvailable: 2091,
  /** "The Offers API does not support item with ID {0}. Try using the Products and/or SKUs APIs". */
  offersApiNotSupported: 2100,
  invalidProperty: 3000,
  licenseQuotaExceeded: 60012,
  /** sandbox: removing a license the user does not hold. */
  licenseNotAssigned: 60013,
  /** sandbox: removing a license the user holds through a group only (Entra ID's text, no published Partner Center code). */
  licenseInherited: 60014,
  invalidInput: 400056,
  /** "Unable to retrieve cart ID" (404). */
  cartNotFound: 800008,
  /** "Error in Cart item(s)". */
  cartItemErrors: 800009,
  /** "Subscription quantity cannot be decreased" (after the cancellation window). */
  quantityCannotDecrease: 800090,
  /** "The subscription is not eligible to be auto-renewed". */
  notRenewable: 800093,
  /** "Cannot update the seat quantity for this subscription" (the sandbox: below the assigned licences). */
  seatQuantityRefused: 800095,
  /** "Cannot update the status for this subscription" (the sandbox: cancelling after the window). */
  statusRefused: 800096,
  /** "Order ID not found" (404). */
  orderNotFound: 20000,
} as const;

/** Published descriptions of the business-rule 403s a fixture customer can be made to answer. */
export const BUSINESS_RULE_403: Record<number, string> = {
  13605:
    "Either a partner confirmation of the customer acceptance of the Microsoft Customer Agreement must be provided or the customer must accept the Microsoft Customer Agreement in the Microsoft Admin Center before you can complete this purchase",
  2006: "Partner is not valid for offer",
  2030: "Partner is not onboarded to sell in country",
  20002: "The partner ID {0} has no commerce relationship with the customer ID {1}.",
};

export class HttpError extends Error {
  readonly body: ApiErrorBody;
  constructor(
    readonly status: number,
    code: number,
    description: string,
    data: unknown[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.body = { code, description, data, source: "PartnerFD" };
  }
}

export function badRequest(code: number, description: string, data: unknown[] = []): HttpError {
  return new HttpError(400, code, description, data);
}

export function notFound(what: string, code: number = ErrorCode.notFound): HttpError {
  return new HttpError(404, code, `${what} was not found.`);
}

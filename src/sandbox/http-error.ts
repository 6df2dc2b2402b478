/**
 * Errors a handler answers with. Codes follow Partner Center's published error-code table
 * where one fits; the ones marked "sandbox" are our own choice (documented in docs/sandbox.md).
 */
import type { ApiErrorBody } from "../partner-center/types.js";

export const ErrorCode = {
  /** 401: "Access denied" in the published table. */
  accessDenied: 400,
  notFound: 1000,
  /** 403 "Access denied" (the credential lacks the role). */
  forbidden: 2032,
  quantityOnSuspended: 2001,
  /** sandbox: quantity would drop below the licenses assigned. */
  quantityBelowAssigned: 2002,
  etagInvalid: 2055,
  /** Published as 403; the sandbox answers 400 (see docs/sandbox.md). */
  offerNotAvailable: 2091,
  invalidProperty: 3000,
  licenseQuotaExceeded: 60012,
  /** sandbox: removing a license the user does not hold. */
  licenseNotAssigned: 60013,
  invalidInput: 400056,
} as const;

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

export function notFound(what: string): HttpError {
  return new HttpError(404, ErrorCode.notFound, `${what} was not found.`);
}

/**
 * Errors the sandbox's Graph side answers with, in Graph's shape (reference: "Microsoft Graph
 * error responses and resource types"): `{ error: { code, message, innerError: { date,
 * request-id, client-request-id } } }`. Codes are Graph's own (`Authorization_RequestDenied`,
 * `Request_ResourceNotFound`, `TooManyRequests`…).
 */

export interface GraphErrorBody {
  error: { code: string; message: string; innerError: Record<string, string> };
}

export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(requestId: string, clientRequestId: string | undefined, date: string): GraphErrorBody {
    const innerError: Record<string, string> = { date, "request-id": requestId };
    if (clientRequestId !== undefined) innerError["client-request-id"] = clientRequestId;
    return { error: { code: this.code, message: this.message, innerError } };
  }
}

export const graphBadRequest = (message: string, code = "Request_BadRequest"): GraphHttpError => new GraphHttpError(400, code, message);

export const graphNotFound = (message: string): GraphHttpError => new GraphHttpError(404, "Request_ResourceNotFound", message);

/** What Graph answers a call the token's roles do not allow (user-assignlicense, user-list: "Insufficient privileges"). */
export const insufficientPrivileges = (): GraphHttpError =>
  new GraphHttpError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

/** 401 with the reason, as Graph words token failures ("Access token validation failure. Invalid audience."). */
export const invalidToken = (reason: string): GraphHttpError =>
  new GraphHttpError(401, "InvalidAuthenticationToken", reason, { "WWW-Authenticate": 'Bearer realm="", error="invalid_token"' });

/** The throttling page's 429: `TooManyRequests` with a Retry-After in seconds. */
export const tooManyRequests = (retryAfterSec: number): GraphHttpError =>
  new GraphHttpError(429, "TooManyRequests", "Too many requests. Please try again later.", { "Retry-After": String(retryAfterSec) });

/**
 * Partner Center on the HTTP layer (src/http/transport.ts): its headers (MS-CorrelationId,
 * MS-RequestId, X-Locale, MS-PartnerCenter-Application), and its answers as results or typed
 * Partner Center errors: a 2xx body parsed as JSON, anything else after the layer's retries a
 * `PartnerCenterError` naming the call, the status, Partner Center's code and the request ids.
 */
import { PcplanError } from "../errors.js";
import { parseJsonBody, type ResponseHeaders } from "../http/attempt.js";
import { formatSeconds, TransportError, type Exchange, type RequestSpec, type Transport } from "../http/transport.js";
import { AuthenticationError, BadResponseError, NetworkError, PC_ERROR_CODES, ThrottledError, errorForResponse, parseErrorBody } from "./errors.js";
import type { ClientStats } from "./events.js";

export { LONG_WAIT_MS, MAX_WAIT_MS, type RequestSpec, type TokenProvider } from "../http/transport.js";

export interface TransportResponse {
  status: number;
  headers: ResponseHeaders;
  json: unknown;
  requestId: string;
  /** Size of the body as read (UTF-16 code units of its text). */
  size: number;
}

/**
 * The headers Partner Center's reference asks for on every request (learn.microsoft.com/partner-center/developer/headers):
 * `MS-Contract-Version` is marked required ("usually api-version: v1").
 */
export function partnerCenterHeaders(correlationId: string, locale: string, applicationName: string): (requestId: string) => Record<string, string> {
  return (requestId) => ({
    "MS-CorrelationId": correlationId,
    "MS-RequestId": requestId,
    "MS-Contract-Version": "v1",
    "X-Locale": locale,
    "MS-PartnerCenter-Application": applicationName,
  });
}

interface FailureFacts {
  method: string;
  path: string;
  requestId: string;
  correlationId: string;
  attempts: number;
}

export class PartnerCenterTransport {
  constructor(
    private readonly http: Transport,
    /** The longest Retry-After waited out (the layer's policy), for the message when one is longer. */
    private readonly maxWaitMs: number,
  ) {}

  get correlationId(): string {
    return this.http.correlationId;
  }

  stats(): ClientStats {
    return this.http.stats();
  }

  expect(url: URL, requests: number): void {
    this.http.expect(url, requests);
  }

  /** One logical call: 2xx → the parsed body; otherwise the typed Partner Center error. */
  async request(spec: RequestSpec): Promise<TransportResponse> {
    const { res, requestId, failure } = await this.settle(spec);
    const parsed = parseJsonBody(res.text);
    if (!parsed.ok) throw new BadResponseError({ status: res.status, description: `response is not JSON (${parsed.error})`, ...failure });
    return { status: res.status, headers: res.headers, json: parsed.value, requestId, size: res.text.length };
  }

  /** One logical call whose answer is a file (a price sheet's CSV): 2xx → its text; otherwise the typed Partner Center error. */
  async requestText(spec: RequestSpec): Promise<{ status: number; text: string; requestId: string }> {
    const { res, requestId } = await this.settle(spec);
    return { status: res.status, text: res.text, requestId };
  }

  /** The 2xx exchange of one call, after the layer's retries; anything else as a typed error. */
  private async settle(spec: RequestSpec): Promise<Exchange & { failure: FailureFacts }> {
    let exchange: Exchange;
    try {
      exchange = await this.http.exchange(spec);
    } catch (err) {
      throw err instanceof TransportError ? partnerCenterFailure(err) : err;
    }
    const { res, requestId, attempts, retryAfterMs } = exchange;
    const { status } = res;
    const failure = { method: spec.method, path: spec.url.pathname, requestId, correlationId: this.correlationId, attempts };
    if (status >= 200 && status < 300) return { ...exchange, failure };
    const err = parseErrorBody(res.text);
    if (status === 429 && retryAfterMs !== undefined && retryAfterMs > this.maxWaitMs) {
      const said = err.description ? ` (${err.description})` : "";
      const description = `Partner Center asked to retry after ${formatSeconds(retryAfterMs)}, longer than the ${formatSeconds(this.maxWaitMs)} pcplan waits at most${said}`;
      throw new ThrottledError({ status: 429, description, ...failure });
    }
    throw errorForResponse({ status, pcCode: err.pcCode, description: err.description ?? (res.statusText || `HTTP ${status}`), ...failure });
  }
}

/** A failure without an answer, as Partner Center's typed error. */
function partnerCenterFailure(err: TransportError): Error {
  const { description, request } = err;
  switch (err.failure) {
    case "network":
      return new NetworkError({ description, ...request, cause: err.cause });
    case "body-too-large":
      return new BadResponseError({ status: 200, description, ...request });
    case "no-token":
      return new PcplanError(PC_ERROR_CODES.credentials, description, true, { cause: err.cause });
    case "empty-token":
      return new AuthenticationError({
        description,
        method: request.method,
        path: request.path,
        requestId: request.requestId,
        correlationId: request.correlationId,
      });
  }
}

/**
 * The Graph SDK's terminal middleware: instead of the SDK's own chain (authentication, retry,
 * redirect, telemetry, fetch), every request the SDK builds — a call, the next page of a
 * `PageIterator`, a `$batch` — is sent through pcplan's HTTP layer (`GraphHttp`). What stays
 * with the SDK: building URLs and query options, paging, `$batch` assembly and reading Graph's
 * error shape into a `GraphError`. A page whose shape is not what the caller expects (middleware
 * option `ExpectAnswer`) becomes a Graph-shaped error the caller turns into
 * `GraphInvalidResponseError`, so pages the SDK fetches by itself are checked too.
 */
import { GraphClientError, type Context, type Middleware, type MiddlewareOptions } from "@microsoft/microsoft-graph-client";
import type { HttpMethod } from "../partner-center/http.js";
import type { GraphHttp } from "./http.js";
import { checkGraph, type GraphAnswerKind } from "./response-schemas.js";

/** Graph error code of a page that failed its schema check (ours; never sent by Graph). */
export const INVALID_ANSWER_CODE = "pcplanInvalidAnswer";

/** Which schema a request's 2xx answer must fit (passed per request, kept for follow-up pages). */
export class ExpectAnswer implements MiddlewareOptions {
  constructor(readonly kind: GraphAnswerKind) {}
}

/**
 * A failure of pcplan's own layer (a refused token, the network, a foreign origin). The SDK
 * passes its own client errors through untouched (it wraps anything else into a GraphError),
 * so the original travels inside one.
 */
export class LayerFailure extends GraphClientError {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
    this.name = "LayerFailure";
  }
}

export class LayerMiddleware implements Middleware {
  constructor(
    private readonly http: GraphHttp,
    private readonly tenant: string,
    /** Only this origin is sent to: a `@odata.nextLink` elsewhere would carry the tenant's token off. */
    private readonly origin: string,
  ) {}

  async execute(context: Context): Promise<void> {
    // RequestInfo is a DOM type the SDK declares; in Node it is a URL string or a Request.
    const request = context.request as unknown as string | { url: string };
    const href = typeof request === "string" ? request : request.url;
    const url = new URL(href);
    if (url.origin !== this.origin)
      throw new LayerFailure(new Error(`refusing to send a Graph request to ${url.origin}: only ${this.origin} is the configured Graph endpoint`));
    const options = context.options ?? {};
    const headers: Record<string, string> = {};
    new Headers(options.headers).forEach((v, k) => (headers[k] = v));
    delete headers.authorization;
    const body = typeof options.body === "string" ? options.body : undefined;
    const method = (options.method ?? "GET").toUpperCase() as HttpMethod;
    let answer;
    try {
      answer = await this.http.send({ tenant: this.tenant, method, url, headers, ...(body !== undefined ? { body } : {}) });
    } catch (err) {
      throw new LayerFailure(err);
    }
    const expect = context.middlewareControl?.getMiddlewareOptions(ExpectAnswer) as ExpectAnswer | undefined;
    if (expect && answer.status >= 200 && answer.status < 300) {
      const problems = problemsOf(expect.kind, answer.text);
      if (problems.length > 0) {
        const errorBody = JSON.stringify({ error: { code: INVALID_ANSWER_CODE, message: problems.join("; "), innerError: { kind: expect.kind } } });
        context.response = new Response(errorBody, { status: 502, headers: { "Content-Type": "application/json" } });
        return;
      }
    }
    const noBody = answer.status === 204 || answer.status === 304;
    context.response = new Response(noBody ? null : answer.text, { status: answer.status, headers: answer.headers });
  }
}

function problemsOf(kind: GraphAnswerKind, text: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return ["(the answer): not JSON"];
  }
  const checked = checkGraph(kind, json);
  return checked.ok ? [] : checked.problems;
}

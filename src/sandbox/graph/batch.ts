/**
 * `POST /$batch` (reference json-batching): up to 20 requests, each run on its own through the
 * same routes, roles and per-tenant limit as a plain request, so each can fail on its own
 * (a `429` with `Retry-After` included, as the throttling page says batch members are throttled
 * individually). Answered `200` with `responses` in another order than asked: clients must
 * match them by id.
 */
import type { Take } from "../faults.js";
import type { GraphAnswer, GraphCall } from "./context.js";
import { GraphHttpError, graphBadRequest, tooManyRequests } from "./graph-error.js";
import { routeGraph } from "./routes.js";

export const MAX_BATCH = 20;

interface SubRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export type TenantLimit = (tenant: string) => Take;

function parseRequests(body: unknown): SubRequest[] {
  const requests = typeof body === "object" && body !== null ? (body as { requests?: unknown }).requests : undefined;
  if (!Array.isArray(requests) || requests.length === 0)
    throw graphBadRequest("Invalid batch payload format: a non-empty 'requests' array is required.", "BadRequest");
  if (requests.length > MAX_BATCH) throw graphBadRequest(`Invalid batch payload format: more than ${MAX_BATCH} requests (${requests.length}).`, "BadRequest");
  const seen = new Set<string>();
  return requests.map((r: unknown, i) => {
    const o = (typeof r === "object" && r !== null ? r : {}) as Record<string, unknown>;
    const { id, method, url } = o;
    if (typeof id !== "string" || id === "" || typeof method !== "string" || typeof url !== "string") {
      throw graphBadRequest(`Invalid batch payload format: requests[${i}] needs id, method and url.`, "BadRequest");
    }
    if (seen.has(id)) throw graphBadRequest(`Invalid batch payload format: request id '${id}' is used twice.`, "BadRequest");
    seen.add(id);
    const headers = typeof o.headers === "object" && o.headers !== null ? (o.headers as Record<string, string>) : {};
    return { id, method: method.toUpperCase(), url, headers, body: o.body };
  });
}

export function runBatch(call: Omit<GraphCall, "params">, limit: TenantLimit, errorBody: (e: GraphHttpError) => unknown): GraphAnswer {
  const requests = parseRequests(call.body);
  const responses = requests.map((r) => {
    const json = { "Content-Type": "application/json" };
    try {
      const t = limit(call.tenant);
      if (!t.ok) throw tooManyRequests(t.retryAfterSec);
      const url = new URL(r.url.startsWith("/") ? r.url : `/${r.url}`, "https://batch");
      const lower = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      const answer = routeGraph({
        ...call,
        method: r.method,
        path: url.pathname,
        query: url.searchParams,
        header: (name) => lower[name.toLowerCase()],
        body: r.body,
      });
      return { id: r.id, status: answer.status, headers: { ...json, ...answer.headers }, body: answer.body };
    } catch (err) {
      if (!(err instanceof GraphHttpError)) throw err;
      return { id: r.id, status: err.status, headers: { ...json, ...err.headers }, body: errorBody(err) };
    }
  });
  return { status: 200, body: { responses: responses.reverse() } };
}

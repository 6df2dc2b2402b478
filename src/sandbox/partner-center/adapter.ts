/**
 * Partner Center on the shared pipeline: limited partner-wide, then per customer for calls below
 * `/v1/customers/{id}/` (as the service limits some calls per partner and customer tenant);
 * then bearer auth (401) → route → agent or GDAP role (404/405/403) → `MS-RequestId` replay or
 * the handler. Errors in Partner Center's shape (`{ code, description, data, source }`); a
 * throttled call gets its own body (`{ statusCode: 429, message }`).
 */
import { authenticate, authorize } from "../auth.js";
import { readJsonBody } from "../body.js";
import type { SandboxCore } from "../core.js";
import { ErrorCode, HttpError } from "../http-error.js";
import { idempotencyKey } from "../idempotency.js";
import type { ApiAdapter, Exchange, Outcome, Reply } from "../pipeline.js";
import { isPriceSheetPath, priceSheetReply } from "./price-sheets.js";
import { matchRoute } from "./routes.js";

export interface Paging {
  defaultSize: number;
  maxSize: number;
}

/** The customer a call is limited under: calls below `/v1/customers/{id}/`. */
export function customerOfPath(pathname: string): string | undefined {
  const m = /^\/v1\/customers\/([^/]+)\/./i.exec(pathname);
  return m?.[1]?.toLowerCase();
}

const errorReply = (e: HttpError): Reply => ({ status: e.status, body: e.body, headers: e.headers });

export function partnerCenterAdapter(core: SandboxCore, paging: Paging, priceSheet: string | null = null): ApiAdapter {
  return {
    tag: (x) => {
      const requestId = x.header("ms-requestid");
      const correlationId = x.header("ms-correlationid");
      return { ...(requestId !== undefined ? { requestId } : {}), ...(correlationId !== undefined ? { correlationId } : {}) };
    },
    faults: () => core.faults,
    admit(x) {
      const customer = customerOfPath(x.url.pathname);
      if (customer !== undefined) x.entry.customerId = customer;
      return { take: () => core.partnerCenterLimits.take(customer), run: () => run(core, paging, x, priceSheet) };
    },
    throttled: (_x, sec) => ({
      status: 429,
      body: { statusCode: 429, message: `Rate limit is exceeded. Try again in ${sec} seconds.` },
      headers: { "Retry-After": String(sec) },
    }),
    serverError: (_x, status) =>
      errorReply(
        new HttpError(status, status, status === 503 ? "The service is temporarily unavailable. Please retry." : "An internal error occurred. Please retry."),
      ),
    failed: (_x, err) =>
      errorReply(err instanceof HttpError ? err : new HttpError(500, 500, `Sandbox internal error: ${err instanceof Error ? err.message : String(err)}`)),
  };
}

async function run(core: SandboxCore, paging: Paging, x: Exchange, priceSheet: string | null): Promise<Outcome> {
  const caller = authenticate(x.header("authorization"), core.state.world.credentials, core.signer);
  x.entry.role = caller.appOnly ? `${caller.cred.role} (app-only)` : caller.cred.role;
  const { pathname } = x.url;
  if (x.method === "GET" && isPriceSheetPath(pathname)) {
    authorize(caller, "prices", "Get a price sheet");
    return priceSheetReply(priceSheet, pathname, x.url.searchParams);
  }
  const match = /^\/v1(\/|$)/i.test(pathname) ? matchRoute(x.method, pathname.replace(/^\/v1(?=\/|$)/i, "")) : undefined;
  if (!match) throw new HttpError(404, ErrorCode.notFound, `No such resource: ${x.method} ${pathname}`);
  if ("methodNotAllowed" in match) throw new HttpError(405, ErrorCode.invalidInput, `${x.method} is not supported on ${pathname}`);
  const { route, params } = match;
  if (params.customerId !== undefined) x.entry.customerId = params.customerId;
  authorize(caller, route.access, route.operation, params.customerId);

  const requestId = x.entry.requestId;
  const key = x.entry.write && requestId !== undefined ? idempotencyKey(requestId, route.method, pathname) : undefined;
  const stored = key !== undefined ? core.state.world.idempotency[key] : undefined;
  if (stored) {
    x.entry.replayed = true;
    return { status: stored.status, body: stored.body, replayed: true };
  }
  const token = x.header("ms-continuationtoken");
  const result = route.handle({
    state: core.state,
    clock: core.clock,
    params,
    query: x.url.searchParams,
    header: x.header,
    body: x.entry.write ? await readJsonBody(x.req) : undefined,
    ...(token !== undefined ? { continuationToken: token } : {}),
    paging,
    delays: core.delays,
    record: (change) => core.record(requestId !== undefined ? { ...change, requestId } : change),
  });
  if (key === undefined || result.status >= 300) return result;
  core.state.world.idempotency[key] = { status: result.status, body: result.body };
  return { ...result, dirty: true };
}

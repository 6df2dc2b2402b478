/**
 * Microsoft Graph below `/v1.0` and the identity endpoints MSAL calls
 * (`/{tenant}/v2.0/.well-known/openid-configuration`, `/{tenant}/oauth2/v2.0/token`), on the
 * shared pipeline over HTTPS. Identity requests are neither authenticated nor limited. A Graph
 * request's token (signature, expiry, audience, tenant) is checked first, since it names the
 * tenant the call is limited under: per app across tenants, then per app per tenant (429
 * Retry-After); each `$batch` member is limited on its own. Errors in Graph's shape, with the
 * `request-id` every Graph answer carries.
 */
import { randomUUID } from "node:crypto";
import { readBodyText } from "../body.js";
import type { SandboxCore } from "../core.js";
import type { Admitted, ApiAdapter, Exchange, Outcome, Reply } from "../pipeline.js";
import type { FixtureCredential } from "../types.js";
import { runBatch } from "./batch.js";
import type { GraphAnswer, GraphCall, GraphPrincipal } from "./context.js";
import { GraphHttpError, graphBadRequest, invalidToken, tooManyRequests } from "./graph-error.js";
import { identityRoute, issueToken, openIdConfiguration, type IdentityContext } from "./identity.js";
import { routeGraph } from "./routes.js";
import { GRAPH_APP_ID, GRAPH_RESOURCE, type TokenSigner } from "../tokens.js";

/** A `$batch` of 20 assignLicense bodies is a few KiB; this leaves room without reading anything huge. */
const MAX_GRAPH_BODY_BYTES = 4_000_000;

function graphReply(x: Exchange, e: GraphHttpError): Reply {
  const clientRequestId = x.header("client-request-id");
  const echo: Record<string, string> = clientRequestId !== undefined ? { "client-request-id": clientRequestId } : {};
  return { status: e.status, body: e.body(x.id, clientRequestId, new Date().toISOString()), headers: { "request-id": x.id, ...echo, ...e.headers } };
}

/** `origin` is the listener's `https://127.0.0.1:port`, known once it listens. */
export function graphAdapter(core: SandboxCore, origin: () => string): ApiAdapter {
  const { signer } = core;
  return {
    tag: (x) => {
      const clientRequestId = x.header("client-request-id");
      return { api: "graph", ...(clientRequestId !== undefined ? { requestId: clientRequestId } : {}) };
    },
    faults: () => ({ latencyMs: core.faults.latencyMs, faultRate: 0, lostResponseRate: core.faults.lostResponseRate }),
    admit: (x) => {
      const identity = identityRoute(x.url.pathname);
      if (!identity) return admitGraph(core, signer, origin(), x);
      x.entry.api = "identity";
      x.entry.customerId = identity.tenant;
      const ctx: IdentityContext = { state: core.state, signer, origin: origin() };
      return {
        run: async (): Promise<Outcome> => {
          const text = x.method === "POST" ? ((await readBodyText(x.req, 64_000)) ?? "") : "";
          const a = identity.kind === "openid" ? openIdConfiguration(ctx, identity.tenant) : issueToken(ctx, identity.tenant, new URLSearchParams(text));
          return { ...a, headers: { "Cache-Control": "no-store" } };
        },
      };
    },
    throttled: (x, sec) => graphReply(x, tooManyRequests(sec)),
    serverError: (x, status) =>
      graphReply(x, new GraphHttpError(status, status === 503 ? "serviceNotAvailable" : "generalException", "The service is temporarily unavailable.")),
    failed: (x, err) =>
      graphReply(
        x,
        err instanceof GraphHttpError
          ? err
          : new GraphHttpError(500, "generalException", `Sandbox internal error: ${err instanceof Error ? err.message : String(err)}`),
      ),
  };
}

function credentialOf(
  core: SandboxCore,
  signer: TokenSigner,
  authorization: string | undefined,
): { cred: FixtureCredential; tenant: string; principal: GraphPrincipal } {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!m?.[1]) throw invalidToken("Access token is empty.");
  const v = signer.verify(m[1]);
  if (!v.ok) throw invalidToken(v.reason);
  const { aud, tid, appid, idtyp, roles } = v.claims;
  if (aud !== GRAPH_RESOURCE && aud !== GRAPH_APP_ID) throw invalidToken("Access token validation failure. Invalid audience.");
  const known = tid === core.state.world.partner.id.toLowerCase() || core.state.customer(tid) !== undefined;
  const cred = core.state.world.credentials.find((c) => c.clientId?.toLowerCase() === appid);
  if (!known || !cred) throw invalidToken("Access token validation failure. Invalid tenant or application.");
  return { cred, tenant: tid, principal: idtyp === "app" ? { kind: "app", roles: roles ?? [] } : { kind: "user" } };
}

function admitGraph(core: SandboxCore, signer: TokenSigner, origin: string, x: Exchange): Admitted {
  if (!/^\/v1\.0(\/|$)/i.test(x.url.pathname)) throw graphBadRequest(`Invalid version: ${x.url.pathname.split("/")[1] ?? ""}`, "BadRequest");
  const { cred, tenant, principal } = credentialOf(core, signer, x.header("authorization"));
  x.entry.role = cred.role;
  x.entry.customerId = tenant;
  const path = x.url.pathname.replace(/^\/v1\.0/i, "") || "/";
  const batch = /^\/\$batch$/i.test(path) && x.method === "POST";
  const call = { state: core.state, tenant, cred, principal, origin, method: x.method, path, query: x.url.searchParams, header: x.header, record: core.record };
  return {
    // A batch as a whole is not limited: each member is (runBatch).
    ...(batch ? {} : { take: () => core.graphLimits.take(tenant) }),
    run: async (): Promise<Outcome> => {
      const full = {
        ...call,
        body: await readBody(x),
        refusedUsers: core.faults.refusedUsers,
        nowMs: core.clock.nowMs(),
        groupProcessingMs: core.delays.groupProcessingMs,
      };
      const a = batch ? runBatchOf(core, full) : routeGraph(full);
      return { ...a, headers: { "request-id": x.id, ...a.headers } };
    },
  };
}

function runBatchOf(core: SandboxCore, call: Omit<GraphCall, "params">): GraphAnswer {
  return runBatch(
    call,
    (tenant) => {
      const t = core.graphLimits.take(tenant);
      if (!t.ok)
        core.log({
          time: core.clock.iso(),
          method: "POST",
          path: "/v1.0/$batch (member)",
          status: 429,
          customerId: tenant,
          write: true,
          fault: "429",
          api: "graph",
        });
      return t;
    },
    (e) => e.body(randomUUID(), undefined, new Date().toISOString()),
  );
}

async function readBody(x: Exchange): Promise<unknown> {
  if (!x.entry.write) return undefined;
  const text = await readBodyText(x.req, MAX_GRAPH_BODY_BYTES);
  if (text === undefined) throw new GraphHttpError(413, "Request_EntityTooLarge", "The request body is too large.");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw graphBadRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
  }
}

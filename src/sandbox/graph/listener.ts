/**
 * The sandbox's HTTPS listener: Microsoft Graph below `/v1.0` and the identity endpoints MSAL
 * calls (`/{tenant}/v2.0/.well-known/openid-configuration`, `/{tenant}/oauth2/v2.0/token`), on
 * their own port with the fixed test certificate (fixtures/sandbox-tls/). Per request: latency
 * → identity or Graph; for Graph: token (signature, expiry, audience, tenant) → the app's and
 * the tenant's rate limits (429 Retry-After; each `$batch` member on its own) → route, tenant and roles →
 * handler → persist → (committed writes) lost-response fault.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { readBodyText } from "../body.js";
import type { Clock } from "../clock.js";
import { TokenBucket, type FaultDice } from "../faults.js";
import type { WorldState } from "../state.js";
import type { FixtureCredential, NewStateChange, RequestLogEntry } from "../types.js";
import { runBatch } from "./batch.js";
import type { GraphAnswer, GraphCall } from "./context.js";
import { GraphHttpError, graphBadRequest, invalidToken, tooManyRequests } from "./graph-error.js";
import { identityRoute, issueToken, openIdConfiguration } from "./identity.js";
import { isGraphWrite, routeGraph } from "./routes.js";
import { sandboxTls } from "./tls.js";
import { GRAPH_APP_ID, GRAPH_RESOURCE, TokenSigner } from "./tokens.js";

/** A `$batch` of 20 assignLicense bodies is a few KiB; this leaves room without reading anything huge. */
const MAX_GRAPH_BODY_BYTES = 4_000_000;

export interface GraphListenerOptions {
  state: WorldState;
  clock: Clock;
  port?: number;
  dice: FaultDice;
  /** Read on every request, so `setFaults` takes effect at once. */
  settings: () => { latencyMs: number; rateLimit: number; rateLimitTenant: number; lostResponseRate: number; refusedUsers: ReadonlySet<string> };
  /** Adds an entry to the sandbox's request log (it numbers it). */
  log(entry: Omit<RequestLogEntry, "seq">): RequestLogEntry;
  record: (change: NewStateChange) => void;
  /** Writes the world out if anything changed since the last call (no-op without a state file). */
  persist(): Promise<void>;
  changeCount(): number;
  /** Clock-driven changes due by now (provisioning, deprovisioning…); true when any happened. */
  advance(): boolean;
}

export interface GraphListener {
  /** `https://127.0.0.1:port`: the Graph endpoint (without `/v1.0`) and the authority host. */
  origin: string;
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export async function startGraphListener(o: GraphListenerOptions): Promise<GraphListener> {
  const signer = new TokenSigner();
  const buckets = new Map<string, { rate: number; bucket: TokenBucket }>();
  let origin = "";

  let global: { rate: number; bucket: TokenBucket } | undefined;
  /** Graph's limits: per app across all tenants, then per app per tenant (throttling page). */
  const limit = (tenant: string): { ok: true } | { ok: false; retryAfterSec: number } => {
    const { rateLimit, rateLimitTenant } = o.settings();
    if (rateLimit > 0) {
      if (global?.rate !== rateLimit) global = { rate: rateLimit, bucket: new TokenBucket(rateLimit) };
      const t = global.bucket.take();
      if (!t.ok) return t;
    }
    if (!(rateLimitTenant > 0)) return { ok: true };
    let b = buckets.get(tenant);
    if (!b || b.rate !== rateLimitTenant) buckets.set(tenant, (b = { rate: rateLimitTenant, bucket: new TokenBucket(rateLimitTenant) }));
    return b.bucket.take();
  };

  const credentialOf = (authorization: string | undefined): { cred: FixtureCredential; tenant: string } => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (!m?.[1]) throw invalidToken("Access token is empty.");
    const v = signer.verify(m[1]);
    if (!v.ok) throw invalidToken(v.reason);
    const { aud, tid, appid } = v.claims;
    if (aud !== GRAPH_RESOURCE && aud !== GRAPH_APP_ID) throw invalidToken("Access token validation failure. Invalid audience.");
    const known = tid === o.state.world.partner.id.toLowerCase() || o.state.customer(tid) !== undefined;
    const cred = o.state.world.credentials.find((c) => c.clientId?.toLowerCase() === appid);
    if (!known || !cred) throw invalidToken("Access token validation failure. Invalid tenant or application.");
    return { cred, tenant: tid };
  };

  async function handle(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry, requestId: string): Promise<void> {
    const { latencyMs, lostResponseRate, refusedUsers } = o.settings();
    if (latencyMs > 0) await sleep(latencyMs);
    const url = new URL(req.url ?? "/", origin);
    const method = req.method ?? "GET";

    const identity = identityRoute(url.pathname);
    if (identity) {
      entry.api = "identity";
      entry.customerId = identity.tenant;
      const text = method === "POST" ? ((await readBodyText(req, 64_000)) ?? "") : "";
      const answer =
        identity.kind === "openid"
          ? openIdConfiguration({ state: o.state, signer, origin }, identity.tenant)
          : issueToken({ state: o.state, signer, origin }, identity.tenant, new URLSearchParams(text));
      entry.status = answer.status;
      return send(res, answer.status, answer.body, { "Cache-Control": "no-store" });
    }

    if (!/^\/v1\.0(\/|$)/i.test(url.pathname)) throw graphBadRequest(`Invalid version: ${url.pathname.split("/")[1] ?? ""}`, "BadRequest");
    const { cred, tenant } = credentialOf(header(req, "authorization"));
    entry.role = cred.role;
    entry.customerId = tenant;
    const path = decodeURIComponent(url.pathname.replace(/^\/v1\.0/i, "")) || "/";
    const text = isGraphWrite(method) ? await readBodyText(req, MAX_GRAPH_BODY_BYTES) : "";
    if (text === undefined) throw new GraphHttpError(413, "Request_EntityTooLarge", "The request body is too large.");
    let body: unknown;
    try {
      body = text.trim() === "" ? undefined : JSON.parse(text);
    } catch {
      throw graphBadRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
    }
    const dirty = o.advance();
    const before = o.changeCount();
    const call: Omit<GraphCall, "params"> = {
      state: o.state,
      tenant,
      cred,
      origin,
      method,
      path,
      query: url.searchParams,
      header: (name) => header(req, name.toLowerCase()),
      body,
      record: o.record,
      refusedUsers,
    };
    let answer: GraphAnswer;
    if (/^\/\$batch$/i.test(path) && method === "POST") {
      answer = runBatch(
        call,
        (t) => {
          const r = limit(t);
          if (!r.ok)
            o.log({ time: o.clock.iso(), method: "POST", path: "/v1.0/$batch (member)", status: 429, customerId: t, write: true, fault: "429", api: "graph" });
          return r;
        },
        (e) => e.body(randomUUID(), undefined, new Date().toISOString()),
      );
    } else {
      const t = limit(tenant);
      if (!t.ok) {
        entry.fault = "429";
        throw tooManyRequests(t.retryAfterSec);
      }
      answer = routeGraph(call);
    }
    const committed = o.changeCount() > before;
    if (committed || dirty) await o.persist();
    entry.status = answer.status;
    if (committed && o.dice.roll(lostResponseRate)) {
      entry.fault = "lost";
      req.socket.destroy();
      return;
    }
    send(res, answer.status, answer.body, { "request-id": requestId, ...answer.headers });
  }

  const { cert, key } = sandboxTls();
  const server: Server = createServer({ cert, key }, (req, res) => {
    const requestId = randomUUID();
    const clientRequestId = header(req, "client-request-id");
    const entry = o.log({
      time: o.clock.iso(),
      method: req.method ?? "GET",
      path: (req.url ?? "/").split("?")[0] ?? "/",
      status: 0,
      write: isGraphWrite(req.method ?? "GET"),
      api: "graph",
      ...(clientRequestId !== undefined ? { requestId: clientRequestId } : {}),
    });
    handle(req, res, entry, requestId).catch((err: unknown) => {
      const e =
        err instanceof GraphHttpError
          ? err
          : new GraphHttpError(500, "generalException", `Sandbox internal error: ${err instanceof Error ? err.message : String(err)}`);
      entry.status = e.status;
      const echo: Record<string, string> = clientRequestId !== undefined ? { "client-request-id": clientRequestId } : {};
      if (!res.headersSent && !res.destroyed)
        send(res, e.status, e.body(requestId, clientRequestId, new Date().toISOString()), { "request-id": requestId, ...echo, ...e.headers });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  origin = `https://127.0.0.1:${port}`;
  return {
    origin,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

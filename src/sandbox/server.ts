/**
 * The HTTP server. Per request, in this order: latency → rate limit, then the customer's rate
 * limit (429) → 5xx fault →
 * auth (401) → route + role (404/403) → idempotent replay or handler → persist →
 * (committed writes only) lost-response fault. Faults are seeded, so runs repeat.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { authenticate, authorize } from "./auth.js";
import { readJsonBody } from "./body.js";
import { Clock } from "./clock.js";
import { CustomerBuckets, FaultDice, TokenBucket, customerOfPath } from "./faults.js";
import { fixtureReferenceErrors } from "./fixture.js";
import { ErrorCode, HttpError } from "./http-error.js";
import { idempotencyKey } from "./idempotency.js";
import { Persister, loadState } from "./persist.js";
import { matchRoute, type HandlerResult } from "./router.js";
import { advanceWorld, nextDueAt } from "./lifecycle.js";
import { WorldState } from "./state.js";
import { worldFromFixture } from "./world-from-fixture.js";
import { startGraphListener } from "./graph/listener.js";
import { SANDBOX_CERT_PATH } from "./graph/tls.js";
import type { CommerceDelays, FaultSettings, NewStateChange, RequestLogEntry, SandboxHandle, SandboxOptions, SandboxWorld, StateChange } from "./types.js";
import { PcplanError } from "../errors.js";

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

async function initialWorld(opts: SandboxOptions, seed: number): Promise<SandboxWorld> {
  const saved = opts.statePath !== undefined ? await loadState(opts.statePath) : undefined;
  if (saved) return saved;
  const errors = fixtureReferenceErrors(opts.fixture);
  if (errors.length > 0) throw new PcplanError("SANDBOX_FIXTURE_INVALID", `invalid sandbox fixture:\n  ${errors.join("\n  ")}`);
  return worldFromFixture(opts.fixture, seed);
}

export async function startSandbox(opts: SandboxOptions): Promise<SandboxHandle> {
  const seed = opts.seed ?? 1;
  const state = new WorldState(await initialWorld(opts, seed));
  const clock = new Clock(opts.clock);
  const dice = new FaultDice(seed);
  const paging = { defaultSize: opts.defaultPageSize ?? 5, maxSize: opts.maxPageSize ?? 500 };
  const faults: Required<FaultSettings> = {
    faultRate: opts.faultRate ?? 0,
    lostResponseRate: opts.lostResponseRate ?? 0,
    rateLimit: opts.rateLimit ?? 0,
    rateLimitCustomer: opts.rateLimitCustomer ?? 0,
    latencyMs: opts.latencyMs ?? 0,
    graphRateLimit: opts.graphRateLimit ?? 0,
    graphRateLimitTenant: opts.graphRateLimitTenant ?? 0,
    graphRefuseUsers: [],
  };
  let refusedUsers: ReadonlySet<string> = new Set();
  const delays: CommerceDelays = {
    provisioningMs: opts.provisioningDelayMs ?? 0,
    orderAppearanceMs: opts.orderAppearanceDelayMs ?? 0,
    transitionMs: opts.transitionDelayMs ?? 0,
  };
  let bucket = faults.rateLimit > 0 ? new TokenBucket(faults.rateLimit) : undefined;
  let customerBuckets = faults.rateLimitCustomer > 0 ? new CustomerBuckets(faults.rateLimitCustomer) : undefined;
  const persister = opts.statePath !== undefined ? new Persister(opts.statePath, () => JSON.stringify(state.world)) : undefined;
  const requestLog: RequestLogEntry[] = [];
  const changes: StateChange[] = [];
  let requestSeq = 0;

  const record = (c: NewStateChange): void => {
    changes.push({ ...c, seq: changes.length + 1 });
  };

  /**
   * Lazy clock-driven changes (provisioning, transitions, deprovisioning); returns whether
   * anything changed. The world is scanned only when something is due, or when a change since
   * the last scan may have made something due (a new order, a suspension, a transition).
   */
  let dueAt = Number.NEGATIVE_INFINITY;
  let changesSeen = -1;
  const advance = (): boolean => {
    const now = clock.nowMs();
    if (changes.length === changesSeen && now < dueAt) return false;
    const due = advanceWorld(state, now);
    due.forEach(record);
    dueAt = nextDueAt(state);
    changesSeen = changes.length;
    return due.length > 0;
  };

  // A fresh world is written at once, so a restart sees the same generated ids.
  if (persister) await persister.persist();

  async function handle(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry): Promise<void> {
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);

    // The partner-wide bucket first: a request it refuses never reaches the customer's.
    const customer = customerBuckets && customerOfPath((req.url ?? "/").split("?")[0] ?? "/");
    let t = bucket?.take();
    if ((!t || t.ok) && customer !== undefined) {
      entry.customerId = customer;
      t = customerBuckets?.take(customer);
    }
    if (t && !t.ok) {
      entry.status = 429;
      entry.fault = "429";
      const message = `Rate limit is exceeded. Try again in ${t.retryAfterSec} seconds.`;
      return send(res, 429, { statusCode: 429, message }, { "Retry-After": String(t.retryAfterSec) });
    }

    if (dice.roll(faults.faultRate)) {
      const status = dice.pick([500, 503]);
      entry.status = status;
      entry.fault = "5xx";
      const description = status === 503 ? "The service is temporarily unavailable. Please retry." : "An internal error occurred. Please retry.";
      return send(res, status, { code: status, description, data: [], source: "PartnerFD" });
    }

    const cred = authenticate(header(req, "authorization"), state.world.credentials);
    entry.role = cred.role;
    let dirty = advance();

    const url = new URL(req.url ?? "/", "http://sandbox");
    const path = url.pathname.replace(/^\/v1(?=\/|$)/i, "");
    const match = url.pathname.match(/^\/v1(\/|$)/i) ? matchRoute(req.method ?? "GET", path) : undefined;
    if (!match) throw new HttpError(404, ErrorCode.notFound, `No such resource: ${req.method} ${url.pathname}`);
    if ("methodNotAllowed" in match) throw new HttpError(405, ErrorCode.invalidInput, `${req.method} is not supported on ${url.pathname}`);
    const { route, params } = match;
    if (params.customerId !== undefined) entry.customerId = params.customerId;
    authorize(cred, route.access, route.operation, params.customerId);

    const requestId = entry.requestId;
    const key = entry.write && requestId !== undefined ? idempotencyKey(requestId, route.method, url.pathname) : undefined;
    const stored = key !== undefined ? state.world.idempotency[key] : undefined;
    if (stored) {
      if (persister) await persister.flush();
      entry.status = stored.status;
      entry.replayed = true;
      return send(res, stored.status, stored.body);
    }

    const body = entry.write ? await readJsonBody(req) : undefined;
    const before = changes.length;
    const token = header(req, "ms-continuationtoken");
    const result: HandlerResult = route.handle({
      state,
      clock,
      params,
      query: url.searchParams,
      header: (name) => header(req, name),
      body,
      ...(requestId !== undefined ? { requestId } : {}),
      ...(token !== undefined ? { continuationToken: token } : {}),
      paging,
      delays,
      record,
    });
    const committed = changes.length > before;
    if (key !== undefined && result.status < 300) {
      state.world.idempotency[key] = { status: result.status, body: result.body };
      dirty = true;
    }
    if ((dirty || committed) && persister) await persister.persist();
    entry.status = result.status;

    if (entry.write && committed && dice.roll(faults.lostResponseRate)) {
      // The change is committed and on disk; the client just never hears about it.
      entry.fault = "lost";
      req.socket.destroy();
      return;
    }
    send(res, result.status, result.body);
  }

  const server = createServer((req, res) => {
    const entry: RequestLogEntry = {
      seq: ++requestSeq,
      time: clock.iso(),
      method: req.method ?? "GET",
      path: (req.url ?? "/").split("?")[0] ?? "/",
      status: 0,
      write: req.method !== "GET" && req.method !== "HEAD",
    };
    const requestId = header(req, "ms-requestid");
    const correlationId = header(req, "ms-correlationid");
    if (requestId !== undefined) entry.requestId = requestId;
    if (correlationId !== undefined) entry.correlationId = correlationId;
    requestLog.push(entry);
    handle(req, res, entry).catch((err: unknown) => {
      const e = err instanceof HttpError ? err : new HttpError(500, 500, `Sandbox internal error: ${err instanceof Error ? err.message : String(err)}`);
      entry.status = e.status;
      if (!res.headersSent && !res.destroyed) send(res, e.status, e.body, e.headers);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  // Graph and the token endpoint, over the same world (a licence changed through one API is seen by the other).
  const graph = await startGraphListener({
    state,
    clock,
    port: opts.graphPort ?? 0,
    dice,
    settings: () => ({
      latencyMs: faults.latencyMs,
      rateLimit: faults.graphRateLimit,
      rateLimitTenant: faults.graphRateLimitTenant,
      lostResponseRate: faults.lostResponseRate,
      refusedUsers,
    }),
    log: (e) => {
      const entry: RequestLogEntry = { ...e, seq: ++requestSeq };
      requestLog.push(entry);
      return entry;
    },
    record,
    persist: () => persister?.persist() ?? Promise.resolve(),
    changeCount: () => changes.length,
    advance,
  }).catch(async (err: unknown) => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw err;
  });

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    graph: { endpoint: graph.origin, port: graph.port, caPath: SANDBOX_CERT_PATH },
    requestLog,
    changes,
    world: () => structuredClone(state.world),
    setClock(iso: string) {
      clock.set(iso);
      if (advance() && persister) void persister.persist().catch(() => undefined);
    },
    setDelays(d: Partial<CommerceDelays>) {
      if (d.provisioningMs !== undefined) delays.provisioningMs = d.provisioningMs;
      if (d.orderAppearanceMs !== undefined) delays.orderAppearanceMs = d.orderAppearanceMs;
      if (d.transitionMs !== undefined) delays.transitionMs = d.transitionMs;
    },
    setFaults(f: FaultSettings) {
      if (f.faultRate !== undefined) faults.faultRate = f.faultRate;
      if (f.lostResponseRate !== undefined) faults.lostResponseRate = f.lostResponseRate;
      if (f.latencyMs !== undefined) faults.latencyMs = f.latencyMs;
      if (f.graphRateLimit !== undefined) faults.graphRateLimit = f.graphRateLimit;
      if (f.graphRateLimitTenant !== undefined) faults.graphRateLimitTenant = f.graphRateLimitTenant;
      if (f.graphRefuseUsers !== undefined) refusedUsers = new Set(f.graphRefuseUsers.map((u) => u.toLowerCase()));
      if (f.rateLimit !== undefined) {
        faults.rateLimit = f.rateLimit;
        bucket = f.rateLimit > 0 ? new TokenBucket(f.rateLimit) : undefined;
      }
      if (f.rateLimitCustomer !== undefined) {
        faults.rateLimitCustomer = f.rateLimitCustomer;
        customerBuckets = f.rateLimitCustomer > 0 ? new CustomerBuckets(f.rateLimitCustomer) : undefined;
      }
    },
    async close() {
      await graph.close();
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      if (persister) await persister.flush();
    },
  };
}

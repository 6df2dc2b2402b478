/**
 * The one request pipeline both listeners run (Partner Center over HTTP, Graph and the identity
 * endpoints over HTTPS). Per request, in this order: log entry → latency → admission (the API's
 * own checks that must come first, e.g. Graph's token, which names the tenant to limit) → rate
 * limit (429) → 5xx fault → clock-driven changes → the API's handler → persist → (committed
 * writes only) lost-response fault → answer. What differs per API (auth, routes, the shape of
 * an error, what a request is limited under) is its adapter's; faults are seeded, so runs repeat.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Clock } from "./clock.js";
import type { FaultDice, Take } from "./faults.js";
import type { RequestLogEntry } from "./types.js";

/** An answer: status, JSON body and headers. */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** A file sent as is instead of a JSON body (a price sheet's CSV, `application/octet-stream`). */
  file?: string;
}

/** What a handler's answer tells the pipeline beyond the reply. */
export interface Outcome extends Reply {
  /** A stored answer given again (idempotent replay): wait for the write that stored it, change nothing. */
  replayed?: boolean;
  /** State changed that no change record shows (an idempotency record): persist it. */
  dirty?: boolean;
}

/** One request as the pipeline and its adapter see it. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly method: string;
  /** The request's URL on this listener (path and query). */
  readonly url: URL;
  readonly entry: RequestLogEntry;
  /** A fresh id per request (Graph answers it as `request-id`). */
  readonly id: string;
  /** A request header by lowercase name (first value when repeated). */
  readonly header: (name: string) => string | undefined;
}

/** An admitted request: how to limit it and how to answer it. */
export interface Admitted {
  /** Takes a token from the API's limiter for this request; absent: not limited as a whole. */
  take?: () => Take;
  run(): Outcome | Promise<Outcome>;
}

/** What one API adds to the shared pipeline. */
export interface ApiAdapter {
  /** Log fields known on arrival (which API, the client's request id). */
  tag(x: Exchange): Partial<RequestLogEntry>;
  /** Read on every request, so `setFaults` takes effect at once. */
  faults(): { latencyMs: number; faultRate: number; lostResponseRate: number };
  /** Checks that come before the rate limit; throws this API's errors. */
  admit(x: Exchange): Admitted;
  throttled(x: Exchange, retryAfterSec: number): Reply;
  serverError(x: Exchange, status: 500 | 503): Reply;
  /** Any error thrown on the way, in this API's shape (an unexpected one is a 500). */
  failed(x: Exchange, err: unknown): Reply;
}

/** What the pipeline shares between the listeners: the world's clock, dice, log and persistence. */
export interface PipelineCore {
  readonly clock: Clock;
  readonly dice: FaultDice;
  /** Adds an entry to the request log, numbered. */
  log(entry: Omit<RequestLogEntry, "seq">): RequestLogEntry;
  /** Clock-driven changes due by now; true when any happened. */
  advance(): boolean;
  changeCount(): number;
  /** Resolves once every change so far is on disk (no-op without a state file). */
  persist(): Promise<void>;
  /** Waits for writes already started. */
  flush(): Promise<void>;
}

export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function send(res: ServerResponse, r: Reply): void {
  // No body (a 204, as Graph's PATCH answers): nothing to write.
  const text = r.file ?? (r.body === undefined ? "" : JSON.stringify(r.body));
  const type = r.file !== undefined ? "application/octet-stream" : "application/json; charset=utf-8";
  res.writeHead(r.status, { "Content-Type": type, "Content-Length": Buffer.byteLength(text), ...r.headers });
  res.end(text);
}

/** The request listener running the pipeline with one adapter. */
export function pipeline(core: PipelineCore, api: ApiAdapter): RequestListener {
  return (req, res) => {
    const method = req.method ?? "GET";
    const entry = core.log({
      time: core.clock.iso(),
      method,
      path: (req.url ?? "/").split("?")[0] ?? "/",
      status: 0,
      write: method !== "GET" && method !== "HEAD",
    });
    const x: Exchange = { req, method, url: new URL(req.url ?? "/", "http://sandbox"), entry, id: randomUUID(), header: (name) => headerOf(req, name) };
    Object.assign(entry, api.tag(x));
    serve(core, api, x, res).catch((err: unknown) => {
      const r = api.failed(x, err);
      entry.status = r.status;
      if (!res.headersSent && !res.destroyed) send(res, r);
    });
  };
}

async function serve(core: PipelineCore, api: ApiAdapter, x: Exchange, res: ServerResponse): Promise<void> {
  const { latencyMs, faultRate, lostResponseRate } = api.faults();
  if (latencyMs > 0) await sleep(latencyMs);
  const admitted = api.admit(x);
  const t = admitted.take?.();
  if (t && !t.ok) {
    x.entry.fault = "429";
    return answer(x, res, api.throttled(x, t.retryAfterSec));
  }
  if (core.dice.roll(faultRate)) {
    x.entry.fault = "5xx";
    return answer(x, res, api.serverError(x, core.dice.pick([500, 503] as const)));
  }
  const dirty = core.advance();
  const before = core.changeCount();
  const out = await admitted.run();
  const committed = core.changeCount() > before;
  if (out.replayed) await core.flush();
  else if (dirty || committed || out.dirty) await core.persist();
  if (x.entry.write && committed && core.dice.roll(lostResponseRate)) {
    // The change is committed and on disk; the client just never hears about it.
    x.entry.status = out.status;
    x.entry.fault = "lost";
    x.req.socket.destroy();
    return;
  }
  answer(x, res, out);
}

function answer(x: Exchange, res: ServerResponse, r: Reply): void {
  x.entry.status = r.status;
  send(res, r);
}

/** Listens on 127.0.0.1 (port 0: any free port) and answers the port taken. */
export async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Stops listening and drops open connections. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}

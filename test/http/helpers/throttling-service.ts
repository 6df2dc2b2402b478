/**
 * A throttling service on 127.0.0.1 for the request budget's tests: a real node:http server
 * whose limits are token buckets on the test's clock, kept the way the sandbox keeps them
 * (src/sandbox/faults.ts: a bucket holds one second, at least one request; a 429 says
 * `Retry-After` in whole seconds, at least 1, with Partner Center's 429 body). The client is
 * never told the limits. Partner Center's shape: calls below `/v1/customers/{id}/` are limited
 * per customer too; everything answers an empty collection. Graph's: `POST /v1.0/$batch` counts
 * each member against the limits and answers each on its own; the tenant is the bearer token.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A token bucket of `rate` requests/s holding one second (at least one request). */
class Bucket {
  private tokens: number;
  private last: number;
  constructor(
    readonly rate: number,
    now: number,
  ) {
    this.tokens = Math.max(1, rate);
    this.last = now;
  }
  /** Undefined when a token was taken, else the Retry-After (whole seconds, ≥ 1). */
  take(now: number): number | undefined {
    this.tokens = Math.min(Math.max(1, this.rate), this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.rate));
  }
}

export interface Limits {
  /** Partner-wide (or per app) limit, requests/s; 0 = none. May be changed while running. */
  partnerRps: number;
  /** Per-tenant limit, requests/s; 0 = none. */
  tenantRps?: number;
}

export interface Arrival {
  at: number;
  tenant?: string;
  status: number;
  /** Of a 429: whose bucket refused it. */
  by?: "partner" | "tenant";
  /** `$batch` members: the batch's request, answered 200, with this member's own status. */
  member?: boolean;
}

export interface ThrottlingService {
  /** `http://127.0.0.1:PORT/v1` (Partner Center's base); Graph's is `origin`. */
  url: string;
  origin: string;
  limits: Limits;
  /** Every request (and `$batch` member) with its answer, in order of arrival. */
  log: Arrival[];
  /** Accepted requests (and members) per second over [from, to) ms of the clock. */
  acceptedRate(from: number, to: number, tenant?: string): number;
  throttled(tenant?: string): number;
  close(): Promise<void>;
}

export async function startThrottlingService(now: () => number, limits: Limits): Promise<ThrottlingService> {
  let partner: Bucket | undefined;
  const tenants = new Map<string, Bucket>();
  const log: Arrival[] = [];
  /** Undefined when the request may pass, else its Retry-After and whose bucket refused it. */
  const take = (tenant: string | undefined): { retry: number; by: "partner" | "tenant" } | undefined => {
    const t = now();
    if (limits.partnerRps > 0 && partner?.rate !== limits.partnerRps) partner = new Bucket(limits.partnerRps, t);
    const retry = limits.partnerRps > 0 ? partner?.take(t) : undefined;
    if (retry !== undefined) return { retry, by: "partner" };
    if (tenant === undefined || !(limits.tenantRps ?? 0)) return undefined;
    let b = tenants.get(tenant);
    if (!b) tenants.set(tenant, (b = new Bucket(limits.tenantRps ?? 0, t)));
    const own = b.take(t);
    return own === undefined ? undefined : { retry: own, by: "tenant" };
  };
  const answer = (req: IncomingMessage, body: string, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://x");
    const graphTenant = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (url.pathname === "/v1.0/$batch") return batch(JSON.parse(body) as { requests: { id: string }[] }, graphTenant, res);
    const tenant = url.pathname.startsWith("/v1.0/") ? graphTenant : /^\/v1\/customers\/([^/]+)\/./.exec(url.pathname)?.[1];
    const refused = take(tenant);
    log.push({ at: now(), ...(tenant ? { tenant } : {}), status: refused ? 429 : 200, ...(refused ? { by: refused.by } : {}) });
    if (refused)
      return send(
        res,
        429,
        { statusCode: 429, message: `Rate limit is exceeded. Try again in ${refused.retry} seconds.` },
        { "Retry-After": String(refused.retry) },
      );
    send(res, 200, url.pathname.startsWith("/v1.0/") ? { value: [] } : { totalCount: 0, items: [] });
  };
  const batch = (body: { requests: { id: string }[] }, tenant: string | undefined, res: ServerResponse): void => {
    const responses = body.requests.map((r) => {
      const refused = take(tenant);
      log.push({ at: now(), ...(tenant ? { tenant } : {}), status: refused ? 429 : 200, ...(refused ? { by: refused.by } : {}), member: true });
      return refused
        ? { id: r.id, status: 429, headers: { "Retry-After": String(refused.retry) }, body: { error: { code: "TooManyRequests", message: "throttled" } } }
        : { id: r.id, status: 200, headers: {}, body: { value: [] } };
    });
    send(res, 200, { responses });
  };
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => answer(req, body, res));
  });
  server.on("connection", (s: Socket) => (sockets.add(s), s.on("close", () => sockets.delete(s))));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accepted = (e: Arrival, tenant?: string) => e.status === 200 && (tenant === undefined || e.tenant === tenant);
  return {
    url: `${origin}/v1`,
    origin,
    limits,
    log,
    acceptedRate: (from, to, tenant) => (log.filter((e) => accepted(e, tenant) && e.at >= from && e.at < to).length * 1000) / (to - from),
    throttled: (tenant) => log.filter((e) => e.status === 429 && (tenant === undefined || e.tenant === tenant)).length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/**
 * A hostile Partner Center for CLI tests: a real HTTP server on 127.0.0.1 that forwards every
 * request to a real sandbox and lets a test change what comes back — an answer rewritten (a seat
 * count sent as a string, `consumedUnits: null`, a status in capitals), a customer's calls failed
 * with 503, or a run's requests held at a gate until the test opens it. The sandbox behind it
 * keeps the real state, request log and changes the assertions read; the proxy only lies on the wire.
 */
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ProxiedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/customers/{id}/subscriptions`. */
  path: string;
  query: URLSearchParams;
  /** Lowercase customer id for calls below `/customers/{id}/…` (and `/customers/{id}` itself). */
  customerId: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status: number;
  /** Parsed JSON when the body was JSON, else the text. */
  body: unknown;
  headers?: Record<string, string>;
  /** Send the status and headers, then nothing: the body never comes (a stalled server). */
  stall?: boolean;
}

export interface ProxyHooks {
  /**
   * Before the sandbox sees the request: an answer returned here is sent instead (the sandbox
   * never sees the request). May wait, holding the request (a gate).
   */
  request?(req: ProxiedRequest): Answer | undefined | Promise<Answer | undefined>;
  /** The sandbox's answer, editable in place (`answer.body`); return another answer to replace it. */
  response?(req: ProxiedRequest, answer: Answer): Answer | undefined | void;
}

export interface HostileProxy {
  /** Base URL including `/v1`, for `--endpoint`. */
  url: string;
  /** Replaced by tests between (or during) runs. */
  hooks: ProxyHooks;
  /** Every request seen, with the status pcplan was answered (0: the connection was dropped). */
  seen: { method: string; path: string; customerId: string | undefined; status: number }[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host"]);

export function customerOf(path: string): string | undefined {
  return /^\/v1\/customers\/([0-9a-f-]{36})(?:\/|$)/i.exec(path)?.[1]?.toLowerCase();
}

/** A 503 as Partner Center sends it (no Retry-After: the client backs off on its own). */
export function unavailable(): Answer {
  return { status: 503, body: { code: 503, description: "The service is temporarily unavailable. Please retry.", data: [], source: "PartnerFD" } };
}

export async function startHostileProxy(upstreamUrl: string, hooks: ProxyHooks = {}): Promise<HostileProxy> {
  const upstream = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const sockets = new Set<Socket>();
  const seen: HostileProxy["seen"] = [];
  const proxy = { hooks };

  const send = (res: ServerResponse, a: Answer): void => {
    if (a.stall) {
      res.writeHead(a.status, { "Content-Type": "application/json; charset=utf-8", ...a.headers });
      res.flushHeaders();
      return;
    }
    const text = typeof a.body === "string" ? a.body : JSON.stringify(a.body);
    res.writeHead(a.status, { "Content-Type": "application/json; charset=utf-8", ...a.headers, "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  };

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; text: string } | undefined> =>
    new Promise((resolve) => {
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
      headers["content-length"] = String(body.length);
      const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent }, (r) => {
        const chunks: Buffer[] = [];
        r.on("data", (c: Buffer) => chunks.push(c));
        r.on("end", () => {
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(r.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = Array.isArray(v) ? v.join(", ") : v;
          resolve({ status: r.statusCode ?? 502, headers: out, text: Buffer.concat(chunks).toString("utf8") });
        });
        r.on("error", () => resolve(undefined));
      });
      // The sandbox dropped the connection (a lost response): pcplan must see the same.
      up.on("error", () => resolve(undefined));
      up.end(body);
    });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const u = new URL(req.url ?? "/", "http://proxy");
        const r: ProxiedRequest = {
          method: req.method ?? "GET",
          path: u.pathname,
          query: u.searchParams,
          customerId: customerOf(u.pathname),
          headers: req.headers,
          body: body.toString("utf8"),
        };
        const entry = { method: r.method, path: r.path, customerId: r.customerId, status: 0 };
        seen.push(entry);
        const early = await proxy.hooks.request?.(r);
        if (early) {
          entry.status = early.status;
          return send(res, early);
        }
        const got = await forward(req, body);
        if (!got) {
          res.socket?.destroy();
          return;
        }
        let parsed: unknown = got.text;
        try {
          parsed = got.text ? JSON.parse(got.text) : got.text;
        } catch {
          // not JSON: handed to the hook as text
        }
        const answer: Answer = { status: got.status, body: parsed, headers: got.headers };
        const replaced = proxy.hooks.response?.(r, answer) ?? answer;
        entry.status = replaced.status;
        send(res, replaced);
      })().catch(() => res.socket?.destroy());
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}/v1`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  });
}

/** A gate: `wait()` resolves once `open()` is called (at once if it already was). */
export function gate(): { wait(): Promise<void>; open(): void; readonly opened: boolean } {
  let open!: () => void;
  let opened = false;
  const p = new Promise<void>((resolve) => (open = resolve));
  return {
    wait: () => p,
    open: () => {
      opened = true;
      open();
    },
    get opened() {
      return opened;
    },
  };
}

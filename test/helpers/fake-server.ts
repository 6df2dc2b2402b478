/**
 * A wire-level fake Partner Center for client tests: a real node:http server on 127.0.0.1
 * (port 0) with scripted routes. It records every request (method, path with query,
 * headers, body) so tests assert on what went over the wire, and it reports scripted
 * answers that were never used (`pending()`), so a test fails on requests expected but not made.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, expect } from "vitest";

export interface RecordedRequest {
  method: string;
  /** Path with query string, as received. */
  url: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** Parsed JSON body, if any. */
  json: unknown;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

interface Route {
  method: string;
  path: string | RegExp;
  handler: Handler;
  once: boolean;
  used: boolean;
  label: string;
}

export interface FakeServer {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:54321/v1`. */
  url: string;
  origin: string;
  requests: RecordedRequest[];
  /** Persistent route: answers every matching request. */
  on(method: string, path: string | RegExp, handler: Handler): void;
  /** One-shot route, used before persistent ones, in the order added. */
  once(method: string, path: string | RegExp, handler: Handler): void;
  /** Labels of one-shot routes never used. */
  pending(): string[];
  close(): Promise<void>;
}

export async function startFakeServer(): Promise<FakeServer> {
  const routes: Route[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const matches = (r: Route, method: string, p: string): boolean =>
    !r.used && r.method === method && (typeof r.path === "string" ? r.path === p : r.path.test(p));

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const u = new URL(req.url ?? "/", "http://fake");
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const rec: RecordedRequest = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        body,
        json,
      };
      requests.push(rec);
      const route = routes.find((r) => r.once && matches(r, rec.method, rec.path)) ?? routes.find((r) => !r.once && matches(r, rec.method, rec.path));
      if (!route) {
        sendJson(res, 404, { code: 9999, description: `fake server: no route for ${rec.method} ${rec.path}` });
        return;
      }
      if (route.once) route.used = true;
      Promise.resolve(route.handler(rec, res)).catch((err: unknown) => {
        sendJson(res, 500, { code: 9998, description: `fake server handler failed: ${String(err)}` });
      });
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const add = (once: boolean) => (method: string, p: string | RegExp, handler: Handler) => {
    routes.push({ method, path: p, handler, once, used: false, label: `${method} ${String(p)}` });
  };

  return {
    url: `${origin}/v1`,
    origin,
    requests,
    on: add(false),
    once: add(true),
    pending: () => routes.filter((r) => r.once && !r.used).map((r) => r.label),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answer with JSON (an object, or raw text sent verbatim — used to serve the reference examples byte for byte). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(text);
}

/** Drop the connection without an answer (undici sees "other side closed" / ECONNRESET). */
export function dropConnection(res: ServerResponse): void {
  res.socket?.destroy();
}

/** Answer after `ms` (for timeout tests); does nothing if the client went away. */
export function answerAfter(ms: number, fn: () => void): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(() => {
      try {
        fn();
      } catch {
        // the client aborted and the socket is gone
      }
      resolve();
    }, ms);
  });
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Examples copied verbatim from the Partner Center REST reference (SOURCES.md beside them names each page). */
export const EXAMPLES_DIR = path.resolve(repoRoot, "test/fixtures/partner-center-examples");

/** A reference example payload, verbatim text (leading spaces and all). */
export function exampleText(name: string): string {
  return readFileSync(path.join(EXAMPLES_DIR, name), "utf8");
}

/** A reference example payload, parsed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are free-form JSON
export function example<T = any>(name: string): T {
  return JSON.parse(exampleText(name)) as T;
}

/** A recording clock: `sleep` records the delay and advances `now` instantly. */
export function fakeTime(start = 1_700_000_000_000): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: (ms: number) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
    sleeps,
  };
}

/**
 * A fake server per test of the enclosing describe: started before each test, closed after it
 * (failing the test if `expectAllUsed` and a one-shot route was never hit). The returned object
 * forwards to the current test's server.
 */
export function useFakeServer(opts: { expectAllUsed?: boolean } = {}): FakeServer {
  let current: FakeServer | undefined;
  const server = (): FakeServer => {
    if (!current) throw new Error("useFakeServer: no server outside a test");
    return current;
  };
  beforeEach(async () => {
    current = await startFakeServer();
  });
  afterEach(async () => {
    const s = server();
    current = undefined;
    try {
      if (opts.expectAllUsed) expect(s.pending()).toEqual([]);
    } finally {
      await s.close();
    }
  });
  return {
    get url() {
      return server().url;
    },
    get origin() {
      return server().origin;
    },
    get requests() {
      return server().requests;
    },
    on: (method, path, handler) => server().on(method, path, handler),
    once: (method, path, handler) => server().once(method, path, handler),
    pending: () => server().pending(),
    close: () => server().close(),
  };
}

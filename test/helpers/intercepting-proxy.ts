/**
 * A pass-through HTTP proxy on 127.0.0.1 in front of a sandbox that answers chosen requests
 * itself. The sandbox's own faults are seeded dice over every request; a test that needs one
 * kind of call to fail (and only that one) puts this in between. Everything else reaches the
 * sandbox unchanged, so the sandbox's request log stays the record of what was read and written.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface Intercepted {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface InterceptingProxy {
  /** Base URL with the target's path, e.g. `http://127.0.0.1:5432/v1`. */
  url: string;
  /** Requests answered by the proxy, as `METHOD path?query`. */
  intercepted: string[];
  close(): Promise<void>;
}

export async function startInterceptingProxy(targetUrl: string, answer: (method: string, url: URL) => Intercepted | undefined): Promise<InterceptingProxy> {
  const target = new URL(targetUrl);
  const intercepted: string[] = [];
  const readBody = async (req: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", target.origin);
      const method = req.method ?? "GET";
      const own = answer(method, url);
      if (own) {
        intercepted.push(`${method} ${url.pathname}${url.search}`);
        const text = JSON.stringify(own.body);
        res.writeHead(own.status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...own.headers });
        res.end(text);
        return;
      }
      const body = await readBody(req);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k, v]) => typeof v === "string" && k !== "host" && k !== "content-length"),
      ) as Record<string, string>;
      const upstream = await fetch(url, { method, headers, ...(body.length > 0 ? { body } : {}) });
      const text = Buffer.from(await upstream.arrayBuffer());
      res.writeHead(upstream.status, { "Content-Type": upstream.headers.get("content-type") ?? "application/json", "Content-Length": text.length });
      res.end(text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    intercepted,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

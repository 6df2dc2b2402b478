/**
 * One attempt over node:http(s) (src/http/node-send.ts), pcplan's default way to send: what it
 * must keep of what `fetch` did, against real servers on 127.0.0.1 (http, and https with the
 * sandbox's self-signed certificate).
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { BodyTooLargeError, MAX_ERROR_BODY_BYTES, sendOnce, type HttpAttempt } from "../../src/http/attempt.js";
import { isRetryableNetworkError } from "../../src/http/retry.js";
import { SANDBOX_CERT_PATH } from "../../src/sandbox/index.js";

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => (s.closeAllConnections(), s.close(done)))));
});

/** A server answering with `handler`; `connections` counts the TCP connections it accepted. */
async function serve(handler: Handler, tls = false): Promise<{ url: string; connections: () => number }> {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => handler(req, body, res));
  };
  const pem = readFileSync(SANDBOX_CERT_PATH, "utf8");
  const key = readFileSync(SANDBOX_CERT_PATH.replace(/cert\.pem$/, "key.pem"), "utf8");
  const server: Server = tls ? createHttpsServer({ cert: pem, key }, onRequest) : createServer(onRequest);
  let connections = 0;
  server.on(tls ? "secureConnection" : "connection", () => connections++);
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return { url: `${tls ? "https" : "http"}://127.0.0.1:${port}/v1/x`, connections: () => connections };
}

const attempt = (url: string, more: Partial<HttpAttempt> = {}): HttpAttempt => ({
  url: new URL(url),
  method: "GET",
  headers: { Accept: "application/json" },
  signal: new AbortController().signal,
  ...more,
});

describe("sending over node:http", () => {
  it("sends a string body as UTF-8 with its length, never chunked", async () => {
    let seen: { headers: IncomingMessage["headers"]; body: string } | undefined;
    const { url } = await serve((req, body, res) => ((seen = { headers: req.headers, body }), res.end("{}")));
    const body = JSON.stringify({ name: "Åre Kommun ✓" });
    const r = await sendOnce(attempt(url, { method: "POST", body, headers: { "Content-Type": "application/json" } }));
    expect(r.status).toBe(200);
    expect(seen?.body).toBe(body);
    expect(seen?.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
    expect(seen?.headers["transfer-encoding"]).toBeUndefined();
  });

  it("reads the status, its text and headers by name in any case; drops one leading byte-order mark", async () => {
    const { url } = await serve((_req, _body, res) => {
      res.writeHead(429, "Too Many Requests", { "Retry-After": "7", "Content-Type": "application/json" });
      res.end('\uFEFF{"code":"throttled"}');
    });
    const r = await sendOnce(attempt(url));
    expect([r.status, r.statusText]).toEqual([429, "Too Many Requests"]);
    expect([r.headers.get("retry-after"), r.headers.get("RETRY-AFTER"), r.headers.get("x-absent")]).toEqual(["7", "7", null]);
    expect(r.text).toBe('{"code":"throttled"}');
  });

  it("clips an error body at its cap and still answers; refuses a success body past the attempt's own cap", async () => {
    const big = "x".repeat(MAX_ERROR_BODY_BYTES + 5_000);
    const { url } = await serve((req, _body, res) => {
      res.statusCode = req.url?.endsWith("fail") ? 500 : 200;
      res.end(big);
    });
    const failed = await sendOnce(attempt(`${url}/fail`));
    expect([failed.status, failed.text.length]).toEqual([500, MAX_ERROR_BODY_BYTES]);
    await expect(sendOnce(attempt(url, { maxBodyBytes: 1_000 }))).rejects.toBeInstanceOf(BodyTooLargeError);
    expect((await sendOnce(attempt(url, { maxBodyBytes: big.length }))).text).toBe(big);
  });

  it("a connection cut mid-body is a network error the retry rules retry, never a short answer", async () => {
    const { url } = await serve((_req, _body, res) => {
      res.writeHead(200, { "Content-Length": "1000" });
      res.write('{"items":[');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const err: unknown = await sendOnce(attempt(url)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(isRetryableNetworkError(err)).toBe(true);
  });

  it("an abort rejects with the signal's reason and closes the request", async () => {
    let closed = false;
    const { url } = await serve((req) => req.socket.on("close", () => (closed = true)));
    const ctl = new AbortController();
    const reason = new Error("the attempt's time limit");
    const sent = sendOnce(attempt(url, { signal: ctl.signal }));
    setTimeout(() => ctl.abort(reason), 50);
    await expect(sent).rejects.toBe(reason);
    await expect.poll(() => closed).toBe(true);
  });

  it("keeps the connection alive between attempts (one connection for three requests in turn)", async () => {
    const { url, connections } = await serve((_req, _body, res) => res.end("{}"));
    for (let i = 0; i < 3; i++) expect((await sendOnce(attempt(url))).status).toBe(200);
    expect(connections()).toBe(1);
  });
});

describe("sending over node:https", () => {
  it("trusts the certificate it is given, and refuses the same server without it", async () => {
    const { url } = await serve((_req, _body, res) => res.end('{"ok":true}'), true);
    const ca = readFileSync(SANDBOX_CERT_PATH, "utf8");
    expect((await sendOnce(attempt(url, { ca }))).text).toBe('{"ok":true}');
    const err: unknown = await sendOnce(attempt(url)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as { code?: string } | undefined)?.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
  });
});

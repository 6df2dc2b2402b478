/**
 * One attempt over node:http / node:https: how pcplan sends unless a caller hands it a `fetch`
 * (tests' scripted services, the simulated clock). Node's built-in `fetch` (undici) costs about
 * 0.3 ms more client CPU per request than `http.request` on these machines (0.38 against 0.08 ms,
 * warm, a 1 KiB JSON answer; three to four times that in a process's first thousand requests),
 * for nothing pcplan uses of it: no redirects are followed, no compression is asked for, and the
 * body is read into one string. A run makes thousands of requests and, at the services' limits,
 * the client's CPU is what stands between it and the bound (docs/performance.md).
 *
 * Kept the same as through fetch: a string body sent UTF-8 with its length (never chunked), one
 * leading byte-order mark dropped from the text (as TextDecoder does), headers read by name
 * case-insensitively with repeated ones joined by ", ", an abort rejecting with the signal's
 * reason, a connection cut mid-body an error the retry rules know (ECONNRESET).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { createSecureContext, type SecureContext } from "node:tls";
import { BodyTooLargeError, MAX_BODY_BYTES, MAX_ERROR_BODY_BYTES, type HttpAttempt, type HttpResult, type ResponseHeaders } from "./wire.js";

/**
 * Idle kept-alive connections are closed after this: before a server's own idle limit (Node's
 * 5 s by default), so a request is not sent on a connection the server is closing; undici's
 * default is the same.
 */
const FREE_SOCKET_MS = 4_000;

const contexts = new Map<string, SecureContext>();

/**
 * The TLS context that trusts `ca` alone, made once. Given as `ca`, a connection options' own
 * certificate makes Node build a context per connection, parsing the certificate each time: in a
 * Graph run against the sandbox, 300 token and Graph connections spent 46 ms of the client's
 * busiest 400 ms there (docs/performance.md, "Graph").
 */
export function trusting(ca: string): SecureContext {
  let context = contexts.get(ca);
  if (context === undefined) {
    context = createSecureContext({ ca });
    contexts.set(ca, context);
  }
  return context;
}

let plain: HttpAgent | undefined;
/** One pool per trusted certificate ("" = the system's): the sandbox's is trusted alone. */
const secure = new Map<string, HttpsAgent>();

function agentFor(url: URL, ca: string | undefined): HttpAgent | HttpsAgent {
  if (url.protocol !== "https:") return (plain ??= new HttpAgent({ keepAlive: true, timeout: FREE_SOCKET_MS }));
  const key = ca ?? "";
  let agent = secure.get(key);
  if (agent === undefined) {
    agent = new HttpsAgent({ keepAlive: true, timeout: FREE_SOCKET_MS, ...(ca !== undefined ? { secureContext: trusting(ca) } : {}) });
    secure.set(key, agent);
  }
  return agent;
}

function headerReader(raw: IncomingHttpHeaders): ResponseHeaders {
  return {
    get(name) {
      const v = raw[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
    },
  };
}

/** The body cut off before its end: what undici calls `terminated`, as a dropped connection. */
function cutOff(): Error {
  return Object.assign(new Error("terminated: the connection closed before the whole body came"), { code: "ECONNRESET" });
}

/**
 * Send `a` once and read its answer whole (2xx bodies past the cap refused, error bodies clipped).
 * `signal` aborts it; `alive` hears of every sign of life (the headers, each chunk).
 */
export function sendNode(a: HttpAttempt, signal: AbortSignal, alive: () => void): Promise<HttpResult> {
  return new Promise((resolve, rejectWith) => {
    // An abort rejects with the signal's reason, whatever the caller aborted with, as fetch does.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- see above
    const reject = (err: unknown): void => rejectWith(err);
    if (signal.aborted) return reject(signal.reason);
    const send = a.url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(a.url, { method: a.method, headers: a.headers, agent: agentFor(a.url, a.ca) });
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      return true;
    };
    const fail = (err: unknown): void => {
      if (!settle()) return;
      req.destroy();
      reject(err);
    };
    const onAbort = (): void => fail(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    req.on("error", fail);
    req.on("response", (res) => {
      alive();
      readBody(res, a.maxBodyBytes ?? MAX_BODY_BYTES, alive, fail, (text) => {
        if (settle()) resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", headers: headerReader(res.headers), text });
      });
    });
    // Ended with the whole body: Node sends it with its Content-Length, never chunked.
    req.end(a.body, "utf8");
  });
}

/** Reads `res` into a string, at most its cap; `done` once, or `fail`. */
function readBody(res: IncomingMessage, okLimit: number, alive: () => void, fail: (err: unknown) => void, done: (text: string) => void): void {
  const status = res.statusCode ?? 0;
  const ok = status >= 200 && status < 300;
  const limit = ok ? okLimit : MAX_ERROR_BODY_BYTES;
  const declared = Number(res.headers["content-length"]);
  if (ok && Number.isFinite(declared) && declared > limit) return fail(new BodyTooLargeError(limit));
  const chunks: Buffer[] = [];
  let size = 0;
  let ended = false;
  const finish = (): void => {
    ended = true;
    const text = Buffer.concat(chunks, size).toString("utf8");
    done(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  };
  res.on("data", (chunk: Buffer) => {
    if (ended) return;
    alive();
    if (size + chunk.byteLength > limit) {
      if (ok) return fail(new BodyTooLargeError(limit));
      chunks.push(chunk.subarray(0, limit - size));
      size = limit;
      finish();
      res.destroy();
      return;
    }
    chunks.push(chunk);
    size += chunk.byteLength;
  });
  res.on("end", () => ended || finish());
  res.on("error", fail);
  res.on("close", () => ended || fail(cutOff()));
}

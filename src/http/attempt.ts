/**
 * One HTTP attempt: fetch with a per-attempt timeout (a signal from the layer's clock), the body
 * read as a stream and never past a cap, lenient JSON (BOM, leading whitespace). No retries
 * here — see transport.ts.
 */

import type { ReadableStreamReadResult } from "node:stream/web";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/**
 * The most of a successful response body pcplan reads: 32 MiB. Partner Center and Graph pages are
 * far smaller (a page of 100 users or subscriptions is tens of KiB, 999 Graph users a few hundred);
 * a body that goes past this is not an answer to act on, and reading it whole could exhaust memory.
 */
export const MAX_BODY_BYTES = 32 * 2 ** 20;

/** Of an error body only the start is read: the description is clipped to 500 characters anyway. */
export const MAX_ERROR_BODY_BYTES = 64 * 2 ** 10;

export interface HttpAttempt {
  url: URL;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: string;
  /** Aborts the attempt (its time limit): the request and the reading of the body. */
  signal: AbortSignal;
  /** Cap on a 2xx body (default MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  fetch?: typeof fetch;
}

export interface HttpResult {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

/** A 2xx body larger than the cap: the attempt stopped reading it. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`response body larger than ${limitBytes} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Send once. Throws what fetch throws (network errors, `TimeoutError` when the attempt times
 * out) and `BodyTooLargeError`.
 */
export async function sendOnce(a: HttpAttempt): Promise<HttpResult> {
  const signal = a.signal;
  const doFetch = a.fetch ?? fetch;
  const res = await doFetch(a.url, {
    method: a.method,
    headers: a.headers,
    body: a.body,
    signal,
    // Never follow a redirect with our bearer token; neither API redirects its calls.
    redirect: "manual",
  });
  const ok = res.status >= 200 && res.status < 300;
  const limit = ok ? (a.maxBodyBytes ?? MAX_BODY_BYTES) : MAX_ERROR_BODY_BYTES;
  // The timeout also covers reading the body: the stream errors once the signal fires.
  const text = await readCapped(res, limit, ok);
  return { status: res.status, statusText: res.statusText, headers: res.headers, text };
}

/**
 * The body as text, reading at most `limit` bytes. Past it: `BodyTooLargeError` when
 * `strict`, else the text so far. The rest is never read: the stream is cancelled.
 */
async function readCapped(res: Response, limit: number, strict: boolean): Promise<string> {
  if (!res.body) return "";
  const declared = Number(res.headers.get("content-length"));
  if (strict && Number.isFinite(declared) && declared > limit) {
    await res.body.cancel().catch(() => undefined);
    throw new BodyTooLargeError(limit);
  }
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const chunk: ReadableStreamReadResult<Uint8Array> = await reader.read();
      if (chunk.done) break;
      const value = chunk.value;
      if (size + value.byteLength > limit) {
        if (strict) throw new BodyTooLargeError(limit);
        chunks.push(value.subarray(0, limit - size));
        size = limit;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(concat(chunks, size));
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

/** Parse a response body: empty → `undefined`; BOM and surrounding whitespace ignored. */
export function parseJsonBody(text: string): JsonParse {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (!trimmed) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(trimmed) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

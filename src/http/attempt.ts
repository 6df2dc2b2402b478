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
  /**
   * The attempt gives up after `ms` without a byte (before the headers or between chunks of the
   * body): a server that sends its headers and then nothing is not waited on for the whole time
   * limit. `timer` is the clock's (a signal that fires after `ms`); `onSilent` hears of a third of
   * that silence, so a wait is never quiet.
   */
  idle?: { ms: number; timer: (ms: number) => AbortSignal; onSilent?: (silentMs: number) => void };
  fetch?: typeof fetch;
}

/** No byte came for the idle time: retried as a timeout, and said so. */
export class IdleTimeoutError extends Error {
  constructor(readonly idleMs: number) {
    super(`no data for ${idleMs < 1000 ? `${idleMs} ms` : `${Math.round(idleMs / 1000)} s`}`);
    this.name = "TimeoutError";
  }
}

/**
 * The idle watchdog of one attempt: `poke()` on every sign of life, `stop()` at the end. It counts
 * silent ticks of a sixth of the idle time on one timer: after two (a third) it says so, after six
 * it gives up, so an attempt gives up between the idle time and 7/6 of it. A poke only sets a flag:
 * setting two timers on every chunk, as before, was most of a read's CPU. It reads no clock, only
 * the clock's timers, so a test's own `now` does not enter into it.
 */
function watchdog(idle: HttpAttempt["idle"], abort: (reason: Error) => void): { poke(): void; stop(): void } {
  if (!idle) return { poke: () => undefined, stop: () => undefined };
  const { ms, timer, onSilent } = idle;
  const tick = Math.max(1, Math.floor(ms / 6));
  let poked = false;
  let silentTicks = 0;
  let stopped = false;
  let disarm = () => undefined as void;
  const arm = () => {
    const signal = timer(tick);
    signal.addEventListener("abort", onTick, { once: true });
    disarm = () => signal.removeEventListener("abort", onTick);
  };
  function onTick(): void {
    if (stopped) return;
    silentTicks = poked ? 0 : silentTicks + 1;
    poked = false;
    // Said once per silence: the count starts again only once data came.
    if (silentTicks === 2) onSilent?.(Math.floor(ms / 3));
    if (silentTicks >= 6) return abort(new IdleTimeoutError(ms));
    arm();
  }
  arm();
  return {
    poke: () => void (poked = true),
    stop() {
      stopped = true;
      disarm();
    },
  };
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
  // A stall aborts this attempt's own controller, fed by the caller's signal through one listener
  // (AbortSignal.any costs more, and keeps a reference on the caller's signal per attempt).
  let stall: Error | undefined;
  const attempt = a.idle ? new AbortController() : undefined;
  const onAbort = () => attempt?.abort(a.signal.reason);
  if (attempt) a.signal.addEventListener("abort", onAbort, { once: true });
  const dog = watchdog(a.idle, (reason) => ((stall = reason), attempt?.abort(reason)));
  const doFetch = a.fetch ?? fetch;
  try {
    if (a.signal.aborted) onAbort();
    const res = await doFetch(a.url, {
      method: a.method,
      headers: a.headers,
      body: a.body,
      signal: attempt?.signal ?? a.signal,
      // Never follow a redirect with our bearer token; neither API redirects its calls.
      redirect: "manual",
    });
    dog.poke();
    const ok = res.status >= 200 && res.status < 300;
    const limit = ok ? (a.maxBodyBytes ?? MAX_BODY_BYTES) : MAX_ERROR_BODY_BYTES;
    // The timeout also covers reading the body: the stream errors once the signal fires.
    const text = await readCapped(res, limit, ok, () => dog.poke());
    return { status: res.status, statusText: res.statusText, headers: res.headers, text };
  } catch (err) {
    // Whatever fetch made of the abort, a stall is reported as one.
    throw stall ?? err;
  } finally {
    dog.stop();
    a.signal.removeEventListener("abort", onAbort);
  }
}

/**
 * The body as text, reading at most `limit` bytes. Past it: `BodyTooLargeError` when
 * `strict`, else the text so far. The rest is never read: the stream is cancelled.
 */
async function readCapped(res: Response, limit: number, strict: boolean, alive: () => void = () => undefined): Promise<string> {
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
      alive();
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

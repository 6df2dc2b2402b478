/**
 * One HTTP attempt: sent over node:http(s) (node-send.ts) or a caller's `fetch`, with a
 * per-attempt timeout (a signal from the layer's clock) and an idle watchdog, the body never read
 * past a cap, lenient JSON (BOM, leading whitespace). No retries here — see transport.ts.
 */

import type { ReadableStreamReadResult } from "node:stream/web";
import { sendNode } from "./node-send.js";
import { BodyTooLargeError, MAX_BODY_BYTES, MAX_ERROR_BODY_BYTES, type HttpAttempt, type HttpResult, type Sender } from "./wire.js";

export {
  BodyTooLargeError,
  MAX_BODY_BYTES,
  MAX_ERROR_BODY_BYTES,
  type HttpAttempt,
  type HttpMethod,
  type HttpResult,
  type ResponseHeaders,
  type Sender,
} from "./wire.js";

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

/**
 * Send once. Throws what the sender throws (network errors, `TimeoutError` when the attempt times
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
  try {
    if (a.signal.aborted) onAbort();
    const signal = attempt?.signal ?? a.signal;
    return await (a.send ?? sendNode)(a, signal, () => dog.poke());
  } catch (err) {
    // Whatever the sender made of the abort, a stall is reported as one.
    throw stall ?? err;
  } finally {
    dog.stop();
    a.signal.removeEventListener("abort", onAbort);
  }
}

/** Sends through a caller's `fetch` (scripted services, the simulated clock) instead of node:http(s). */
export const fetchSender =
  (doFetch: typeof fetch): Sender =>
  async (a, signal, alive) => {
    // Never follow a redirect with our bearer token; neither API redirects its calls.
    const res = await doFetch(a.url, { method: a.method, headers: a.headers, body: a.body, signal, redirect: "manual" });
    alive();
    const ok = res.status >= 200 && res.status < 300;
    const limit = ok ? (a.maxBodyBytes ?? MAX_BODY_BYTES) : MAX_ERROR_BODY_BYTES;
    // The timeout also covers reading the body: the stream errors once the signal fires.
    const text = await readCapped(res, limit, ok, alive);
    return { status: res.status, statusText: res.statusText, headers: res.headers, text };
  };

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

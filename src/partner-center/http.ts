/**
 * One HTTP attempt: fetch with a per-attempt timeout (AbortSignal), read the whole body,
 * parse JSON leniently (BOM, leading whitespace). No retries here — see transport.ts.
 */

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface HttpAttempt {
  url: URL;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export interface HttpResult {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

/** Send once. Throws what fetch throws (network errors, `TimeoutError` when the attempt times out). */
export async function sendOnce(a: HttpAttempt): Promise<HttpResult> {
  const signal = AbortSignal.timeout(a.timeoutMs);
  const doFetch = a.fetch ?? fetch;
  const res = await doFetch(a.url, {
    method: a.method,
    headers: a.headers,
    body: a.body,
    signal,
    // Never follow a redirect with our bearer token; Partner Center does not redirect API calls.
    redirect: "manual",
  });
  // The timeout also covers reading the body: `text()` rejects once the signal fires.
  const text = await res.text();
  return { status: res.status, statusText: res.statusText, headers: res.headers, text };
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

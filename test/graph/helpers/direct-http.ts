/**
 * TEMPORARY development stand-in for the Graph side of pcplan's HTTP layer (used until the
 * request-budget rework lands and src/graph/transport-http.ts takes over): sends with a fetch,
 * adds the tenant's token, retries 429s after Retry-After. Not for shipping.
 */
import type { TenantTokenProvider } from "../../../src/graph/auth.js";
import type { GraphHttp } from "../../../src/graph/http.js";

export function directGraphHttp(doFetch: typeof fetch, tokens: TenantTokenProvider, maxRetries = 3): GraphHttp {
  const stats = { requests: 0, retries: 0, throttled: 0, memberRetries: 0 };
  return {
    async send(req) {
      for (let attempt = 0; ; attempt++) {
        stats.requests++;
        const token = await tokens(req.tenant);
        const res = await doFetch(req.url, { method: req.method, headers: { ...req.headers, Authorization: `Bearer ${token}` }, ...(req.body !== undefined ? { body: req.body } : {}) });
        const text = await res.text();
        if (res.status === 429 && attempt < maxRetries) {
          stats.throttled++;
          stats.retries++;
          await new Promise((r) => setTimeout(r, Number(res.headers.get("retry-after") ?? "1") * 1000));
          continue;
        }
        return { status: res.status, headers: res.headers, text };
      }
    },
    async memberThrottled(_tenant, retryAfterMs, attempt) {
      if (attempt >= maxRetries) return false;
      stats.memberRetries++;
      await new Promise((r) => setTimeout(r, retryAfterMs ?? 1000));
      return true;
    },
    stats: () => ({ ...stats }),
  };
}

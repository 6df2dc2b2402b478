// TEMPORARY (uncommitted): replaced by the request-budget transport once wave2/http is merged.
import type { TenantTokenProvider } from "./auth.js";
import type { GraphHttp } from "./http.js";

export interface GraphHttpOptions {
  tokens: TenantTokenProvider;
  fetch?: typeof fetch;
}

export function createGraphHttp(o: GraphHttpOptions): GraphHttp {
  const doFetch = o.fetch ?? fetch;
  const stats = { requests: 0, retries: 0, throttled: 0, memberRetries: 0 };
  const maxRetries = 6;
  return {
    async send(req) {
      for (let attempt = 0; ; attempt++) {
        stats.requests++;
        const token = await o.tokens(req.tenant);
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

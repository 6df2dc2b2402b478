/**
 * Collections: `{ totalCount, items, links: { next? } }`. Follow `links.next.uri` (with or
 * without the `/v1` prefix — both occur) and send every `{ key, value }` of
 * `links.next.headers` (the `MS-ContinuationToken`) until there is no `next`.
 */
import { BadResponseError } from "./errors.js";
import type { Transport } from "./transport.js";

/** A safety net far above any real collection (100 items a page → 10 million items). */
export const MAX_PAGES = 100_000;

/**
 * Resolve a link `uri` from a response against the endpoint. `/v1/customers?…` and
 * `/customers?…` both land on `<endpoint>/customers?…`. Absolute URIs must stay on the
 * endpoint's origin (we never send the bearer token elsewhere); returns undefined otherwise.
 */
export function resolveLink(endpoint: string, uri: string): URL | undefined {
  const base = new URL(`${endpoint.replace(/\/+$/, "")}/`);
  const basePath = base.pathname.replace(/\/+$/, "");
  const trimmed = uri.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) {
    let abs: URL;
    try {
      abs = new URL(trimmed);
    } catch {
      return undefined;
    }
    return abs.origin === base.origin ? abs : undefined;
  }
  const rel = trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
  const lower = rel.toLowerCase();
  const bp = basePath.toLowerCase();
  const hasBase = bp !== "" && (lower === bp || lower.startsWith(`${bp}/`) || lower.startsWith(`${bp}?`));
  return new URL(`${base.origin}${hasBase ? rel : basePath + rel}`);
}

/** `links.next.headers` as a header record; tolerates PascalCase `{ Key, Value }`. */
export function linkHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(headers)) return out;
  for (const h of headers as unknown[]) {
    if (typeof h !== "object" || h === null) continue;
    const r = h as Record<string, unknown>;
    const key = r.key ?? r.Key;
    const value = r.value ?? r.Value;
    if (typeof key === "string" && key && (typeof value === "string" || typeof value === "number")) {
      out[key] = String(value);
    }
  }
  return out;
}

interface NextLink {
  uri: string;
  headers: unknown;
}

function nextLink(body: Record<string, unknown>): NextLink | undefined {
  const links = (body.links ?? body.Links) as Record<string, unknown> | undefined;
  if (typeof links !== "object" || links === null) return undefined;
  const next = (links.next ?? links.Next) as Record<string, unknown> | undefined;
  if (typeof next !== "object" || next === null) return undefined;
  const uri = next.uri ?? next.Uri;
  if (typeof uri !== "string" || !uri.trim()) return undefined;
  return { uri, headers: next.headers ?? next.Headers };
}

/** GET `first` and every following page; returns all items in order. */
export async function collectAll<T>(transport: Transport, endpoint: string, first: URL): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let url = first;
  let headers: Record<string, string> = {};
  for (let page = 0; ; page++) {
    const key = `${url.href}\n${JSON.stringify(headers)}`;
    if (seen.has(key) || page >= MAX_PAGES) {
      throw new BadResponseError({
        description:
          page >= MAX_PAGES
            ? `paging did not end after ${MAX_PAGES} pages`
            : `paging loop: links.next after page ${page} repeats a page already read (same uri and continuation token)`,
        method: "GET",
        path: url.pathname,
        correlationId: transport.correlationId,
      });
    }
    seen.add(key);
    const res = await transport.request({ method: "GET", url, headers });
    const body = res.json as Record<string, unknown> | undefined;
    const pageItems = body && typeof body === "object" ? (body.items ?? body.Items) : undefined;
    if (!Array.isArray(pageItems)) {
      throw new BadResponseError({
        status: res.status,
        description: "expected a collection with an `items` array",
        method: "GET",
        path: url.pathname,
        requestId: res.requestId,
        correlationId: transport.correlationId,
      });
    }
    for (const item of pageItems as T[]) items.push(item);
    const next = nextLink(body as Record<string, unknown>);
    if (!next) return items;
    const resolved = resolveLink(endpoint, next.uri);
    if (!resolved) {
      throw new BadResponseError({
        status: res.status,
        description: "links.next points outside the Partner Center endpoint; refusing to follow it",
        method: "GET",
        path: url.pathname,
        requestId: res.requestId,
        correlationId: transport.correlationId,
      });
    }
    url = resolved;
    headers = linkHeaders(next.headers);
  }
}

/**
 * Collections: `{ totalCount, items, links: { next? } }`. Follow `links.next.uri` (with or
 * without the `/v1` prefix — both occur) and send every `{ key, value }` of
 * `links.next.headers` (the `MS-ContinuationToken`) until there is no `next`.
 */
import { BadResponseError } from "./errors.js";
import type { Transport } from "./transport.js";

/**
 * Pages are bounded by what the first page announces: at most twice the pages its
 * `totalCount` needs at its page size, plus two (a collection that grows while it is read
 * still fits), and never more items than twice `totalCount` plus a page. A first page
 * without `totalCount` allows this many pages. A server that hands out fresh continuation
 * tokens forever is stopped there with a BadResponseError, not followed until memory runs out.
 */
export const MAX_PAGES_UNANNOUNCED = 1_000;

/** And never more than this much body text in all, whatever the pages say (about 256 MiB of JSON). */
export const MAX_COLLECTION_CHARS = 256 * 2 ** 20;

interface PageBudget {
  maxPages: number;
  maxItems: number;
  describe: string;
}

function pageBudget(first: Record<string, unknown>, firstItems: number): PageBudget {
  const total = first.totalCount ?? first.TotalCount;
  if (typeof total !== "number" || !Number.isInteger(total) || total < 0) {
    return { maxPages: MAX_PAGES_UNANNOUNCED, maxItems: Number.POSITIVE_INFINITY, describe: `${MAX_PAGES_UNANNOUNCED} pages (the first page announced no totalCount)` };
  }
  const perPage = Math.max(1, firstItems);
  const maxPages = 2 * Math.ceil(total / perPage) + 2;
  return { maxPages, maxItems: 2 * total + perPage, describe: `${maxPages} pages or ${2 * total + perPage} items (the first page announced totalCount ${total} at ${firstItems} a page)` };
}

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
  let budget: PageBudget | undefined;
  let chars = 0;
  for (let page = 0; ; page++) {
    const key = `${url.href}\n${JSON.stringify(headers)}`;
    if (seen.has(key)) {
      throw new BadResponseError({
        description: `paging loop: links.next after page ${page} repeats a page already read (same uri and continuation token)`,
        method: "GET",
        path: first.pathname,
        correlationId: transport.correlationId,
      });
    }
    if (budget && (page >= budget.maxPages || items.length > budget.maxItems || chars > MAX_COLLECTION_CHARS)) {
      throw new BadResponseError({
        description:
          chars > MAX_COLLECTION_CHARS
            ? `paging did not end: ${page} pages read, more than ${MAX_COLLECTION_CHARS / 2 ** 20} MiB of responses in all`
            : `paging did not end: ${page} pages and ${items.length} items read, more than the ${budget.describe} allow`,
        method: "GET",
        path: first.pathname,
        correlationId: transport.correlationId,
      });
    }
    seen.add(key);
    const res = await transport.request({ method: "GET", url, headers });
    chars += res.size;
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
    budget ??= pageBudget(body as Record<string, unknown>, pageItems.length);
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

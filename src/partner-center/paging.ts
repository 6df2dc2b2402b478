/**
 * Collections: `{ totalCount, items, links: { next? } }`. Follow `links.next.uri` (with or
 * without the `/v1` prefix — both occur) and send every `{ key, value }` of
 * `links.next.headers` (the `MS-ContinuationToken`) until there is no `next`.
 */
import { BadResponseError } from "./errors.js";
import type { PartnerCenterTransport } from "./transport.js";

/**
 * The most items pcplan reads of one collection (users of one customer, customers of the
 * partner…): far above a real CSP customer's, low enough to hold in memory. A collection's
 * pages are bounded relative to what its first page announces — its `totalCount`, which
 * Partner Center sets to the items on that page, not the collection's total — at
 * MAX_COLLECTION_ITEMS ÷ that many pages, plus one. A server that hands out fresh
 * continuation tokens forever is stopped there with a BadResponseError, not followed until
 * memory runs out.
 */
export const MAX_COLLECTION_ITEMS = 250_000;

/** Empty pages in a row that still point to a next one. */
export const MAX_EMPTY_PAGES = 3;

/** And never more than this much response text in all (about 256 MiB of JSON). */
export const MAX_COLLECTION_CHARS = 256 * 2 ** 20;

function firstPageSize(first: Record<string, unknown>, items: number): number {
  const announced = first.totalCount ?? first.TotalCount;
  return typeof announced === "number" && Number.isInteger(announced) && announced > 0 ? Math.max(announced, items) : Math.max(1, items);
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
export async function collectAll<T>(transport: PartnerCenterTransport, endpoint: string, first: URL): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let url = first;
  let headers: Record<string, string> = {};
  let maxPages = Number.POSITIVE_INFINITY;
  let chars = 0;
  let emptyInARow = 0;
  const fail = (description: string): BadResponseError =>
    new BadResponseError({ description, method: "GET", path: first.pathname, correlationId: transport.correlationId });
  for (let page = 0; ; page++) {
    const key = `${url.href}\n${JSON.stringify(headers)}`;
    if (seen.has(key)) throw fail(`paging loop: links.next after page ${page} repeats a page already read (same uri and continuation token)`);
    if (page >= maxPages)
      throw fail(`paging did not end: ${page} pages read (${items.length} items), more than the ${maxPages} its first page allows at its size`);
    if (items.length > MAX_COLLECTION_ITEMS)
      throw fail(`paging did not end: ${items.length} items read, more than the ${MAX_COLLECTION_ITEMS} pcplan reads of one collection`);
    if (chars > MAX_COLLECTION_CHARS) throw fail(`paging did not end: ${page} pages read, more than ${MAX_COLLECTION_CHARS / 2 ** 20} MiB of responses in all`);
    if (emptyInARow >= MAX_EMPTY_PAGES) throw fail(`paging did not end: ${emptyInARow} empty pages in a row, each pointing to another`);
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
    if (page === 0) maxPages = Math.ceil(MAX_COLLECTION_ITEMS / firstPageSize(body as Record<string, unknown>, pageItems.length)) + 1;
    emptyInARow = pageItems.length === 0 ? emptyInARow + 1 : 0;
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

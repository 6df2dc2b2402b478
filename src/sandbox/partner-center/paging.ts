/**
 * Partner Center paging: `?size=N`, then `links.next` carries `seekOperation=Next` and an
 * `MS-ContinuationToken` header the client sends back verbatim. Our token is opaque to
 * clients but bound to the collection it came from, so a token replayed elsewhere is a 400.
 * `totalCount` is the number of items on this page, as in the reference's paged examples.
 */
import type { Collection } from "../../partner-center/types.js";
import { ErrorCode, badRequest } from "../http-error.js";
import { collection, link } from "./wire.js";

export interface PageRequest {
  query: URLSearchParams;
  continuationToken?: string;
}

export interface PageOptions {
  /** Identifies the collection, e.g. `customers` or `users:<customerId>`. */
  scope: string;
  /** Path used in `links.self` / `links.next` (with or without `/v1`, as the reference does). */
  linkPath: string;
  defaultSize: number;
  maxSize: number;
}

interface Token {
  s: string;
  o: number;
}

function encodeToken(t: Token): string {
  return Buffer.from(JSON.stringify(t)).toString("base64url");
}

function decodeToken(raw: string, scope: string): number {
  let t: unknown;
  try {
    t = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    t = undefined;
  }
  const tok = t as Partial<Token> | undefined;
  if (!tok || typeof tok !== "object" || tok.s !== scope || !Number.isInteger(tok.o) || (tok.o ?? -1) < 0) {
    throw badRequest(ErrorCode.invalidInput, "The continuation token is invalid or belongs to another collection.");
  }
  return tok.o as number;
}

export function pageSize(query: URLSearchParams, defaultSize: number, maxSize: number): number {
  const raw = query.get("size");
  if (raw === null) return defaultSize;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw badRequest(ErrorCode.invalidInput, `size must be a positive integer, got "${raw}".`);
  return Math.min(n, maxSize);
}

export function paginate<T>(req: PageRequest, items: readonly T[], opts: PageOptions): Collection<T> {
  const size = pageSize(req.query, opts.defaultSize, opts.maxSize);
  const seekNext = req.query.get("seekOperation")?.toLowerCase() === "next";
  if (seekNext && req.continuationToken === undefined) {
    throw badRequest(ErrorCode.invalidInput, "seekOperation=Next needs the MS-ContinuationToken header from links.next.");
  }
  const offset = req.continuationToken !== undefined ? decodeToken(req.continuationToken, opts.scope) : 0;
  const pageItems = items.slice(offset, offset + size);
  const end = offset + pageItems.length;
  const links: NonNullable<Collection<T>["links"]> = { self: link(`${opts.linkPath}?size=${size}`) };
  if (end < items.length) {
    links.next = link(`${opts.linkPath}?size=${size}&seekOperation=Next`, "GET", [
      { key: "MS-ContinuationToken", value: encodeToken({ s: opts.scope, o: end }) },
    ]);
  }
  return collection(pageItems, links);
}

/**
 * Partner Center ids (customer tenant ids, subscription ids, sku ids) are GUIDs whose case
 * varies even within one payload (`"A356AC8C-…"` in `id`, lowercase in `links.self`).
 * Compare them case-insensitively; store and key maps by `normId`.
 */

/** Canonical form of an id for comparison and map keys: trimmed, lowercase. */
export function normId(id: string): string {
  return id.trim().toLowerCase();
}

/** True when two ids name the same thing (case-insensitive; undefined never matches). */
export function sameId(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return false;
  return normId(a) === normId(b);
}

export { isGuid } from "../util/guid.js";

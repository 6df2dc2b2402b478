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

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed GUID in any case (`8-4-4-4-12` hex digits). */
export function isGuid(id: string): boolean {
  return GUID.test(id.trim());
}

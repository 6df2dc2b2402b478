/**
 * GUIDs (tenant, subscription, SKU and user ids): `8-4-4-4-12` hex digits. Partner Center mixes
 * their case even within one payload, so pcplan lowercases them once and compares lowercase.
 */
export const GUID_PATTERN = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";

const GUID = new RegExp(GUID_PATTERN);
const LOWERCASE_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A well-formed GUID in any case (surrounding whitespace tolerated). */
export function isGuid(s: string): boolean {
  return GUID.test(s.trim());
}

/** The canonical form pcplan stores: lowercase, no whitespace. */
export function isLowercaseGuid(s: string): boolean {
  return LOWERCASE_GUID.test(s);
}

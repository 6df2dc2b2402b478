/**
 * Tiny structural checks for files pcplan wrote itself and reads back (saved plans): each
 * returns `path: message` for the first problem, or undefined. JSON Schema (ajv) is used for
 * what users and services write; these stay because every action kind declares its own shape
 * next to its other rules (src/actions/), without a schema compile per kind.
 */
import { isLowercaseGuid } from "./guid.js";

export type Check = (v: unknown, path: string) => string | undefined;

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
export const str: Check = (v, p) => (typeof v === "string" ? undefined : `${p}: must be a string`);
export const guid: Check = (v, p) => (typeof v === "string" && isLowercaseGuid(v) ? undefined : `${p}: must be a lowercase GUID`);
export const bool: Check = (v, p) => (typeof v === "boolean" ? undefined : `${p}: must be a boolean`);
export const count: Check = (v, p) => (Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : `${p}: must be a non-negative integer`);
export const positive: Check = (v, p) => (Number.isSafeInteger(v) && (v as number) >= 1 ? undefined : `${p}: must be a positive integer`);
export const oneOf =
  (...values: readonly string[]): Check =>
  (v, p) =>
    typeof v === "string" && values.includes(v) ? undefined : `${p}: must be one of ${values.join(", ")}`;
export const optional =
  (c: Check): Check =>
  (v, p) =>
    v === undefined ? undefined : c(v, p);
export const nullable =
  (c: Check): Check =>
  (v, p) =>
    v === null ? undefined : c(v, p);
export const array =
  (c: Check): Check =>
  (v, p) => {
    if (!Array.isArray(v)) return `${p}: must be an array`;
    for (let i = 0; i < v.length; i++) {
      const e = c(v[i], `${p}[${i}]`);
      if (e) return e;
    }
    return undefined;
  };

/** An object with exactly these keys (optional ones may be absent); any other key is refused unless `open`. */
export const object =
  (fields: Record<string, Check>, open = false): Check =>
  (v, p) => {
    if (!isObj(v)) return `${p}: must be an object`;
    if (!open) for (const k of Object.keys(v)) if (!Object.hasOwn(fields, k)) return `${p}: unknown field "${k}"`;
    for (const [k, c] of Object.entries(fields)) {
      const e = c(v[k], `${p}.${k}`);
      if (e) return e;
    }
    return undefined;
  };

export const skuRef: Check = object({ skuId: guid, skuPartNumber: str, displayName: str });

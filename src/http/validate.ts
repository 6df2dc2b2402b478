/**
 * Response validation for every adapter on the HTTP layer: JSON Schemas (2020-12, built with
 * schema.ts so each is tied to its wire type) compiled once with ajv, and a failed check turned
 * into `path: problem` lines — `items[2].consumedUnits: must be a number, got null`. Validation
 * also normalises in place: enumerations to lowercase (`enumCi`), null optional fields removed
 * (`dropNull`). Nothing is coerced: `"40"` stays an error. Partner Center and Microsoft Graph
 * answers are checked this same way; an adapter adds its own string formats (Partner Center's
 * lenient dates).
 */
import { createRequire } from "node:module";
import type { DataValidationCxt, SchemaValidateFunction } from "ajv/dist/types/index.js";
import type { Ajv2020 as Ajv, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import type { JsonSchema } from "./schema.js";

/** ajv, loaded on the first checker made: a command that checks no answer does not pay for it at start. */
const loadAjv = (): typeof Ajv => (createRequire(import.meta.url)("ajv/dist/2020.js") as { Ajv2020: typeof Ajv }).Ajv2020;

/** Problems with one answer, `path: problem` each, in document order; empty when it is usable. */
export type ResponseValidator = (answer: unknown) => string[];

export interface SchemaChecker {
  /** A validator for `json`; `list` checks an array of such items and names them `items[2]…`. */
  compile(json: JsonSchema, list?: boolean): ResponseValidator;
}

/** Problems listed in full in one message; the rest are counted. */
const MAX_SHOWN = 5;
const MAX_VALUE_CHARS = 40;

const enumCi: SchemaValidateFunction = (allowed: string[], data: string, _parentSchema?: unknown, cxt?: DataValidationCxt) => {
  const value = data.trim().toLowerCase();
  if (!allowed.includes(value)) {
    enumCi.errors = [{ keyword: "enumCi", message: `must be one of ${allowed.join(", ")} (in any case)`, params: { allowed } }];
    return false;
  }
  if (cxt) cxt.parentData[cxt.parentDataProperty] = value;
  return true;
};

const dropNull: SchemaValidateFunction = (fields: string[], data: Record<string, unknown>) => {
  for (const field of fields) if (data[field] === null) delete data[field];
  return true;
};

/** One ajv with pcplan's keywords and the given string formats (`name` → test). */
export function schemaChecker(formats: Record<string, (value: string) => boolean> = {}): SchemaChecker {
  const Ajv2020 = loadAjv();
  // validateSchema off: checking a schema against JSON Schema's own costs compiling that one (60-80
  // ms a process, at every spawn); pcplan's schemas are fixed, and checked so by a test instead
  // (test/http/schemas-valid.test.ts). Strict mode still refuses an unknown keyword at compile.
  const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true, coerceTypes: false, useDefaults: false, validateSchema: false });
  for (const [name, validate] of Object.entries(formats)) ajv.addFormat(name, { type: "string", validate });
  ajv.addKeyword({ keyword: "enumCi", type: "string", schemaType: "array", modifying: true, errors: true, validate: enumCi });
  // Before `properties`, so a null optional field is gone before its type is checked.
  ajv.addKeyword({ keyword: "dropNull", type: "object", schemaType: "array", modifying: true, errors: false, before: "properties", validate: dropNull });
  return {
    compile(json, list = false) {
      const validate = ajv.compile(list ? { type: "array", items: json } : json);
      return (answer) => problems(validate, answer, list);
    },
  };
}

function problems(validate: ValidateFunction, answer: unknown, list: boolean): string[] {
  if (validate(answer)) return [];
  const lines = (validate.errors ?? []).map((e) => `${pathOf(e, list)}: ${problemOf(e)}`);
  const unique = [...new Set(lines)];
  return unique.length > MAX_SHOWN ? [...unique.slice(0, MAX_SHOWN), `… and ${unique.length - MAX_SHOWN} more`] : unique;
}

/** `/2/productSku/id` → `items[2].productSku.id` (list calls) or `productSku.id`. */
function pathOf(e: ErrorObject, list: boolean): string {
  const segments = e.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (e.keyword === "required") segments.push(String((e.params as { missingProperty: string }).missingProperty));
  let path = list ? "items" : "";
  for (const s of segments) path += /^\d+$/.test(s) ? `[${s}]` : `${path ? "." : ""}${s}`;
  return path || "(the answer)";
}

const ARTICLE: Record<string, string> = {
  number: "a number",
  integer: "a number",
  string: "a string",
  boolean: "true or false",
  object: "an object",
  array: "an array",
};

function problemOf(e: ErrorObject): string {
  const got = `got ${shown(e.data)}`;
  switch (e.keyword) {
    case "required":
      return "missing";
    case "type": {
      const type = String((e.params as { type: string }).type);
      if (type === "integer" && typeof e.data === "number") return `must be a whole number, ${got}`;
      return `must be ${ARTICLE[type] ?? type}, ${got}`;
    }
    case "minimum":
      return `must be ${String((e.params as { limit: number }).limit)} or more, ${got}`;
    case "maximum":
      return `must be ${String((e.params as { limit: number }).limit)} or less (no real count is larger), ${got}`;
    case "minLength":
      return "must not be empty";
    case "format":
      return `must be a date, ${got}`;
    default:
      return `${e.message ?? e.keyword}, ${got}`;
  }
}

/** A value as the message shows it: short, quoted if a string, with control and bidi characters escaped. */
function shown(value: unknown): string {
  if (value === null || typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") {
    const clipped = value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
    return JSON.stringify(clipped).replace(
      /[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  }
  return Array.isArray(value) ? "an array" : value === undefined ? "nothing" : "an object";
}

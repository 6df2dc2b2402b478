import type { ErrorObject } from "ajv";
import { closestMatch } from "../util/closest-match.js";
import { pointerToPath, type PathSegment } from "../util/field-path.js";
import type { Anchor } from "./yaml-locate.js";

/** One schema violation in pcplan's words: where to point, which field path to name, what to say. */
export interface SchemaProblem {
  /** Node to point at. */
  at: PathSegment[];
  anchor: Anchor;
  /** Field path to report (for a missing field: the field itself, though it points at its parent). */
  path: PathSegment[];
  message: string;
}

interface ParentSchema {
  properties?: Record<string, unknown>;
  patternErrorMessage?: string;
  errorMessage?: string;
}

const TYPE_NAMES: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  null: "empty",
};

function describe(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "number") return Number.isInteger(value) ? "a whole number" : "a number";
  if (typeof value === "boolean") return "true/false";
  return "a string";
}

/**
 * ajv's errors (allErrors, verbose) turned into messages a plan author can act on. An `anyOf`
 * with an `errorMessage` replaces the errors of its branches with that one message.
 */
export function schemaProblems(errors: readonly ErrorObject[], data: unknown): SchemaProblem[] {
  const covered = errors
    .filter((e) => e.keyword === "anyOf" && typeof (e.parentSchema as ParentSchema | undefined)?.errorMessage === "string")
    .map((e) => e.schemaPath + "/");
  return errors.filter((e) => !covered.some((prefix) => e.schemaPath.startsWith(prefix))).map((e) => problemOf(e, data));
}

function problemOf(e: ErrorObject, data: unknown): SchemaProblem {
  const path = pointerToPath(e.instancePath, data);
  const parent = e.parentSchema as ParentSchema | undefined;
  const p = e.params as Record<string, unknown>;
  const atValue = (message: string): SchemaProblem => ({ at: path, anchor: "value", path, message });
  switch (e.keyword) {
    case "required": {
      const field = String(p.missingProperty);
      return { at: path, anchor: "key", path: [...path, field], message: `missing required field "${field}"` };
    }
    case "additionalProperties": {
      const field = String(p.additionalProperty);
      const allowed = Object.keys(parent?.properties ?? {});
      const guess = closestMatch(field, allowed);
      const hint = guess ? `did you mean "${guess}"?` : `expected one of: ${allowed.join(", ")}`;
      return { at: [...path, field], anchor: "key", path: [...path, field], message: `unknown field "${field}" (${hint})` };
    }
    case "type": {
      const want = String(p.type)
        .split(",")
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(" or ");
      return atValue(`must be ${want}, not ${describe(e.data)}`);
    }
    case "const":
      return atValue(`must be ${JSON.stringify(p.allowedValue)}`);
    case "enum":
      return atValue(`must be one of: ${(p.allowedValues as unknown[]).map(String).join(", ")}`);
    case "pattern":
      return atValue(parent?.patternErrorMessage ?? `must match ${String(p.pattern)}`);
    case "anyOf":
      return atValue(parent?.errorMessage ?? "does not match any allowed form");
    default:
      return atValue(limitMessage(e.keyword, p.limit) ?? e.message ?? e.keyword);
  }
}

/** minLength, maxLength, minItems, maxItems, minimum, maximum in words. */
function limitMessage(keyword: string, limit: unknown): string | undefined {
  switch (keyword) {
    case "minLength":
      return limit === 1 ? "must not be empty" : `must be at least ${String(limit)} characters`;
    case "maxLength":
      return `must be at most ${String(limit)} characters`;
    case "minItems":
      return `must list at least ${String(limit)} item${limit === 1 ? "" : "s"}`;
    case "maxItems":
      return `must list at most ${String(limit)} items`;
    case "minimum":
      return `must be at least ${String(limit)}`;
    case "maximum":
      return `must be at most ${String(limit)}`;
    default:
      return undefined;
  }
}

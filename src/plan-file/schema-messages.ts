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
  const problems: SchemaProblem[] = [];
  for (const e of errors) {
    if (covered.some((prefix) => e.schemaPath.startsWith(prefix))) continue;
    const path = pointerToPath(e.instancePath, data);
    const parent = e.parentSchema as ParentSchema | undefined;
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case "required": {
        const field = String(p.missingProperty);
        problems.push({ at: path, anchor: "key", path: [...path, field], message: `missing required field "${field}"` });
        break;
      }
      case "additionalProperties": {
        const field = String(p.additionalProperty);
        const allowed = Object.keys(parent?.properties ?? {});
        const guess = closestMatch(field, allowed);
        const hint = guess ? `did you mean "${guess}"?` : `expected one of: ${allowed.join(", ")}`;
        problems.push({ at: [...path, field], anchor: "key", path: [...path, field], message: `unknown field "${field}" (${hint})` });
        break;
      }
      case "type": {
        const want = String(p.type)
          .split(",")
          .map((t) => TYPE_NAMES[t] ?? t)
          .join(" or ");
        problems.push({ at: path, anchor: "value", path, message: `must be ${want}, not ${describe(e.data)}` });
        break;
      }
      case "const":
        problems.push({ at: path, anchor: "value", path, message: `must be ${JSON.stringify(p.allowedValue)}` });
        break;
      case "pattern":
        problems.push({ at: path, anchor: "value", path, message: parent?.patternErrorMessage ?? `must match ${String(p.pattern)}` });
        break;
      case "anyOf":
        problems.push({ at: path, anchor: "value", path, message: parent?.errorMessage ?? "does not match any allowed form" });
        break;
      case "minLength":
        problems.push({ at: path, anchor: "value", path, message: p.limit === 1 ? "must not be empty" : `must be at least ${String(p.limit)} characters` });
        break;
      case "maxLength":
        problems.push({ at: path, anchor: "value", path, message: `must be at most ${String(p.limit)} characters` });
        break;
      case "minItems":
        problems.push({ at: path, anchor: "value", path, message: `must list at least ${String(p.limit)} item${p.limit === 1 ? "" : "s"}` });
        break;
      case "maxItems":
        problems.push({ at: path, anchor: "value", path, message: `must list at most ${String(p.limit)} items` });
        break;
      case "minimum":
      case "maximum":
        problems.push({ at: path, anchor: "value", path, message: `must be ${e.keyword === "minimum" ? "at least" : "at most"} ${String(p.limit)}` });
        break;
      default:
        problems.push({ at: path, anchor: "value", path, message: e.message ?? e.keyword });
    }
  }
  return problems;
}

/**
 * JSON Schemas built in TypeScript and tied at compile time to the type they check, validated by
 * pcplan's one ajv (./ajv.ts). `objectOf<T>()` must give every field of T a schema of that
 * field's own type, so a type and its schema cannot drift apart: a field added to an action and
 * not to its schema is a type error. Each schema says in words what a value must be
 * (`errorMessage`), and a problem comes back as `$.path.to.field: message`.
 */
import { createAjv, type ErrorObject, type ValidateFunction } from "./ajv.js";
import { pointerToPath, type PathSegment } from "./field-path.js";

export type JsonSchema = Readonly<Record<string, unknown>>;

/** A JSON Schema for values of type T. T is a compile-time tag (invariant), absent at run time. */
export interface Schema<T> {
  readonly json: JsonSchema;
  readonly _type?: (value: T) => T;
}

const schema = <T>(json: JsonSchema): Schema<T> => ({ json });

export const text = schema<string>({ type: "string", errorMessage: "must be a string" });
export const lowercaseGuid = schema<string>({
  type: "string",
  pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
  errorMessage: "must be a lowercase GUID",
});
export const count = schema<number>({ type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER, errorMessage: "must be a non-negative integer" });
export const positive = schema<number>({ type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER, errorMessage: "must be a positive integer" });
/** Any object (its fields are not checked): what is kept and shown, never decided on. */
export const anyObject = schema<Record<string, unknown>>({ type: "object", errorMessage: "must be an object" });

/** Exactly one of these strings. */
export function oneOf<const V extends readonly string[]>(...values: V): Schema<V[number]> {
  return schema({ type: "string", enum: [...values], errorMessage: `must be one of ${values.join(", ")}` });
}

/** This one string (a tag: `kind: "purchase"`). */
export function constant<const V extends string>(value: V): Schema<V> {
  return schema({ type: "string", const: value, errorMessage: `must be "${value}"` });
}

/** The value, or null. */
export function nullable<T>(s: Schema<T>): Schema<T | null> {
  const { type, errorMessage, ...rest } = s.json;
  return schema({ ...rest, type: [type, "null"], errorMessage: `${String(errorMessage)}, or null` });
}

export function arrayOf<T>(item: Schema<T>): Schema<T[]> {
  return schema({ type: "array", items: item.json, errorMessage: "must be an array" });
}

/**
 * An object with exactly T's fields, each required (a `T | null` field is present and null);
 * any other field is refused, unless `open` (then other fields are kept, unchecked).
 */
export function objectOf<T extends object>(fields: { [K in keyof T]-?: Schema<T[K]> }, opts: { open?: boolean } = {}): Schema<T> {
  const properties = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, (v as Schema<unknown>).json]));
  return schema({
    type: "object",
    properties,
    required: Object.keys(properties),
    ...(opts.open ? {} : { additionalProperties: false }),
    errorMessage: "must be an object",
  });
}

/**
 * An object schema (from `objectOf`) with further fields that may be absent: each checked when
 * present. `T` is the type with them optional.
 */
export function withOptional<T extends object, O extends object>(
  base: Schema<Omit<T, keyof O>>,
  optional: { [K in keyof O]-?: Schema<NonNullable<O[K]>> },
): Schema<T> {
  const properties = {
    ...(base.json.properties as Record<string, unknown>),
    ...Object.fromEntries(Object.entries(optional).map(([k, v]) => [k, (v as Schema<unknown>).json])),
  };
  return schema({ ...base.json, properties });
}

/**
 * A union told apart by one string field (`kind`, `commerce`): each value of the tag with the
 * schema of its member. Every member of T must be listed, and no other.
 */
export function taggedUnion<T extends object, const Tag extends keyof T & string>(
  tag: Tag,
  members: { [V in T[Tag] & string]: Schema<Extract<T, Record<Tag, V>>> },
): Schema<T> {
  const branches = Object.entries(members).map(([value, s]) => {
    const json = (s as Schema<unknown>).json;
    const properties = { ...(json.properties as Record<string, unknown> | undefined), [tag]: { const: value } };
    return { ...json, properties, required: [...new Set([tag, ...((json.required as string[] | undefined) ?? [])])] };
  });
  return schema({
    type: "object",
    properties: { [tag]: { type: "string", errorMessage: `must be one of ${Object.keys(members).join(", ")}` } },
    required: [tag],
    discriminator: { propertyName: tag },
    oneOf: branches,
    errorMessage: "must be an object",
  });
}

/** A compiled check: the value as T, or the first problem as `$.path: message`. */
export type Check<T> = (value: unknown) => { ok: true; value: T } | { ok: false; problem: string };

/** Compiles the schema once (first problem only: these are files pcplan wrote itself). */
export function compileCheck<T>(s: Schema<T>): Check<T> {
  let validate: ValidateFunction | undefined;
  return (value) => {
    validate ??= createAjv({ allErrors: false }).compile(s.json);
    if (validate(value)) return { ok: true, value: value as T };
    const error = validate.errors?.[0];
    return { ok: false, problem: error ? problemOf(error, value) : "$: does not match its schema" };
  };
}

/** One ajv error in the schema's own words. */
function problemOf(e: ErrorObject, data: unknown): string {
  const at = pointerToPath(e.instancePath, data);
  const parent = e.parentSchema as { errorMessage?: string; properties?: Record<string, { errorMessage?: string }> } | undefined;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required": {
      const field = String(p.missingProperty);
      const want = parent?.properties?.[field]?.errorMessage;
      return `${jsonPath([...at, field])}: missing${want ? `; ${want}` : ""}`;
    }
    case "additionalProperties":
      return `${jsonPath(at)}: unknown field "${String(p.additionalProperty)}"`;
    case "discriminator": {
      const tag = String(p.tag);
      return `${jsonPath([...at, tag])}: ${parent?.properties?.[tag]?.errorMessage ?? "is not one of the known values"}`;
    }
    default:
      return `${jsonPath(at)}: ${parent?.errorMessage ?? e.message ?? e.keyword}`;
  }
}

/** `$`, `$.customers[0].plan.actions[2].quantity`, `$["odd key"]`. */
export function jsonPath(segments: readonly PathSegment[]): string {
  return "$" + segments.map((s) => (typeof s === "number" ? `[${s}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join("");
}

/**
 * JSON Schemas (2020-12) tied at compile time to the wire types of `types.ts`, so a schema and
 * its type cannot drift apart silently: `objectOf<T>()` names only fields of T, gives each one a
 * schema of the field's own type (a number field takes `count`, never `text`), and must list
 * every field T requires in `required`, or in `mayOmit` when the service is known to leave it
 * out and the engine never reads it. A miss is a type error naming the field.
 *
 * Two keywords of ours, implemented in `validate.ts`:
 * - `enumCi`: the value, trimmed and lowercased, must be one of the (lowercase) values; the
 *   value is replaced by that normalised form. Partner Center has sent `"ACTIVE"`.
 * - `dropNull`: the listed optional fields are removed when they are `null`, so an optional
 *   field is either absent or of its type (the types say `field?: string`, not `string | null`).
 */

export type JsonSchema = Readonly<Record<string, unknown>>;

/** A JSON Schema for values of type T. T is a compile-time tag (invariant), absent at run time. */
export interface Schema<T> {
  readonly json: JsonSchema;
  readonly _type?: (value: T) => T;
}

/** An id as given (any case, not necessarily a GUID: order and offer ids are not); never empty. */
export const id: Schema<string> = { json: { type: "string", minLength: 1 } };
export const text: Schema<string> = { json: { type: "string" } };
/**
 * The most seats a subscription, an order or cart line, or the users holding one SKU can count:
 * a million, as many as a plan file may ask for (plan-schema.ts). Above it a number is no real
 * seat count but a lie or a corruption (`1e308` once made every sum it entered infinite, and the
 * resizes and suspensions resting on those sums silently vanished): the answer is malformed.
 */
export const MAX_SEATS = 1_000_000;
/**
 * The bound of every other count and unit total: a thousand times MAX_SEATS. A SKU's owned units
 * may be far above any seat count (free SKUs come with allotments in the millions) and an offer's
 * `maximumQuantity` is a limit, not seats (Partner Center's own example says 10,000,000).
 */
export const MAX_UNITS = 1_000_000_000;
/** Seats: a JSON number, whole, from 0 to MAX_SEATS. `"40"` is not a count, nor is `1e308`. */
export const seats: Schema<number> = { json: { type: "integer", minimum: 0, maximum: MAX_SEATS } };
/** A unit total or other count: a JSON number, whole, from 0 to MAX_UNITS. */
export const count: Schema<number> = { json: { type: "integer", minimum: 0, maximum: MAX_UNITS } };
/** A whole number that may be negative (e.g. `availableUnits` when more are assigned than owned), within ±MAX_UNITS. */
export const integer: Schema<number> = { json: { type: "integer", minimum: -MAX_UNITS, maximum: MAX_UNITS } };
export const flag: Schema<boolean> = { json: { type: "boolean" } };
/** Anything at all (a field whose presence matters, not its shape). */
export const anything: Schema<unknown> = { json: {} };

export function arrayOf<T>(item: Schema<T>): Schema<T[]> {
  return { json: { type: "array", items: item.json } };
}

/** Fields of T that T does not mark optional. */
export type RequiredKeys<T> = {
  [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? never : K;
}[keyof T] &
  string;

/** Makes the argument unassignable (naming what is missing) unless `Missing` is `never`. */
type Covers<Missing, Label extends string> = [Missing] extends [never] ? unknown : Record<Label, Missing>;

type Fields<T> = { [K in keyof T]?: Schema<NonNullable<T[K]>> };

/**
 * An object schema for T. Fields not named are allowed (the service adds fields) and not checked.
 *
 *     objectOf<ProductSku>()({ required: ["id", "name", "skuPartNumber"], fields: { id, name: text, skuPartNumber: text } })
 */
export function objectOf<T>() {
  return <const R extends readonly RequiredKeys<T>[], const O extends readonly RequiredKeys<T>[] = []>(
    def: {
      required: R;
      /** Fields T requires that the service may omit; the engine must not read them. Say why beside it. */
      mayOmit?: O;
      fields: Fields<T> & { [K in R[number]]-?: Schema<NonNullable<T[K]>> };
    } & Covers<Exclude<RequiredKeys<T>, R[number] | O[number]>, "requiredByTheTypeButNotListed">,
  ): Schema<T> => {
    const fields = def.fields as Record<string, Schema<unknown> | undefined>;
    const properties: Record<string, JsonSchema> = {};
    for (const [name, schema] of Object.entries(fields)) if (schema) properties[name] = schema.json;
    const required: readonly string[] = def.required;
    const optional = Object.keys(properties).filter((name) => !required.includes(name));
    return {
      json: {
        type: "object",
        required: [...required],
        ...(optional.length > 0 ? { dropNull: optional } : {}),
        properties,
      },
    };
  };
}

/**
 * A closed set of lowercase strings, matched in any case and surrounding space and returned
 * lowercase. Must list every member of E.
 */
export function anyCaseOf<E extends string>() {
  return <const V extends readonly E[]>(values: V & Covers<Exclude<E, V[number]>, "valuesNotListed">): Schema<E> => ({
    json: { type: "string", enumCi: [...values] },
  });
}

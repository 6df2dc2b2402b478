/**
 * The one JSON Schema validator pcplan uses (ajv, JSON Schema 2020-12): plan files
 * (src/plan-file/plan-schema.ts) and saved plans (src/saved-plan/, through the typed builder of
 * ./json-schema.ts) are checked by it, each against a schema, never by hand.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import * as ajvFormats from "ajv-formats";

// ajv-formats is CommonJS with `exports.default`: under NodeNext the function sits on `.default`.
const addFormats = ajvFormats.default.default;

export type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";

/**
 * Strict mode, parent schemas in errors (for messages), `discriminator` for tagged unions, and the
 * message keywords pcplan's schemas carry: `errorMessage` (what a value of this schema must be,
 * in words) and `patternErrorMessage` (the same for a pattern), read by editors' language servers too.
 * `allErrors`: every problem (a plan author fixes them all at once), or the first (a file pcplan wrote).
 */
export function createAjv(opts: { allErrors: boolean }): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: opts.allErrors, verbose: true, discriminator: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: "patternErrorMessage", schemaType: "string" });
  ajv.addKeyword({ keyword: "errorMessage", schemaType: "string" });
  return ajv;
}

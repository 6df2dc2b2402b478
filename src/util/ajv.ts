/**
 * The one JSON Schema validator pcplan uses (ajv, JSON Schema 2020-12): plan files
 * (src/plan-file/plan-schema.ts) and saved plans (src/saved-plan/, through the typed builder of
 * ./json-schema.ts) are checked by it, each against a schema, never by hand.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import * as ajvFormats from "ajv-formats";
import { _ } from "ajv/dist/compile/codegen/index.js";

// ajv-formats is CommonJS with `exports.default`: under NodeNext the function sits on `.default`.
const addFormats = ajvFormats.default.default;

export type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";

/**
 * Strict mode, parent schemas in errors (for messages), `discriminator` for tagged unions, and the
 * message keywords pcplan's schemas carry: `errorMessage` (what a value of this schema must be,
 * in words) and `patternErrorMessage` (the same for a pattern), read by editors' language servers too.
 * `allErrors`: every problem (a plan author fixes them all at once), or the first (a file pcplan wrote).
 */
export function createAjv(opts: { allErrors: boolean; source?: boolean }): Ajv2020 {
  // `source`: the validators keep their code for ajv's standalone modules (the build's precompiled
  // plan validator, src/plan-file/precompile.ts), which then take the formats from ajv-formats.
  const code = opts.source ? { code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } } : {};
  // validateSchema off, as in src/http/validate.ts: pcplan's own schemas are checked against JSON
  // Schema's by a test (test/http/schemas-valid.test.ts), not by compiling its meta-schema at every start.
  const ajv = new Ajv2020({ strict: true, allErrors: opts.allErrors, verbose: true, discriminator: true, validateSchema: false, ...code });
  addFormats(ajv);
  ajv.addKeyword({ keyword: "patternErrorMessage", schemaType: "string" });
  ajv.addKeyword({ keyword: "errorMessage", schemaType: "string" });
  return ajv;
}

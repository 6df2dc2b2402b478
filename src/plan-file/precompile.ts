/**
 * The plan validator as a CommonJS module of ajv's standalone code, stamped with the schema's hash
 * (schema-validator.ts loads it only when the hash matches). Build time only: written into dist/ by
 * scripts/precompile-schemas.ts; never imported by the CLI.
 */
import standalone from "ajv/dist/standalone/index.js";
import { createAjv } from "../util/ajv.js";
import { PLAN_SCHEMA } from "./plan-schema.js";
import { planSchemaHash } from "./schema-validator.js";

// ajv's standalone entry is CommonJS with `exports.default`: under NodeNext the function sits on `.default`.
const moduleCode = standalone.default;

export function planValidatorModule(): string {
  const ajv = createAjv({ allErrors: true, source: true });
  const code = moduleCode(ajv, ajv.compile(PLAN_SCHEMA));
  return `${code}\nmodule.exports.schemaHash = ${JSON.stringify(planSchemaHash())};\n`;
}

import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import * as ajvFormats from "ajv-formats";
import { PLAN_SCHEMA } from "./plan-schema.js";

// ajv-formats is CommonJS with `exports.default`: under NodeNext the function sits on `.default`.
const addFormats = ajvFormats.default.default;

let compiled: ValidateFunction | undefined;

/** The plan schema compiled once per process: strict mode, all errors, parent schemas in errors (for messages). */
export function planValidator(): ValidateFunction {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true });
  addFormats(ajv);
  // Editor-facing message keywords (VS Code's JSON/YAML language servers): annotations for ajv.
  ajv.addKeyword({ keyword: "patternErrorMessage", schemaType: "string" });
  ajv.addKeyword({ keyword: "errorMessage", schemaType: "string" });
  compiled = ajv.compile(PLAN_SCHEMA);
  return compiled;
}

export type SchemaError = ErrorObject;

import { createAjv, type ErrorObject, type ValidateFunction } from "../util/ajv.js";
import { PLAN_SCHEMA } from "./plan-schema.js";

let compiled: ValidateFunction | undefined;

/** The plan schema compiled once per process, reporting every problem (src/util/ajv.ts). */
export function planValidator(): ValidateFunction {
  compiled ??= createAjv({ allErrors: true }).compile(PLAN_SCHEMA);
  return compiled;
}

export type SchemaError = ErrorObject;

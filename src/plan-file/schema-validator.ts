import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "../util/ajv.js";
import { PLAN_SCHEMA } from "./plan-schema.js";

/**
 * The build's precompiled plan validator, beside this module in dist/ (precompile.ts, written by
 * scripts/precompile-schemas.ts): ajv's own code for the schema, so a process that checks plans
 * does not compile it (two fifths of the CPU of `pcplan validate`; docs/performance.md, "Cold
 * start"). From src/ (vitest, tsx) there is none and the schema is compiled as before.
 */
export const PRECOMPILED_FILE = "plan-schema.validate.cjs";

let compiled: ValidateFunction | undefined;

/**
 * The plan schema's validator, once per process, reporting every problem (src/util/ajv.ts, loaded
 * only to compile: the precompiled validator needs none of ajv's compiler).
 */
export async function planValidator(): Promise<ValidateFunction> {
  compiled ??= usablePrecompiled(loadPrecompiled()) ?? (await import("../util/ajv.js")).createAjv({ allErrors: true }).compile(PLAN_SCHEMA);
  return compiled;
}

/** What a precompiled validator is tied to: the schema it was generated from, to the byte. */
export function planSchemaHash(): string {
  return createHash("sha256").update(JSON.stringify(PLAN_SCHEMA)).digest("hex");
}

/** The precompiled module, only when it was built from this very schema: a stale one is never used. */
export function usablePrecompiled(module: unknown): ValidateFunction | undefined {
  if (typeof module !== "function") return undefined;
  return (module as { schemaHash?: unknown }).schemaHash === planSchemaHash() ? (module as ValidateFunction) : undefined;
}

function loadPrecompiled(): unknown {
  try {
    return createRequire(import.meta.url)(`./${PRECOMPILED_FILE}`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") return undefined;
    throw err;
  }
}

export type SchemaError = ErrorObject;

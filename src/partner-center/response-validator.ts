/**
 * The Partner Center answers' validators: the schemas of response-schemas.ts compiled with the
 * HTTP layer's checker (src/http/validate.ts), plus Partner Center's lenient dates as the
 * `pc-date` format. Each is compiled on its method's first answer, once per process: a run pays
 * for the schemas of the calls it makes (`plan` makes about half of them; ajv's compiling was a
 * sixth of a spawned `pcplan plan`'s CPU when all were compiled up front).
 */
import { schemaChecker, type ResponseValidator, type SchemaChecker } from "../http/validate.js";
import { parsePcDate } from "./dates.js";
import { RESPONSE_CHECKS, type ApiMethod } from "./response-schemas.js";

export type { ResponseValidator } from "../http/validate.js";

let shared: { [K in ApiMethod]: ResponseValidator } | undefined;

/** One validator per API method, shared by every client; each compiles its schema when first used. */
export function responseValidators(): { [K in ApiMethod]: ResponseValidator } {
  if (shared) return shared;
  let checker: SchemaChecker | undefined;
  const out: Partial<Record<ApiMethod, ResponseValidator>> = {};
  for (const method of Object.keys(RESPONSE_CHECKS) as ApiMethod[]) {
    let validate: ResponseValidator | undefined;
    out[method] = (answer) => {
      if (!validate) {
        checker ??= schemaChecker({ "pc-date": (s) => parsePcDate(s) !== undefined });
        const check = RESPONSE_CHECKS[method];
        validate = "each" in check ? checker.compile(check.each.json, true) : checker.compile(check.one.json);
      }
      return validate(answer);
    };
  }
  shared = out as { [K in ApiMethod]: ResponseValidator };
  return shared;
}

/**
 * The Partner Center answers' validators: the schemas of response-schemas.ts compiled once per
 * process with the HTTP layer's checker (src/http/validate.ts), plus Partner Center's lenient
 * dates as the `pc-date` format.
 */
import { schemaChecker, type ResponseValidator } from "../http/validate.js";
import { parsePcDate } from "./dates.js";
import { RESPONSE_CHECKS, type ApiMethod } from "./response-schemas.js";

export type { ResponseValidator } from "../http/validate.js";

let compiled: { [K in ApiMethod]: ResponseValidator } | undefined;

/** One validator per API method, compiled on first use and shared by every client after. */
export function responseValidators(): { [K in ApiMethod]: ResponseValidator } {
  if (compiled) return compiled;
  const checker = schemaChecker({ "pc-date": (s) => parsePcDate(s) !== undefined });
  const out: Partial<Record<ApiMethod, ResponseValidator>> = {};
  for (const method of Object.keys(RESPONSE_CHECKS) as ApiMethod[]) {
    const check = RESPONSE_CHECKS[method];
    out[method] = "each" in check ? checker.compile(check.each.json, true) : checker.compile(check.one.json);
  }
  compiled = out as { [K in ApiMethod]: ResponseValidator };
  return compiled;
}

/**
 * `validatedApi(api)`: the same `PartnerCenterApi`, but every answer is checked against its
 * schema (response-schemas.ts) before anyone reads it, and returned normalised (statuses
 * lowercase, null optional fields dropped). An answer that does not fit throws
 * `InvalidResponseError` naming the call and the field; it never becomes data (a missing
 * `consumedUnits` is not zero users).
 */
import type { PartnerCenterApi } from "./api.js";
import { InvalidResponseError } from "./invalid-response-error.js";
import { RESPONSE_CHECKS, type ApiMethod } from "./response-schemas.js";
import { responseValidators } from "./response-validator.js";

type AnyCall = (...args: unknown[]) => Promise<unknown>;

/**
 * Wraps `api`; everything else it has (`correlationId`, a client's `endpoint` and `stats()`) is
 * reached through the prototype, so the result has the same type as the argument.
 */
export function validatedApi<T extends PartnerCenterApi>(api: T): T {
  const validators = responseValidators();
  const wrapped = Object.create(api) as T;
  for (const method of Object.keys(RESPONSE_CHECKS) as ApiMethod[]) {
    const call = (api[method] as AnyCall).bind(api);
    const about = RESPONSE_CHECKS[method].about as (...args: unknown[]) => string;
    const validate = validators[method];
    const checked: AnyCall = async (...args) => {
      const answer = await call(...args);
      const problems = validate(answer);
      if (problems.length > 0) {
        throw new InvalidResponseError({ apiMethod: method, about: about(...args), problems, correlationId: api.correlationId });
      }
      return answer;
    };
    Object.defineProperty(wrapped, method, { value: checked, enumerable: true });
  }
  return wrapped;
}

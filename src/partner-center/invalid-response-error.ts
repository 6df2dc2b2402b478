import { BadResponseError } from "./errors.js";
import { redact } from "./redact.js";

export interface InvalidResponseInit {
  /** The `PartnerCenterApi` method: `listSubscribedSkus`. */
  apiMethod: string;
  /** What the call was about: `customer 6b1a…`. */
  about: string;
  /** `items[2].consumedUnits: must be a number, got null`, … */
  problems: string[];
  correlationId?: string;
}

/**
 * A 2xx answer that does not fit its schema (response-schemas.ts): a field missing, of the wrong
 * type, or an unknown status. pcplan decides nothing from it; code `PC_BAD_RESPONSE`, not the
 * user's fault. `method` holds the API method and `path` the call (`listUsers(customer …)`): the
 * check runs above HTTP, where one call may have been several requests (pages, a read-back).
 *
 *     Partner Center answered listSubscribedSkus(customer 6b1a…) with data pcplan cannot act on:
 *     items[2].consumedUnits: must be a number, got null (correlation 0f3c…).
 */
export class InvalidResponseError extends BadResponseError {
  /** `listSubscribedSkus(customer 6b1a…)` */
  readonly call: string;
  readonly problems: readonly string[];

  constructor(init: InvalidResponseInit) {
    const call = `${init.apiMethod}(${init.about})`;
    const problems = init.problems.join("; ");
    super({ description: problems, method: init.apiMethod, path: call, correlationId: init.correlationId });
    this.call = call;
    this.problems = [...init.problems];
    // The inherited message is shaped for an HTTP failure ("… failed: 500 …"); this was a success
    // with unusable data. Set ours and capture the stack again so its first line agrees.
    this.message = redact(`Partner Center answered ${call} with data pcplan cannot act on: ${problems} (correlation ${init.correlationId ?? "-"}).`);
    Error.captureStackTrace(this, InvalidResponseError);
  }
}

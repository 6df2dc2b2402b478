/**
 * One error hierarchy for pcplan. `code` is a stable code for machines, one of `ErrorCode`;
 * `userError` says whether the user can fix it (bad input, missing role, a refused operation) or
 * it is a failure of the service, the network or pcplan itself. Only `main` prints them.
 */

/**
 * Every code a `PcplanError` carries, with what it means. A closed set: code that decides by an
 * error's kind compares these (typed) or, better, tests the error's class; never free text.
 * A new code is added here first.
 */
export const ERROR_CODES = {
  // The plans and the command line.
  PLAN_INVALID: "a plan file breaks the schema or the catalog; nothing was read or written",
  NO_PLANS: "no plan files at the given paths",
  CUSTOMER_NOT_PLANNED: "--customer names a customer no plan (or saved plan) holds",
  SHARD: "--shard is not K/N with 1 ≤ K ≤ N",
  NEEDS_OUT: "a format that writes a file was asked for without --out",
  NEEDS_APPROVAL: "apply was not approved (no terminal to ask on, and no --auto-approve)",
  CANCELLED: "the person at the terminal declined the apply",
  MAX_CHANGES: "the plan has more changes than --max-changes allows",
  MAX_MONTHLY_INCREASE: "the plan adds more to the monthly bill than --max-monthly-increase allows",
  PRICES: "the price list (--prices) cannot be read, or does not price what the plan buys",
  SAVED_PLAN: "a saved plan that cannot be trusted or applied (altered, stale plan files, another endpoint)",
  OUTPUT_FILE: "the --out path cannot take the output",
  LOCKED: "another pcplan process holds the folder's lock",
  RUN_TIMEOUT: "the run's time (--timeout) was up: nothing more was started; what was done is in the audit log and the purchase journal",
  STATE_FILE: "a state file or folder (.pcplan/) is not what pcplan keeps there (a FIFO, a dangling link, a file, read-only)",
  UNKNOWN_SKU: "discover: a SKU neither Microsoft's table nor the supplement knows",
  AMBIGUOUS_SKU: "discover: a skuPartNumber that names several SKUs",
  SAME_SKU: "discover: the target is the source",
  // The apply's own refusals and outcomes.
  STALE: "what a write rests on changed since planning; nothing was written for it",
  ACCESS_REFUSED: "the credential may not change licences in the customer's tenant: nothing was bought or written for it",
  IN_USE: "a retirement refused: users still hold the source",
  IN_USE_UNKNOWN: "a retirement refused: the subscribed SKUs do not say whether users hold the source",
  IN_USE_DISAGREE: "a retirement refused: the subscribed SKUs' count and the users holding the source disagree",
  CATALOG: "the catalog no longer sells what the plan buys",
  LEGACY_REFUSED: "Microsoft refused a legacy order: the offer is no longer sold that way",
  PROVISIONING: "bought or started, not finished within --provisioning-timeout; the next run carries on",
  TRANSITION_FAILED: "Microsoft's transition of a subscription failed",
  GROUP_LICENSE_ERRORS: "a group's members could not all be given the target (licence assignment errors, named per user)",
  HELD_THROUGH_GROUP: "the licence is inherited from a group and cannot be changed on the user (use --license-api graph)",
  ORDER_CANCELLED: "Microsoft cancelled an order instead of provisioning it (its lines unfulfilled): nothing was bought",
  // Partner Center (src/partner-center/errors.ts, commerce-errors.ts).
  PC_HTTP_ERROR: "a Partner Center call failed",
  PC_AUTHENTICATION: "Partner Center refused the credential",
  PC_PERMISSION: "the credential may not make this Partner Center call",
  PC_BUSINESS_RULE: "Partner Center refused the call by a business rule",
  PC_NOT_FOUND: "Partner Center does not know the resource",
  PC_ETAG_MISMATCH: "the resource changed since it was read (etag)",
  PC_LICENSE_QUOTA: "no free licence left for the SKU",
  PC_THROTTLED: "Partner Center kept answering 429",
  PC_SERVICE: "Partner Center failed (5xx)",
  PC_NETWORK: "Partner Center could not be reached",
  PC_BAD_RESPONSE: "a Partner Center answer failed its schema check",
  PC_CREDENTIALS: "no usable Partner Center credentials",
  PC_ENDPOINT: "the Partner Center endpoint is not a URL pcplan will use",
  PC_CART_LINE_ITEM: "Partner Center refused a cart line",
  PC_ORDER_ERROR: "a checkout placed no order",
  // Microsoft Graph (src/graph/errors.ts).
  GRAPH_HTTP_ERROR: "a Graph call failed",
  GRAPH_TOKEN_REFUSED: "no Graph token for the tenant",
  GRAPH_CREDENTIALS: "no usable Graph credentials",
  GRAPH_ACCESS_DENIED: "the credential lacks the GDAP role for the Graph call",
  GRAPH_NOT_FOUND: "Graph does not know the resource",
  GRAPH_LICENSE_QUOTA: "no free licence left for the SKU (Graph)",
  GRAPH_THROTTLED: "Graph kept answering 429",
  GRAPH_SERVICE: "Graph failed (5xx)",
  GRAPH_NETWORK: "Graph could not be reached",
  GRAPH_BAD_RESPONSE: "a Graph answer failed its schema check",
  // The sandbox (src/sandbox/).
  SANDBOX_FIXTURE_INVALID: "the sandbox's fixture breaks its rules",
  SANDBOX_FIXTURE_UNREADABLE: "the sandbox's fixture cannot be read",
  SANDBOX_STATE_INVALID: "the sandbox's saved state cannot be used",
  SANDBOX_PORT: "the sandbox's port is taken",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class PcplanError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly userError = true,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * One error hierarchy for pcplan. `code` is a stable string for machines; `userError`
 * says whether the user can fix it (bad input, missing role) or it is our bug / upstream.
 */
export class PcplanError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly userError = true,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Exit with a specific code after printing the message (e.g. 3 for a stale saved plan). */
export class ExitError extends PcplanError {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super("EXIT", message);
  }
}

/**
 * One error hierarchy for pcplan. `code` is a stable string for machines; `userError`
 * says whether the user can fix it (bad input, missing role, a refused operation) or it is a
 * failure of the service, the network or pcplan itself. Only `main` prints them.
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

/**
 * What a command ends with. Commands return an exit code from this table (never a bare number,
 * never `process.exitCode`); `main` alone turns it, or a thrown error, into the process's exit.
 */
export const ExitCode = {
  /** Success, or nothing to change. */
  Ok: 0,
  /** An error: bad input, a failed call, a refused operation. Nothing was written for the failed part. */
  Error: 1,
  /** `plan --detailed-exitcode`: changes are present. */
  ChangesPresent: 2,
  /** A saved plan with stale customers, or an apply that did only part of the work. */
  StaleOrPartial: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

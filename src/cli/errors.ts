import { ExitError, PcplanError } from "../errors.js";

export function formatError(err: unknown): string {
  if (err instanceof PcplanError) return `error: ${err.message}`;
  const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return `internal error (please report it): ${msg}`;
}

export function exitCodeOf(err: unknown): number {
  return err instanceof ExitError ? err.exitCode : 1;
}

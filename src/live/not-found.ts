/** True for a Partner Center 404, whichever error class the client used. */
export function isNotFound(err: unknown): boolean {
  return typeof err === "object" && err !== null && "status" in err && err.status === 404;
}

/**
 * MS-RequestId idempotency: the first successful answer to a write is stored (in the
 * persisted state) under request id + method + path; a retry gets that answer back and
 * changes nothing. Failures are not stored: they changed nothing, so a retry may succeed.
 */
export function idempotencyKey(requestId: string, method: string, path: string): string {
  return `${requestId}|${method.toUpperCase()}|${path.toLowerCase()}`;
}

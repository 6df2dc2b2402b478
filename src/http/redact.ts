/**
 * Keep credentials out of everything pcplan prints, logs or throws: error messages, stacks,
 * `cause` chains, client events. The transport registers every bearer token it sends and the
 * adapters' credential code registers client secrets, assertions and refresh tokens; `redact`
 * removes them all, plus anything shaped like `Bearer <token>` or a JWT, and the user:password
 * part of any URL (`https://user:secret@host/…`).
 */

export const REDACTED = "[REDACTED]";

/** Secrets shorter than this are not redacted by value (they would mangle ordinary text). */
const MIN_SECRET_LENGTH = 6;
/** Keep the registry bounded: tokens rotate about hourly, a long run sees a handful. */
const MAX_REGISTERED = 256;

const registered = new Set<string>();

/** Remember a secret so every later `redact()` removes it. Idempotent. */
export function registerSecret(secret: string | null | undefined): void {
  if (!secret || secret.length < MIN_SECRET_LENGTH || registered.has(secret)) return;
  registered.add(secret);
  if (registered.size > MAX_REGISTERED) {
    const oldest = registered.values().next().value;
    if (oldest !== undefined) registered.delete(oldest);
  }
}

const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]{16,}=*/gi;
/** `scheme://userinfo@`: the userinfo ends at the last `@` before the path. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*(?:@[^\s/?#@]*)*@/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

/** Replace every occurrence of each secret (and bearer/JWT-shaped strings) with `[REDACTED]`. */
export function redactSecrets(text: string, secrets: Iterable<string | null | undefined> = []): string {
  let out = text;
  const all = [...secrets, ...registered].filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH);
  // Longest first, so a secret containing another is removed whole.
  all.sort((a, b) => b.length - a.length);
  for (const secret of all) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return redactUrl(out).replace(BEARER, `$1 ${REDACTED}`).replace(JWT, REDACTED);
}

/** `https://user:secret@host/x` → `https://[REDACTED]@host/x`, wherever URLs occur in `text`. */
export function redactUrl(text: string): string {
  return text.replace(URL_USERINFO, `$1${REDACTED}@`);
}

/** `redactSecrets` with only the registered secrets. */
export function redact(text: string): string {
  return redactSecrets(text);
}

/**
 * A copy of `err` that is safe to attach as a `cause`: message and stack redacted, the
 * `code`/`errno`/`syscall` kept (they say what went wrong), nested causes sanitized in turn.
 * Never returns the original object (it may hold request options with headers).
 */
export function sanitizeError(err: unknown, secrets: Iterable<string> = [], depth = 0): Error {
  const list = [...secrets];
  if (!(err instanceof Error)) return new Error(redactSecrets(String(err), list));
  const copy = new Error(redactSecrets(err.message, list));
  copy.name = err.name;
  copy.stack = err.stack === undefined ? undefined : redactSecrets(err.stack, list);
  const src = err as Error & { code?: unknown; errno?: unknown; syscall?: unknown };
  const target = copy as Error & { code?: unknown; errno?: unknown; syscall?: unknown; cause?: unknown };
  if (typeof src.code === "string" || typeof src.code === "number") target.code = src.code;
  if (typeof src.errno === "number") target.errno = src.errno;
  if (typeof src.syscall === "string") target.syscall = src.syscall;
  if (err.cause !== undefined && depth < 4) target.cause = sanitizeError(err.cause, list, depth + 1);
  return copy;
}

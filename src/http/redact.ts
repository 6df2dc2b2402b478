/**
 * Keep credentials out of everything pcplan prints, logs or throws: error messages, stacks,
 * `cause` chains, client events. The transport registers every bearer token it sends and the
 * adapters' credential code registers client secrets, assertions and refresh tokens; `redact`
 * removes them all, plus anything shaped like `Bearer <token>` or a JWT, and the user:password
 * part of any URL (`https://user:secret@host/…`).
 *
 * A server may echo a secret back altered (issue 22): clipped, split by a line break, in
 * capitals, base64-encoded, with zero-width characters between its letters. So a secret is
 * found not only whole but as any run of `SECRET_RUN` or more of its characters (or of its
 * base64 forms), compared without case and ignoring whitespace and invisible characters, and
 * the whole stretch of text it spans is replaced.
 */

export const REDACTED = "[REDACTED]";

/** Secrets shorter than this are not redacted by value (they would mangle ordinary text). */
const MIN_SECRET_LENGTH = 6;
/** Keep the registry bounded: tokens rotate about hourly, a long run sees a handful. */
const MAX_REGISTERED = 256;

/** A run of this many characters of a secret (or of its base64 form) is treated as the secret. */
export const SECRET_RUN = 8;

const registered = new Set<string>();

/**
 * Forget every registered secret: what a new process starts with. For tests that run several
 * CLI runs in one process (test/helpers/in-process.ts), so one run's secrets do not redact
 * ordinary text in the next.
 */
export function forgetRegisteredSecrets(): void {
  registered.clear();
  registeredRuns = undefined;
}

/** Remember a secret so every later `redact()` removes it. Idempotent. */
export function registerSecret(secret: string | null | undefined): void {
  if (!secret || secret.length < MIN_SECRET_LENGTH || registered.has(secret)) return;
  registered.add(secret);
  registeredRuns = undefined;
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
  out = redactUrl(out).replace(BEARER, `$1 ${REDACTED}`).replace(JWT, REDACTED);
  return redactRuns(out, runsOf(secrets));
}

/** Whitespace and characters that render as nothing: ignored when looking for a secret. */
const IGNORED = /[\s\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** The secret's base64 forms (standard and URL-safe, at each byte offset): only their middle is the secret's own. */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const b64 = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    // The first group mixes in the bytes before, the last the bytes after.
    const own = b64.slice(offset === 0 ? 0 : 4, -4);
    forms.push(own, own.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return forms;
}

/** Runs compared without case (the secret's characters) and with it (its base64 forms: case is their content). */
interface Runs {
  anyCase: Set<string>;
  exact: Set<string>;
}

function addRuns(runs: Runs, secret: string): void {
  const windows = (form: string, into: Set<string>) => {
    for (let i = 0; i + SECRET_RUN <= form.length; i++) into.add(form.slice(i, i + SECRET_RUN));
  };
  windows(visible(secret).toLowerCase(), runs.anyCase);
  for (const form of base64Forms(secret)) windows(form, runs.exact);
}

function visible(s: string): string {
  return [...s].filter((c) => !IGNORED.test(c)).join("");
}

/** The runs of the registered secrets, rebuilt when the registry changes. */
let registeredRuns: Runs | undefined;

function runsOf(extra: Iterable<string | null | undefined>): Runs {
  if (!registeredRuns) {
    registeredRuns = { anyCase: new Set(), exact: new Set() };
    for (const s of registered) addRuns(registeredRuns, s);
  }
  const more = [...extra].filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH);
  if (more.length === 0) return registeredRuns;
  const runs = { anyCase: new Set(registeredRuns.anyCase), exact: new Set(registeredRuns.exact) };
  for (const s of more) addRuns(runs, s);
  return runs;
}

/**
 * Replaces each stretch of `text` that, read without whitespace and invisible characters, is made
 * of runs of a secret (whole, clipped, split, in capitals) or of its base64 forms with `[REDACTED]`.
 */
function redactRuns(text: string, runs: Runs): string {
  if (runs.anyCase.size + runs.exact.size === 0 || text.length < SECRET_RUN) return text;
  // The text as compared: its kept characters, with where each came from.
  const kept: string[] = [];
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (IGNORED.test(c)) continue;
    kept.push(c);
    at.push(i);
  }
  const flat = kept.join("");
  const lower = kept.map((c) => (c.toLowerCase().length === 1 ? c.toLowerCase() : c)).join("");
  const hit = new Uint8Array(flat.length);
  for (let i = 0; i + SECRET_RUN <= flat.length; i++) {
    if (runs.anyCase.has(lower.slice(i, i + SECRET_RUN)) || runs.exact.has(flat.slice(i, i + SECRET_RUN))) hit.fill(1, i, i + SECRET_RUN);
  }
  let out = "";
  let from = 0;
  for (let i = 0; i < flat.length; i++) {
    if (hit[i] !== 1 || (i > 0 && hit[i - 1] === 1)) continue;
    let j = i;
    while (j + 1 < flat.length && hit[j + 1] === 1) j++;
    out += text.slice(from, at[i]) + REDACTED;
    from = (at[j] ?? 0) + 1;
  }
  return from === 0 ? text : out + text.slice(from);
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

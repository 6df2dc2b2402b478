/**
 * What one HTTP attempt sends and gets back, whichever way it goes out (node:http by default,
 * node-send.ts; a caller's `fetch`, attempt.ts), and the caps on what is read of an answer.
 */

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/**
 * The most of a successful response body pcplan reads: 32 MiB. Partner Center and Graph pages are
 * far smaller (a page of 100 users or subscriptions is tens of KiB, 999 Graph users a few hundred);
 * a body that goes past this is not an answer to act on, and reading it whole could exhaust memory.
 */
export const MAX_BODY_BYTES = 32 * 2 ** 20;

/** Of an error body only the start is read: the description is clipped to 500 characters anyway. */
export const MAX_ERROR_BODY_BYTES = 64 * 2 ** 10;

export interface HttpAttempt {
  url: URL;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: string;
  /** Aborts the attempt (its time limit): the request and the reading of the body. */
  signal: AbortSignal;
  /** Cap on a 2xx body (default MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /**
   * The attempt gives up after `ms` without a byte (before the headers or between chunks of the
   * body): a server that sends its headers and then nothing is not waited on for the whole time
   * limit. `timer` is the clock's (a signal that fires after `ms`); `onSilent` hears of a third of
   * that silence, so a wait is never quiet.
   */
  idle?: { ms: number; timer: (ms: number) => AbortSignal; onSilent?: (silentMs: number) => void };
  /** How it goes out: default node:http(s) (node-send.ts); `fetchSender` (attempt.ts) for a caller's `fetch`. */
  send?: Sender;
  /**
   * The one certificate an https attempt trusts instead of the system's (PEM): the in-process
   * sandbox's, which Node 20 cannot be told of after its start (NODE_EXTRA_CA_CERTS).
   */
  ca?: string;
}

/**
 * Sends one attempt and reads its answer: rejects with `signal`'s reason once it aborts, calls
 * `alive` on every sign of life (the headers, each chunk) for the idle watchdog.
 */
export type Sender = (a: HttpAttempt, signal: AbortSignal, alive: () => void) => Promise<HttpResult>;

/** A response's headers, read by name (case-insensitive): what both `Headers` and node-send.ts give. */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface HttpResult {
  status: number;
  statusText: string;
  headers: ResponseHeaders;
  text: string;
}

/** A 2xx body larger than the cap: the attempt stopped reading it. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`response body larger than ${limitBytes} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Every request of either API goes through `Transport.exchange`: the request budget of its
 * scopes, the bearer token, the service's own headers, one attempt at a time with a time limit
 * and a capped body (attempt.ts), retries for 429 / 5xx / dropped connections (retry.ts), events
 * and counters. It returns the last answer, whatever its status; the adapters (src/partner-center/,
 * src/graph/) turn it into their typed results and errors. What fails without an answer (the
 * network, a body over the cap, no token) is a `TransportError` the adapters name as theirs.
 */
import { randomUUID } from "node:crypto";
import { PcplanError } from "../errors.js";
import { BodyTooLargeError, fetchSender, sendOnce, type HttpMethod, type HttpResult, type Sender } from "./attempt.js";
import type { Grant, RequestBudget } from "./budget/request-budget.js";
import { BusyTime, type Clock } from "./clock.js";
import type { RunDeadline } from "./deadline.js";
import type { ClientEvent, ClientStats } from "./events.js";
import { redact, registerSecret, sanitizeError } from "./redact.js";
import {
  afterRetryAfter,
  backoffDelay,
  describeNetworkError,
  isRetryableNetworkError,
  isServerError,
  parseRetryAfter,
  retryAfterFromMessage,
  type RetryPolicy,
} from "./retry.js";
import type { Scope } from "./scopes.js";

/** Returns a bearer token (without the `Bearer ` prefix). Called before every attempt; cache inside. */
export type TokenProvider = () => Promise<string>;

/** The longest single wait for a Retry-After; a longer one is not waited out: the call fails. */
export const MAX_WAIT_MS = 120_000;

/** An attempt without a byte for this long gives up (and is retried as a timeout). */
export const IDLE_TIMEOUT_MS = 30_000;

/** A wait at least this long is announced (a `waiting` event) before it starts. */
export const LONG_WAIT_MS = 10_000;

export interface TransportOptions {
  /** Whose API this is, as messages name it: `Partner Center`, `Microsoft Graph`. */
  service: string;
  /** The service's own headers for one attempt (request and correlation ids, locale…). */
  headers: (requestId: string) => Record<string, string>;
  correlationId: string;
  token: TokenProvider;
  retry: RetryPolicy;
  /** One attempt's time limit, reading the body included. */
  timeoutMs: number;
  /** An attempt without a byte for this long (headers, then each chunk) gives up; default IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number;
  /** Cap on a 2xx body (default MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  budget: RequestBudget;
  /** The scopes a request draws from (an adapter's table, src/http/scopes.ts). */
  scopes: (url: URL, tenant?: string) => Scope[];
  clock: Clock;
  random: () => number;
  /** Sent through this instead of node:http(s) (attempt.ts): scripted services, the simulated clock. */
  fetch?: typeof fetch;
  /** How each attempt goes out (before `fetch`): a bench's timed wrapper of node-send.ts. */
  send?: Sender;
  /** The one certificate https requests trust (PEM): the in-process sandbox's (wire.ts). */
  ca?: string;
  onEvent?: (e: ClientEvent) => void;
  /**
   * The run's time limit (`--timeout`): past it no attempt starts, a read in flight is
   * abandoned (a write in flight is let finish) and every wait ends, with `RunTimeoutError`.
   */
  deadline?: RunDeadline;
}

export interface RequestSpec {
  method: HttpMethod;
  url: URL;
  /** JSON-serialised and sent with `Content-Type: application/json`. */
  body?: unknown;
  /** Extra headers (If-Match, MS-ContinuationToken…). Cannot override the standard ones. */
  headers?: Record<string, string>;
  /** The request id of this logical call, reused on every retry. Writes get one generated once if omitted. */
  requestId?: string;
  /** The tenant a tenant-scoped call is for when its URL does not say (a token's tenant). */
  tenant?: string;
  /** This request's token, when it is not the transport's (Graph: one per customer tenant). */
  token?: TokenProvider;
  /** Requests it counts as against the service's limits (a Graph `$batch`: its members). Default 1. */
  weight?: number;
  /** Of a 2xx answer, how much of the weight passed (a `$batch`: its members not throttled, which `memberThrottled` reports). */
  passed?: (res: HttpResult) => number;
}

/** The last attempt's answer, whatever its status, after the retries the policy allows. */
export interface Exchange {
  res: HttpResult;
  requestId: string;
  attempts: number;
  /** When the last attempt went (the budget's clock). */
  sentAt: number;
  /** A 429's (or 503/504's) Retry-After, read on the layer's clock: why the retries stopped. */
  retryAfterMs?: number;
}

export type TransportFailure = "network" | "body-too-large" | "no-token" | "empty-token";

/** No answer to act on: the network failed, the body was over the cap, or there was no token. */
export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    /** Redacted, ready for a message. */
    readonly description: string,
    readonly request: { method: string; path: string; requestId: string; correlationId: string; attempts: number },
    options?: { cause?: unknown },
  ) {
    super(description, options);
    this.name = "TransportError";
  }
}

interface Attempt {
  spec: RequestSpec;
  attempt: number;
  requestId: string;
  base: { method: string; path: string; attempt: number; requestId: string; correlationId: string };
}

export class Transport {
  private readonly counters = { requests: 0, retries: 0, throttled: 0, networkErrors: 0 };
  private readonly byStatus: Record<string, number> = {};
  private readonly throttleWait = new BusyTime();

  private readonly sender: Sender | undefined;
  constructor(private readonly opts: TransportOptions) {
    this.sender = opts.send ?? (opts.fetch ? fetchSender(opts.fetch) : undefined);
  }

  get correlationId(): string {
    return this.opts.correlationId;
  }

  get service(): string {
    return this.opts.service;
  }

  /** About `requests` more calls like `url` are to come (a customer's reads): the budget shares its rate by them. */
  expect(url: URL, requests: number): void {
    this.opts.budget.expect(this.opts.scopes(url, undefined), requests);
  }

  stats(): ClientStats {
    const { budget, clock } = this.opts;
    const budgets = budget.stats();
    const partner = budgets.find((b) => b.kind === "partner");
    return {
      ...this.counters,
      byStatus: { ...this.byStatus },
      effectiveRps: budget.partnerRps,
      peakRps: partner?.peakRps ?? 0,
      currentRps: partner?.currentRps ?? 0,
      waitMs: Math.round(budget.waitMs),
      throttleWaitMs: Math.round(this.throttleWait.ms(clock.now())),
      budgets,
    };
  }

  /**
   * The budget, the token, one attempt at a time and the retries (429 and 503/504 after their
   * Retry-After, other 5xx and dropped connections with backoff). Returns the last answer,
   * whatever its status; throws `TransportError` only when there is none.
   */
  async exchange(spec: RequestSpec): Promise<Exchange> {
    // Writes: one request id per logical write, the same on every retry (idempotency). Reads: a fresh one per attempt.
    const fixedRequestId = spec.requestId ?? (spec.method === "GET" ? undefined : randomUUID());
    const scopes = this.opts.scopes(spec.url, spec.tenant);
    for (let attempt = 0; ; attempt++) {
      const requestId = fixedRequestId ?? randomUUID();
      const base = { method: spec.method, path: spec.url.pathname, attempt, requestId, correlationId: this.opts.correlationId };
      const a: Attempt = { spec, attempt, requestId, base };
      this.opts.deadline?.check(this.waitingOn(a));
      const { res, grant } = await this.send(a, scopes);
      if (!res) continue;
      const { status } = res;
      if (status >= 200 && status < 300) {
        this.opts.budget.onSuccess(grant, spec.passed?.(res) ?? grant.weight);
        return { res, requestId, attempts: attempt + 1, sentAt: grant.sentAt };
      }
      const retryAfterMs = this.retryAfterOf(res);
      const delayMs = status === 429 ? this.throttled(a, grant, retryAfterMs) : this.serverError(a, status, retryAfterMs);
      if (delayMs === undefined)
        return { res, requestId, attempts: attempt + 1, sentAt: grant.sentAt, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
      await this.wait(delayMs, status === 429, `${this.waitingOn(a)}, retry ${attempt + 1} in ${formatSeconds(delayMs)}`);
    }
  }

  /** What an attempt waits on, as a timeout names it: `Partner Center: GET /v1/customers/…/subscriptions`. */
  private waitingOn(a: Attempt): string {
    return `${this.opts.service}: ${a.base.method} ${a.base.path}`;
  }

  /**
   * A throttle signal inside an answer (a `$batch` member answered 429 or 503/504) to a request
   * sent at `sentAt`: the budget pauses and slows the scope as for a throttled request, then this
   * waits until the member may go again. False when the policy gives up on it (out of retries,
   * or asked to wait too long).
   */
  async memberThrottled(url: URL, tenant: string | undefined, sentAt: number, retryAfterMs: number | undefined, attempt: number): Promise<boolean> {
    const o = this.opts;
    if (attempt >= o.retry.maxRetries) return false;
    const waitMs = retryAfterMs ?? backoffDelay(attempt, o.retry, o.random);
    if (waitMs > o.retry.maxWaitMs) return false;
    this.counters.throttled++;
    const member = { scopes: o.scopes(url, tenant), weight: 1, sentAt, waitedFor: new Set<string>(), member: true };
    const until = o.budget.onThrottled(member, waitMs);
    await this.wait(afterRetryAfter(until - o.clock.now(), o.retry, o.random), true, `${o.service}: ${url.pathname} (a throttled $batch member)`);
    return true;
  }

  /** One attempt: its token, its turn in the budget, the request. No answer (a retryable network failure): `res` undefined. */
  private async send(a: Attempt, scopes: readonly Scope[]): Promise<{ res?: HttpResult; grant: Grant }> {
    const o = this.opts;
    const { spec, base } = a;
    // The token first: a slow token request must not hold a place on the wire.
    const token = await this.token(a, spec.token ?? o.token);
    const headers: Record<string, string> = { ...spec.headers, Authorization: `Bearer ${token}`, Accept: "application/json", ...o.headers(a.requestId) };
    if (spec.body !== undefined) headers["Content-Type"] = "application/json";
    const turn = o.budget.acquire(scopes, spec.weight ?? 1);
    const grant = o.deadline ? await o.deadline.race(turn, `${this.waitingOn(a)} (its turn in the request budget)`) : await turn;
    this.emit({ type: "request", ...base });
    this.counters.requests++;
    if (a.attempt > 0) this.counters.retries++;
    const started = o.clock.now();
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    let res: HttpResult;
    const limit = this.attemptSignal(spec);
    try {
      res = await sendOnce({
        url: spec.url,
        method: spec.method,
        headers,
        body,
        signal: limit.signal,
        idle: {
          ms: o.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
          timer: (ms) => o.clock.timeout(ms),
          // A silent server is never waited on silently: the wait says what it waits on.
          onSilent: (ms) =>
            this.emit({
              type: "waiting",
              ...base,
              delayMs: ms,
              reason: `no answer yet to ${spec.method} ${spec.url.pathname} (given up after ${Math.round((o.idleTimeoutMs ?? IDLE_TIMEOUT_MS) / 1000)} s without data)`,
            }),
        },
        maxBodyBytes: o.maxBodyBytes,
        send: this.sender,
        ca: o.ca,
      });
    } catch (err) {
      limit.done();
      o.budget.release(grant);
      if (o.deadline?.expired()) throw o.deadline.error(`${this.waitingOn(a)} (no answer after ${formatSeconds(o.clock.now() - started)})`);
      await this.failed(a, err);
      return { grant };
    }
    limit.done();
    o.budget.release(grant);
    this.byStatus[String(res.status)] = (this.byStatus[String(res.status)] ?? 0) + 1;
    this.emit({ type: "response", ...base, status: res.status, durationMs: Math.max(0, o.clock.now() - started) });
    return { res, grant };
  }

  /** One attempt's time limit; a read is also abandoned when the run's time is up (a write in flight is let finish). */
  private attemptSignal(spec: RequestSpec): { signal: AbortSignal; done(): void } {
    const o = this.opts;
    const limit = o.clock.timeout(o.timeoutMs);
    const deadline = o.deadline;
    if (!deadline || spec.method !== "GET") return { signal: limit, done: () => undefined };
    // Not AbortSignal.any([limit, deadline.signal]): that leaves a reference on the run's signal per
    // attempt, and thousands of attempts in flight make each add and remove on it slow.
    const either = new AbortController();
    const onLimit = () => either.abort(limit.reason);
    limit.addEventListener("abort", onLimit, { once: true });
    const off = deadline.onExpire(() => either.abort(deadline.signal.reason));
    return {
      signal: either.signal,
      done: () => (off(), limit.removeEventListener("abort", onLimit)),
    };
  }

  /** An attempt without an answer: waits before the next one, or throws when it may not be retried. */
  private async failed(a: Attempt, err: unknown): Promise<void> {
    const o = this.opts;
    const request = { ...a.base, attempts: a.attempt + 1 };
    if (err instanceof BodyTooLargeError) {
      const description = `the response body is larger than ${formatBytes(err.limitBytes)}, the most pcplan reads of one answer; the rest was not read`;
      throw new TransportError("body-too-large", description, request);
    }
    this.counters.networkErrors++;
    const reason = redact(describeNetworkError(err));
    if (!isRetryableNetworkError(err) || a.attempt >= o.retry.maxRetries) throw new TransportError("network", reason, request, { cause: sanitizeError(err) });
    const delayMs = backoffDelay(a.attempt, o.retry, o.random);
    this.emit({ type: "retry", ...a.base, reason, delayMs });
    await this.wait(delayMs, false, `${this.waitingOn(a)}, retry ${a.attempt + 1} in ${formatSeconds(delayMs)} (${reason})`);
  }

  /**
   * A 429: the budget is told (it pauses and slows the right scope); then how long this request
   * waits before its next attempt — undefined when it gives up: out of retries, or asked to wait
   * longer than `maxWaitMs` (then the budget is not told: nothing will be sent that soon).
   */
  private throttled(a: Attempt, grant: Grant, retryAfterMs: number | undefined): number | undefined {
    const o = this.opts;
    this.counters.throttled++;
    if (retryAfterMs !== undefined && retryAfterMs > o.retry.maxWaitMs) return undefined;
    const waitMs = retryAfterMs ?? backoffDelay(a.attempt, o.retry, o.random);
    const until = o.budget.onThrottled(grant, waitMs);
    if (a.attempt >= o.retry.maxRetries) return undefined;
    const delayMs = afterRetryAfter(until - o.clock.now(), o.retry, o.random);
    const scope = grant.scopes[0];
    const after = retryAfterMs === undefined ? {} : { retryAfterMs };
    this.emit({ type: "throttled", ...a.base, status: 429, delayMs, ...after, effectiveRps: o.budget.partnerRps, ...(scope ? { scope: scope.key } : {}) });
    if (delayMs >= LONG_WAIT_MS) {
      const reason = `${o.service} asked to retry ${a.base.method} ${a.base.path} after ${formatSeconds(retryAfterMs ?? waitMs)}`;
      this.emit({ type: "waiting", ...a.base, delayMs, reason });
    }
    return delayMs;
  }

  /** A 5xx: backoff, or the 503/504's Retry-After when longer (Graph's throttling page). Undefined: not retried. */
  private serverError(a: Attempt, status: number, retryAfterMs: number | undefined): number | undefined {
    const o = this.opts;
    if (!isServerError(status) || a.attempt >= o.retry.maxRetries) return undefined;
    const asked = status === 503 || status === 504 ? retryAfterMs : undefined;
    if (asked !== undefined && asked > o.retry.maxWaitMs) return undefined;
    const delayMs = Math.max(backoffDelay(a.attempt, o.retry, o.random), asked ?? 0);
    this.emit({ type: "retry", ...a.base, status, reason: `HTTP ${status}`, delayMs });
    return delayMs;
  }

  private async wait(ms: number, throttled: boolean, waitingOn: string): Promise<void> {
    const { clock, deadline } = this.opts;
    if (throttled) this.throttleWait.start(clock.now());
    try {
      await (deadline ? deadline.race(clock.sleep(ms), waitingOn) : clock.sleep(ms));
    } finally {
      if (throttled) this.throttleWait.stop(clock.now());
    }
  }

  /** `Retry-After` (seconds or a date), else the body's "Try again in N seconds." (Partner Center's 429 text). */
  private retryAfterOf(res: HttpResult): number | undefined {
    return parseRetryAfter(res.headers.get("retry-after"), this.opts.clock.now()) ?? retryAfterFromMessage(res.text.slice(0, 2000));
  }

  private async token(a: Attempt, provider: TokenProvider): Promise<string> {
    const request = { ...a.base, attempts: a.attempt + 1 };
    let token: string;
    try {
      token = await provider();
    } catch (err) {
      if (err instanceof PcplanError) throw err;
      const description = `Could not obtain a ${this.opts.service} access token: ${redact(err instanceof Error ? err.message : String(err))}`;
      throw new TransportError("no-token", description, request, { cause: sanitizeError(err) });
    }
    if (typeof token !== "string" || !token.trim()) throw new TransportError("empty-token", "the token provider returned an empty token", request);
    token = token.trim().replace(/^Bearer\s+/i, "");
    registerSecret(token);
    return token;
  }

  private emit(e: ClientEvent): void {
    try {
      this.opts.onEvent?.(e);
    } catch {
      // A listener's failure must not break a call.
    }
  }
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

function formatBytes(n: number): string {
  return n % 2 ** 20 === 0 ? `${n / 2 ** 20} MiB` : `${n} bytes`;
}

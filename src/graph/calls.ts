/**
 * How the Graph client calls Graph, on pcplan's HTTP layer (`GraphHttp`): a paged read followed
 * through `@odata.nextLink` (reference page paging), a `$batch` of up to 20 members matched by id
 * with its throttled members sent again (json-batching), every answer and page checked against
 * its schema (response-schemas.ts), and every failure typed, naming the tenant and the call
 * (errors.ts).
 */
import { parseJsonBody } from "../http/attempt.js";
import { redact } from "../http/redact.js";
import { TransportError } from "../http/transport.js";
import { GRAPH_ERROR_CODES, GraphCallError, GraphInvalidResponseError, graphErrorFor } from "./errors.js";
import type { GraphWork } from "./gdap-roles.js";
import type { GraphHttp, GraphRawAnswer, GraphRequest } from "./http.js";
import { checkGraph, type Checked, type GraphAnswerKind } from "./response-schemas.js";
import type { Page } from "./types.js";

/** Graph's most members in one `$batch` (json-batching). */
export const MAX_BATCH = 20;
/** Members answered with these are sent again (throttling: 429, and 503/504 with Retry-After). */
const RETRY_MEMBER = new Set([429, 503, 504]);
/** The most items read of one paged answer (as for Partner Center's collections): a server paging forever is stopped there. */
const MAX_ITEMS = 250_000;

/** Who a call is for and what it is, as errors name it. */
export interface CallOf {
  tenant: string;
  /** `GET /users`: method and path without query or host. */
  call: string;
  work: GraphWork;
}

export interface Member {
  id: string;
  method: "GET" | "POST";
  /** Relative to the version: `/users/{id}/assignLicense`. */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface MemberAnswer {
  status: number;
  body: unknown;
}

type PageKind = { [K in GraphAnswerKind]: Checked<K> extends Page<unknown> ? K : never }[GraphAnswerKind];
type ItemOf<K extends PageKind> = Checked<K> extends Page<infer T> ? T : never;

export class GraphCalls {
  /** `origin`: the configured Graph host; nothing is sent anywhere else (a nextLink elsewhere would carry the token off). */
  constructor(
    private readonly http: GraphHttp,
    private readonly origin: string,
  ) {}

  /** `path` below `/v1.0`, with its query. */
  url(path: string): URL {
    return new URL(`${this.origin}/v1.0${path}`);
  }

  /** Every item of a paged answer: the first page read here, the next ones through `@odata.nextLink`. */
  async list<K extends PageKind>(c: CallOf, kind: K, path: string): Promise<ItemOf<K>[]> {
    return this.rest(c, kind, await this.get(c, kind, this.url(path)));
  }

  /** The items of `first` (already read and checked) and of every page after it. */
  async rest<K extends PageKind>(c: CallOf, kind: K, first: Checked<K>): Promise<ItemOf<K>[]> {
    const items: ItemOf<K>[] = [];
    const seen = new Set<string>();
    for (let page = first as unknown as Page<unknown>; ;) {
      for (const item of page.value) items.push(item as ItemOf<K>);
      const next = page["@odata.nextLink"];
      if (next === undefined) return items;
      if (seen.has(next) || items.length > MAX_ITEMS) {
        throw new GraphInvalidResponseError({ ...c, problems: [`@odata.nextLink: paging did not end (${items.length} items, ${seen.size + 1} pages)`] });
      }
      seen.add(next);
      page = (await this.get(c, kind, this.sameOrigin(c, next))) as unknown as Page<unknown>;
    }
  }

  /** One GET, its 2xx answer checked against `kind`'s schema. */
  async get<K extends GraphAnswerKind>(c: CallOf, kind: K, url: URL): Promise<Checked<K>> {
    return this.checked(c, kind, await this.send(c, { tenant: c.tenant, method: "GET", url }));
  }

  /**
   * One `$batch` with member-level retries: members answered 429/503/504 go again (after the
   * layer's wait for their Retry-After) in a smaller batch; the others are final. Returns every
   * member's last answer. The batch weighs what it carries: Graph counts each member.
   */
  async batch(c: Omit<CallOf, "call">, members: readonly Member[]): Promise<Map<string, MemberAnswer>> {
    const done = new Map<string, MemberAnswer>();
    const call = { ...c, call: "POST /$batch" };
    let pending = [...members];
    for (let attempt = 0; pending.length > 0; attempt++) {
      const requests = pending.map((m) => ({
        id: m.id,
        method: m.method,
        url: m.path,
        headers: memberHeaders(m),
        ...(m.body === undefined ? {} : { body: m.body }),
      }));
      const request: GraphRequest = {
        tenant: c.tenant,
        method: "POST",
        url: this.url("/$batch"),
        body: { requests },
        weight: pending.length,
        passed: membersPassed,
      };
      const raw = await this.send(call, request);
      const answer = this.checked(call, "batch", raw);
      const byId = new Map(answer.responses.map((r) => [r.id, r]));
      const again: Member[] = [];
      let retryAfterMs: number | undefined;
      for (const m of pending) {
        const r = byId.get(m.id);
        if (!r) throw new GraphInvalidResponseError({ ...call, problems: [`responses: no answer for member ${m.id}`] });
        done.set(m.id, { status: r.status, body: r.body });
        if (!RETRY_MEMBER.has(r.status)) continue;
        again.push(m);
        const after = retryAfterSeconds(Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === "retry-after")?.[1]);
        if (after !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, after);
      }
      if (again.length === 0 || !(await this.http.memberThrottled(c.tenant, raw.sentAt, retryAfterMs, attempt))) break;
      pending = again;
    }
    return done;
  }

  /**
   * One write (POST, PATCH) outside a `$batch`: its 2xx answer checked against `kind`'s schema,
   * or undefined where no answer body is read (`kind` undefined: Graph answers 204).
   */
  async write<K extends GraphAnswerKind>(
    c: CallOf,
    kind: K | undefined,
    request: { method: "POST" | "PATCH"; path: string; body: unknown; headers?: Record<string, string> },
  ): Promise<Checked<K> | undefined> {
    const raw = await this.send(c, {
      tenant: c.tenant,
      method: request.method,
      url: this.url(request.path),
      body: request.body,
      headers: { "Content-Type": "application/json", ...request.headers },
    });
    if (kind === undefined && raw.status >= 200 && raw.status < 300) return undefined;
    return this.checked(c, kind ?? "assignedUser", raw);
  }

  /** A body checked against `kind`'s schema. */
  private check<K extends GraphAnswerKind>(c: CallOf, kind: K, body: unknown): Checked<K> {
    const checked = checkGraph(kind, body);
    if (!checked.ok) throw new GraphInvalidResponseError({ ...c, problems: checked.problems });
    return checked.value;
  }

  /** A member's failure as the typed error of its call. */
  memberError(c: CallOf, a: MemberAnswer): GraphCallError {
    return graphErrorFor({ tenant: c.tenant, call: `${c.call} (in a $batch)`, status: a.status, ...graphError(a.body, a.status) }, c.work);
  }

  private sameOrigin(c: CallOf, link: string): URL {
    const url = new URL(link);
    if (url.origin !== this.origin) {
      const description = `refusing to send a Graph request to ${url.origin}: only ${this.origin} is the configured Graph endpoint`;
      throw new GraphCallError({ tenant: c.tenant, call: c.call, description: redact(description) }, GRAPH_ERROR_CODES.badResponse);
    }
    return url;
  }

  private async send(c: CallOf, request: GraphRequest): Promise<GraphRawAnswer> {
    try {
      return await this.http.send(request);
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      const code = err.failure === "network" ? GRAPH_ERROR_CODES.network : GRAPH_ERROR_CODES.badResponse;
      throw new GraphCallError({ tenant: c.tenant, call: c.call, description: err.description, attempts: err.request.attempts, cause: err.cause }, code);
    }
  }

  /** A 2xx answer fitting `kind`'s schema, typed; otherwise the typed error. */
  private checked<K extends GraphAnswerKind>(c: CallOf, kind: K, a: GraphRawAnswer): Checked<K> {
    const parsed = parseJsonBody(a.text);
    if (a.status < 200 || a.status >= 300) {
      const requestId = a.headers.get("request-id") ?? undefined;
      throw graphErrorFor(
        {
          tenant: c.tenant,
          call: c.call,
          status: a.status,
          ...(requestId ? { requestId } : {}),
          ...graphError(parsed.ok ? parsed.value : undefined, a.status),
        },
        c.work,
      );
    }
    if (!parsed.ok) throw new GraphInvalidResponseError({ ...c, problems: [`(the answer): not JSON (${parsed.error})`] });
    return this.check(c, kind, parsed.value);
  }
}

/** Graph's error shape `{ error: { code, message, innerError: { request-id } } }` as the parts of a typed error. */
function graphError(body: unknown, status: number): { description: string; graphCode?: string; requestId?: string } {
  const e = (body as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } } | undefined)?.error;
  const requestId = e?.innerError?.["request-id"];
  return {
    description: typeof e?.message === "string" && e.message ? e.message.slice(0, 500) : `HTTP ${status}`,
    ...(typeof e?.code === "string" ? { graphCode: e.code } : {}),
    ...(typeof requestId === "string" ? { requestId } : {}),
  };
}

function memberHeaders(m: Member): Record<string, string> {
  return { ...(m.body !== undefined ? { "Content-Type": "application/json" } : {}), ...m.headers };
}

/** Members of a `$batch` answer that were not throttled (for the budget; the answer is checked after). */
function membersPassed(text: string): number {
  const parsed = parseJsonBody(text);
  const responses = parsed.ok ? (parsed.value as { responses?: unknown } | undefined)?.responses : undefined;
  if (!Array.isArray(responses)) return 0;
  return responses.filter((r) => !RETRY_MEMBER.has((r as { status?: unknown } | null)?.status as number)).length;
}

/** `Retry-After` in seconds (Graph sends delta-seconds) as milliseconds. */
function retryAfterSeconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  return Math.round(Number(value) * 1000);
}

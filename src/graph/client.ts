/**
 * The Microsoft Graph client pcplan needs: licence state (subscribed SKUs, holders of a SKU),
 * licence changes (`assignLicense` in `$batch`es of up to 20, each member checked and retried
 * on its own) and the partner tenant's GDAP relationships. Requests are built, paged and batched
 * by `@microsoft/microsoft-graph-client`; sent through pcplan's HTTP layer (sdk-middleware.ts);
 * answers are schema-checked (response-schemas.ts) and failures typed (errors.ts), naming the
 * tenant. Reference pages: user-list, subscribedsku-list, user-assignlicense, json-batching,
 * paging, throttling, delegatedadminrelationship-list(-accessassignments).
 */
import { BatchRequestContent, BatchResponseContent, Client, GraphError, PageIterator } from "@microsoft/microsoft-graph-client";
import { PcplanError } from "../errors.js";
import type { LicenseChange, LicenseChangeOutcome } from "../licenses/backend.js";
import { redact } from "../partner-center/redact.js";
import type { TenantTokenProvider } from "./auth.js";
import { GRAPH_ERROR_CODES, GraphCallError, GraphInvalidResponseError, graphErrorFor } from "./errors.js";
import type { GraphWork } from "./gdap-roles.js";
import type { GraphHttp, GraphHttpStats } from "./http.js";
import { checkGraph } from "./response-schemas.js";
import { ExpectAnswer, INVALID_ANSWER_CODE, LayerFailure, LayerMiddleware } from "./sdk-middleware.js";
import type { AccessAssignment, DelegatedAdminRelationship, DirectoryObject, GraphUser, Page, SubscribedSku } from "./types.js";

/** Graph's most members in one `$batch` (json-batching). */
export const MAX_BATCH = 20;
/** Graph's largest page of users (user-list: `$top` 1–999). */
export const USERS_PAGE = 999;
const USER_FIELDS = "id,userPrincipalName,assignedLicenses";
/** Members answered with these are sent again (throttling: 429, and 503/504 with Retry-After). */
const RETRY_MEMBER = new Set([429, 503, 504]);

export interface GraphClientOptions {
  /** The Graph host without `/v1.0` (`https://graph.microsoft.com`, `GRAPH_ENDPOINT`). */
  endpoint: string;
  tokens: TenantTokenProvider;
  http: GraphHttp;
  /** The partner's own tenant (GDAP relationships are read there). */
  partnerTenant: string;
  /** How the credential is seen in the partner tenant: an app (client id) or the user of a refresh token. */
  principal: { kind: "app"; clientId: string } | { kind: "user" };
}

export interface LicenseRead {
  skus: SubscribedSku[];
  /** Per skuId asked for (lowercase): its holders. */
  holders: Map<string, GraphUser[]>;
}

export interface GraphClient {
  readonly endpoint: string;
  subscribedSkus(tenant: string): Promise<SubscribedSku[]>;
  holdersOf(tenant: string, skuId: string): Promise<GraphUser[]>;
  /** Subscribed SKUs and the holders of `skuIds` in one `$batch` (first pages; further pages followed). */
  readLicenses(tenant: string, skuIds: readonly string[]): Promise<LicenseRead>;
  /** One outcome per change, in order; at most 20 changes (one `$batch`). */
  assignLicenses(tenant: string, changes: readonly LicenseChange[]): Promise<LicenseChangeOutcome[]>;
  relationshipsWith(customerTenant: string): Promise<DelegatedAdminRelationship[]>;
  accessAssignments(relationshipId: string): Promise<AccessAssignment[]>;
  /** The security groups the credential is in (transitively), on the partner tenant. */
  memberOf(): Promise<DirectoryObject[]>;
  stats(): GraphHttpStats;
}

/** The paged answers and their items. */
interface PagedItems {
  usersPage: GraphUser;
  subscribedSkus: SubscribedSku;
  relationships: DelegatedAdminRelationship;
  accessAssignments: AccessAssignment;
  memberOf: DirectoryObject;
}
type Paged = keyof PagedItems;

interface Member {
  id: string;
  method: "GET" | "POST";
  /** Relative to the version: `/users/{id}/assignLicense`. */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

interface MemberAnswer {
  status: number;
  body: unknown;
}

export function createGraphClient(o: GraphClientOptions): GraphClient {
  const origin = new URL(o.endpoint).origin;
  const sdk = (tenant: string) =>
    Client.initWithMiddleware({ middleware: new LayerMiddleware(o.http, tenant, origin), baseUrl: origin, defaultVersion: "v1.0" });

  /** Runs SDK work for a tenant; every failure comes out typed and naming the tenant and the call. */
  async function run<T>(tenant: string, call: string, work: GraphWork, f: (client: Client) => Promise<T>): Promise<T> {
    // A refused token fails here, as itself (GraphTokenError names the tenant), before any request.
    await o.tokens(tenant);
    try {
      return await f(sdk(tenant));
    } catch (err) {
      throw typed(err instanceof LayerFailure ? err.original : err, tenant, call, work);
    }
  }

  /** Every item of a paged answer: the first page given, the rest through the SDK's PageIterator. */
  async function collect<K extends Paged>(client: Client, kind: K, first: Page<PagedItems[K]>): Promise<PagedItems[K][]> {
    const items: PagedItems[K][] = [];
    const pages = new PageIterator(client, first, (item: PagedItems[K]) => (items.push(item), true), { middlewareOptions: [new ExpectAnswer(kind)] });
    await pages.iterate();
    return items;
  }

  function list<K extends Paged>(tenant: string, call: string, kind: K, build: (client: Client) => ReturnType<Client["api"]>): Promise<PagedItems[K][]> {
    return run(tenant, call, "read", async (client) => {
      const first = (await build(client)
        .middlewareOptions([new ExpectAnswer(kind)])
        .get()) as Page<PagedItems[K]>;
      return collect(client, kind, first);
    });
  }

  /**
   * One `$batch` with member-level retries: members answered 429/503/504 go again (after the
   * layer's wait for their Retry-After) in a smaller batch; the others are final. Returns every
   * member's last answer.
   */
  async function batch(tenant: string, work: GraphWork, members: readonly Member[]): Promise<Map<string, MemberAnswer>> {
    const done = new Map<string, MemberAnswer>();
    let pending = [...members];
    for (let attempt = 0; pending.length > 0; attempt++) {
      const steps = pending.map((m) => ({
        id: m.id,
        request: new Request(`${origin}${m.path}`, {
          method: m.method,
          headers: { ...(m.body !== undefined ? { "Content-Type": "application/json" } : {}), ...m.headers },
          ...(m.body !== undefined ? { body: JSON.stringify(m.body) } : {}),
        }),
      }));
      const content = await new BatchRequestContent(steps).getContent();
      const answer = await run(
        tenant,
        "POST /$batch",
        work,
        (client) =>
          client
            .api("/$batch")
            .middlewareOptions([new ExpectAnswer("batch")])
            .post(content) as Promise<unknown>,
      );
      const responses = new BatchResponseContent(answer as { responses: [] });
      const again: Member[] = [];
      let retryAfterMs: number | undefined;
      for (const m of pending) {
        const r = responses.getResponseById(m.id);
        if (!r) throw new GraphInvalidResponseError({ tenant, call: "POST /$batch", problems: [`responses: no answer for member ${m.id}`] });
        const a: MemberAnswer = { status: r.status, body: await bodyOf(r) };
        done.set(m.id, a);
        if (RETRY_MEMBER.has(r.status)) {
          again.push(m);
          const after = retryAfter(r.headers.get("retry-after"));
          if (after !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, after);
        }
      }
      if (again.length === 0 || !(await o.http.memberThrottled(tenant, retryAfterMs, attempt))) break;
      pending = again;
    }
    return done;
  }

  const memberError = (tenant: string, call: string, a: MemberAnswer, work: GraphWork): GraphCallError => {
    const e = (a.body as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } } | undefined)?.error;
    const requestId = e?.innerError?.["request-id"];
    return graphErrorFor(
      {
        tenant,
        call: `${call} (in a $batch)`,
        status: a.status,
        ...(typeof e?.code === "string" ? { graphCode: e.code } : {}),
        description: typeof e?.message === "string" ? e.message.slice(0, 500) : `HTTP ${a.status}`,
        ...(typeof requestId === "string" ? { requestId } : {}),
      },
      work,
    );
  };

  const usersPath = (skuId: string) =>
    `/users?$select=${USER_FIELDS}&$filter=${encodeURIComponent(`assignedLicenses/any(x:x/skuId eq ${skuId})`)}&$top=${USERS_PAGE}`;

  const client: GraphClient = {
    endpoint: origin,
    stats: () => o.http.stats(),

    subscribedSkus: (tenant) => list(tenant, "GET /subscribedSkus", "subscribedSkus", (c) => c.api("/subscribedSkus")),

    // assignedLicenses/any(x:x/skuId eq …) is served without the advanced query parameters
    // (aad-advanced-queries); asking for them would read an eventually consistent index, and a
    // re-run right after an apply must see the licences it just changed.
    holdersOf: (tenant, skuId) =>
      list(tenant, "GET /users", "usersPage", (c) => c.api("/users").select(USER_FIELDS).filter(`assignedLicenses/any(x:x/skuId eq ${skuId})`).top(USERS_PAGE)),

    async readLicenses(tenant, skuIds) {
      const ids = [...new Set(skuIds.map((s) => s.toLowerCase()))].slice(0, MAX_BATCH - 1);
      const members: Member[] = [
        { id: "skus", method: "GET", path: "/subscribedSkus" },
        ...ids.map((s, i) => ({ id: `holders-${i}`, method: "GET" as const, path: usersPath(s) })),
      ];
      const answers = await batch(tenant, "read", members);
      const page = <K extends "subscribedSkus" | "usersPage">(id: string, kind: K, call: string): Page<PagedItems[K]> => {
        const a = answers.get(id);
        if (!a || a.status < 200 || a.status >= 300)
          throw a ? memberError(tenant, call, a, "read") : new GraphInvalidResponseError({ tenant, call, problems: ["no answer"] });
        const checked = checkGraph(kind, a.body);
        if (!checked.ok) throw new GraphInvalidResponseError({ tenant, call, problems: checked.problems });
        return checked.value as unknown as Page<PagedItems[K]>;
      };
      const skusPage = page("skus", "subscribedSkus", "GET /subscribedSkus");
      return run(tenant, "GET /users", "read", async (c) => {
        const skus = await collect(c, "subscribedSkus", skusPage);
        const holders = new Map<string, GraphUser[]>();
        for (const [i, s] of ids.entries()) holders.set(s, await collect(c, "usersPage", page(`holders-${i}`, "usersPage", "GET /users")));
        return { skus, holders };
      });
    },

    async assignLicenses(tenant, changes) {
      if (changes.length > MAX_BATCH) throw new RangeError(`at most ${MAX_BATCH} licence changes per $batch, got ${changes.length}`);
      const members: Member[] = changes.map((c, i) => ({
        id: String(i + 1),
        method: "POST",
        path: `/users/${encodeURIComponent(c.userId)}/assignLicense`,
        headers: { "client-request-id": c.requestId },
        body: { addLicenses: c.assign.map((skuId) => ({ skuId, disabledPlans: [] })), removeLicenses: [...c.remove] },
      }));
      let answers: Map<string, MemberAnswer>;
      try {
        answers = await batch(tenant, "write", members);
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        return changes.map(() => ({ ok: false as const, error }));
      }
      return members.map((m): LicenseChangeOutcome => {
        const a = answers.get(m.id);
        if (a && a.status >= 200 && a.status < 300) return { ok: true };
        return {
          ok: false,
          error: a
            ? memberError(tenant, "POST /users/{id}/assignLicense", a, "write")
            : new GraphInvalidResponseError({ tenant, call: "POST /$batch", problems: [`responses: no answer for member ${m.id}`] }),
        };
      });
    },

    relationshipsWith: (customerTenant) =>
      list(o.partnerTenant, "GET /tenantRelationships/delegatedAdminRelationships", "relationships", (c) =>
        c.api("/tenantRelationships/delegatedAdminRelationships").filter(`customer/tenantId eq '${customerTenant.toLowerCase()}'`),
      ),

    accessAssignments: (relationshipId) =>
      list(o.partnerTenant, "GET /tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments", "accessAssignments", (c) =>
        c.api(`/tenantRelationships/delegatedAdminRelationships/${encodeURIComponent(relationshipId)}/accessAssignments`),
      ),

    memberOf: () =>
      o.principal.kind === "app"
        ? list(o.partnerTenant, "GET /servicePrincipals(appId=…)/transitiveMemberOf", "memberOf", (c) =>
            c.api(`/servicePrincipals(appId='${(o.principal as { clientId: string }).clientId}')/transitiveMemberOf`).select("id"),
          )
        : list(o.partnerTenant, "GET /me/transitiveMemberOf", "memberOf", (c) => c.api("/me/transitiveMemberOf").select("id")),
  };
  return client;
}

/** A Graph error (the SDK's), a failed schema check, or a failure of our own layer, as a typed error. */
function typed(err: unknown, tenant: string, call: string, work: GraphWork): Error {
  if (err instanceof PcplanError) return err;
  if (err instanceof GraphError) {
    if (err.code === INVALID_ANSWER_CODE) return new GraphInvalidResponseError({ tenant, call, problems: [err.message] });
    return graphErrorFor(
      {
        tenant,
        call,
        status: err.statusCode,
        ...(err.code ? { graphCode: err.code } : {}),
        description: (err.message || `HTTP ${err.statusCode}`).slice(0, 500),
        ...(err.requestId ? { requestId: err.requestId } : {}),
      },
      work,
    );
  }
  return new GraphCallError({ tenant, call, description: redact(err instanceof Error ? err.message : String(err)) }, GRAPH_ERROR_CODES.network);
}

async function bodyOf(r: Response): Promise<unknown> {
  const text = await r.text();
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return text;
  }
}

/** `Retry-After` in seconds (Graph sends delta-seconds) as milliseconds. */
function retryAfter(value: string | null): number | undefined {
  if (value === null || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  return Math.round(Number(value) * 1000);
}

export type { Page };

/**
 * The Microsoft Graph client pcplan needs: licence state (subscribed SKUs, holders of a SKU),
 * licence changes (`assignLicense` in `$batch`es of up to 20, each member checked and retried on
 * its own) and the partner tenant's GDAP relationships. Called through pcplan's HTTP layer
 * (calls.ts → `GraphHttp`); answers are schema-checked (response-schemas.ts) and failures typed
 * (errors.ts), naming the tenant. Reference pages: user-list, subscribedsku-list,
 * user-assignlicense, json-batching, paging, throttling, delegatedadminrelationship-list(-accessassignments).
 */
import type { GroupLicenseChange, LicenseChange, LicenseChangeOutcome } from "../licenses/backend.js";
import type { TenantTokenProvider } from "./auth.js";
import { GraphCalls, MAX_BATCH, type CallOf, type Member, type MemberAnswer } from "./calls.js";
import { GraphInvalidResponseError } from "./errors.js";
import type { GraphHttp, GraphHttpStats } from "./http.js";
import type { AccessAssignment, DelegatedAdminRelationship, DirectoryObject, GraphGroup, GraphUser, Page, SubscribedSku } from "./types.js";

export { MAX_BATCH } from "./calls.js";

/** Graph's largest page of users (user-list: `$top` 1–999). */
export const USERS_PAGE = 999;
/**
 * `licenseAssignmentStates` says how each licence is held (directly, or through which group; its
 * state and error: learn.microsoft.com/graph/api/resources/licenseassignmentstate); it and
 * `usageLocation` are returned only when selected (user resource).
 */
const USER_FIELDS = "id,userPrincipalName,assignedLicenses,usageLocation,licenseAssignmentStates";
const GROUP_FIELDS = "id,displayName,groupTypes,membershipRule,onPremisesSyncEnabled,assignedLicenses,licenseProcessingState";

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
  /** Per skuId asked for with units consumed (lowercase): its holders. */
  holders: Map<string, GraphUser[]>;
}

export interface GraphClient {
  readonly endpoint: string;
  /** The tenants this run will read: their tokens are asked for now (auth.ts `prefetch`). */
  prepare(tenants: readonly string[]): void;
  subscribedSkus(tenant: string): Promise<SubscribedSku[]>;
  holdersOf(tenant: string, skuId: string): Promise<GraphUser[]>;
  /** Subscribed SKUs, then the holders of those of `skuIds` with units consumed (none read where nothing is). */
  readLicenses(tenant: string, skuIds: readonly string[]): Promise<LicenseRead>;
  /** One outcome per change, in order; at most 20 changes (one `$batch`). */
  assignLicenses(tenant: string, changes: readonly LicenseChange[]): Promise<LicenseChangeOutcome[]>;
  /** A group's own licences, type and licence processing (group-get). */
  group(tenant: string, groupId: string): Promise<GraphGroup>;
  /** The users among a group's direct members (group-list-members, cast to users). */
  groupMembers(tenant: string, groupId: string): Promise<GraphUser[]>;
  /** The group's members whose licences from it are in error (group-list-memberswithlicenseerrors). */
  membersWithLicenseErrors(tenant: string, groupId: string): Promise<GraphUser[]>;
  /** `POST /groups/{id}/assignLicense` (group-assignlicense: 202; the members follow when the group is processed). */
  assignGroupLicense(tenant: string, change: GroupLicenseChange): Promise<void>;
  /** `PATCH /users/{id}` setting `usageLocation` (user-update), before a licence is assigned to a user without one. */
  setUsageLocation(tenant: string, userId: string, usageLocation: string, requestId: string): Promise<void>;
  relationshipsWith(customerTenant: string): Promise<DelegatedAdminRelationship[]>;
  accessAssignments(relationshipId: string): Promise<AccessAssignment[]>;
  /** The security groups the credential is in (transitively), on the partner tenant. */
  memberOf(): Promise<DirectoryObject[]>;
  stats(): GraphHttpStats;
}

/**
 * Holders of a SKU. `assignedLicenses/any(x:x/skuId eq …)` is served without the advanced query
 * parameters (aad-advanced-queries); asking for them would read an eventually consistent index,
 * and a re-run right after an apply must see the licences it just changed.
 */
const usersPath = (skuId: string) =>
  `/users?$select=${USER_FIELDS}&$filter=${encodeURIComponent(`assignedLicenses/any(x:x/skuId eq ${skuId})`)}&$top=${USERS_PAGE}`;

export function createGraphClient(o: GraphClientOptions): GraphClient {
  const calls = new GraphCalls(o.http, new URL(o.endpoint).origin);
  // A refused token fails first, as itself (GraphTokenError names the tenant), before any request.
  const read = async <T>(c: CallOf, f: () => Promise<T>): Promise<T> => (await o.tokens(c.tenant), f());
  const partner = (call: string): CallOf => ({ tenant: o.partnerTenant, call, work: "read" });
  const memberOfPath =
    o.principal.kind === "app" ? `/servicePrincipals(appId='${o.principal.clientId}')/transitiveMemberOf?$select=id` : "/me/transitiveMemberOf?$select=id";
  return {
    endpoint: calls.url("/").origin,
    stats: () => o.http.stats(),
    prepare: (tenants) => o.tokens.prefetch?.(tenants),
    subscribedSkus: (tenant) => {
      const c: CallOf = { tenant, call: "GET /subscribedSkus", work: "read" };
      return read(c, () => calls.list(c, "subscribedSkus", "/subscribedSkus"));
    },
    holdersOf: (tenant, skuId) => {
      const c: CallOf = { tenant, call: "GET /users", work: "read" };
      return read(c, () => calls.list(c, "usersPage", usersPath(skuId)));
    },
    readLicenses: (tenant, skuIds) => read({ tenant, call: "GET /subscribedSkus", work: "read" }, () => readLicenses(calls, tenant, skuIds)),
    assignLicenses: (tenant, changes) => assignLicenses(calls, tenant, changes),
    ...groupCalls(calls, read),
    relationshipsWith: (customerTenant) => {
      const c = partner("GET /tenantRelationships/delegatedAdminRelationships");
      const filter = encodeURIComponent(`customer/tenantId eq '${customerTenant.toLowerCase()}'`);
      return read(c, () => calls.list(c, "relationships", `/tenantRelationships/delegatedAdminRelationships?$filter=${filter}`));
    },
    accessAssignments: (relationshipId) => {
      const c = partner("GET /tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments");
      return read(c, () =>
        calls.list(c, "accessAssignments", `/tenantRelationships/delegatedAdminRelationships/${encodeURIComponent(relationshipId)}/accessAssignments`),
      );
    },
    memberOf: () => {
      const c = partner(o.principal.kind === "app" ? "GET /servicePrincipals(appId=…)/transitiveMemberOf" : "GET /me/transitiveMemberOf");
      return read(c, () => calls.list(c, "memberOf", memberOfPath));
    },
  };
}

/**
 * The counts, then the holders of those of `skuIds` with units consumed — none read where
 * nothing of them is consumed (a licence held through a group counts as consumed, and is listed
 * in its members' `assignedLicenses`: user resource, "including inherited (group-based)
 * licenses"). One call per customer, and one per consumed SKU's page of holders: the fewest the
 * data allows (a `$batch` would carry the holders' query whether or not it is needed).
 */
async function readLicenses(calls: GraphCalls, tenant: string, skuIds: readonly string[]): Promise<LicenseRead> {
  const skus = await calls.list({ tenant, call: "GET /subscribedSkus", work: "read" }, "subscribedSkus", "/subscribedSkus");
  const consumed = new Set(skus.filter((k) => k.consumedUnits > 0).map((k) => k.skuId.toLowerCase()));
  const ids = [...new Set(skuIds.map((s) => s.toLowerCase()))].filter((s) => consumed.has(s));
  const usersCall: CallOf = { tenant, call: "GET /users", work: "read" };
  const holders = new Map(await Promise.all(ids.map(async (s) => [s, await calls.list(usersCall, "usersPage", usersPath(s))] as const)));
  return { skus, holders };
}

type GroupCalls = Pick<GraphClient, "group" | "groupMembers" | "membersWithLicenseErrors" | "assignGroupLicense" | "setUsageLocation">;

/** Groups and their licences (group resource, group-assignlicense), and a user's usage location (user-update). */
function groupCalls(calls: GraphCalls, read: <T>(c: CallOf, f: () => Promise<T>) => Promise<T>): GroupCalls {
  const g = (id: string) => `/groups/${encodeURIComponent(id)}`;
  const usersOf = (tenant: string, id: string, what: "members" | "membersWithLicenseErrors") => {
    const c: CallOf = { tenant, call: `GET /groups/{id}/${what}`, work: "read" };
    return read(c, () => calls.list(c, "membersPage", `${g(id)}/${what}/microsoft.graph.user?$select=${USER_FIELDS}&$top=${USERS_PAGE}`));
  };
  return {
    group: (tenant, id) => {
      const c: CallOf = { tenant, call: "GET /groups/{id}", work: "read" };
      return read(c, () => calls.get(c, "group", calls.url(`${g(id)}?$select=${GROUP_FIELDS}`)));
    },
    groupMembers: (tenant, id) => usersOf(tenant, id, "members"),
    membersWithLicenseErrors: (tenant, id) => usersOf(tenant, id, "membersWithLicenseErrors"),
    assignGroupLicense: async (tenant, ch) => {
      const c: CallOf = { tenant, call: "POST /groups/{id}/assignLicense", work: "write" };
      const body = { addLicenses: ch.add.map((a) => ({ skuId: a.skuId, disabledPlans: [...a.disabledPlans] })), removeLicenses: [...ch.remove] };
      await calls.write(c, "group", { method: "POST", path: `${g(ch.groupId)}/assignLicense`, body, headers: { "client-request-id": ch.requestId } });
    },
    setUsageLocation: async (tenant, userId, usageLocation, requestId) => {
      const c: CallOf = { tenant, call: "PATCH /users/{id}", work: "write" };
      await calls.write(c, undefined, {
        method: "PATCH",
        path: `/users/${encodeURIComponent(userId)}`,
        body: { usageLocation },
        headers: { "client-request-id": requestId },
      });
    },
  };
}

/** Up to 20 `assignLicense` in one `$batch`; one outcome per change, a failed batch failing each. */
async function assignLicenses(calls: GraphCalls, tenant: string, changes: readonly LicenseChange[]): Promise<LicenseChangeOutcome[]> {
  if (changes.length > MAX_BATCH) throw new RangeError(`at most ${MAX_BATCH} licence changes per $batch, got ${changes.length}`);
  const members: Member[] = changes.map((c, i) => ({
    id: String(i + 1),
    method: "POST",
    path: `/users/${encodeURIComponent(c.userId)}/assignLicense`,
    headers: { "client-request-id": c.requestId },
    body: {
      addLicenses: c.assign.map((skuId) => ({ skuId, disabledPlans: [...(c.disabledPlans?.[skuId.toLowerCase()] ?? c.disabledPlans?.[skuId] ?? [])] })),
      removeLicenses: [...c.remove],
    },
  }));
  let answers: Map<string, MemberAnswer>;
  try {
    answers = await calls.batch({ tenant, work: "write" }, members);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    return changes.map(() => ({ ok: false as const, error }));
  }
  const call: CallOf = { tenant, call: "POST /users/{id}/assignLicense", work: "write" };
  return members.map((m): LicenseChangeOutcome => {
    const a = answers.get(m.id);
    if (a && a.status >= 200 && a.status < 300) return { ok: true };
    return {
      ok: false,
      error: a
        ? calls.memberError(call, a)
        : new GraphInvalidResponseError({ tenant, call: "POST /$batch", problems: [`responses: no answer for member ${m.id}`] }),
    };
  });
}

export type { Page };

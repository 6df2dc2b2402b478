/**
 * `GET /users` with the query options licence tools use (reference pages user-list, paging,
 * aad-advanced-queries): `$select`, `$filter=assignedLicenses/any(x:x/skuId eq {id})`, `$top`
 * (1–999, default 100), `$skiptoken` in an absolute `@odata.nextLink`, and `$count=true`, which
 * Graph serves only as an advanced query (header `ConsistencyLevel: eventual`).
 */
import { disabledPlansOf, heldSkus, holds } from "../holdings.js";
import type { FixtureUser, WorldCustomer } from "../types.js";
import type { GraphAnswer, GraphCall } from "./context.js";
import { GraphHttpError, graphBadRequest } from "./graph-error.js";

const SELECTABLE = ["id", "userPrincipalName", "displayName", "usageLocation", "assignedLicenses", "licenseAssignmentStates"] as const;
type Selectable = (typeof SELECTABLE)[number];
const DEFAULT_SELECT: readonly Selectable[] = ["id", "userPrincipalName", "displayName"];
const DEFAULT_TOP = 100;
const MAX_TOP = 999;

const FILTER = /^\s*assignedLicenses\/any\(\s*(\w+)\s*:\s*\1\/skuId\s+eq\s+'?([0-9a-fA-F-]{36})'?\s*\)\s*$/;

export function userJson(u: FixtureUser, select: readonly Selectable[] = SELECTABLE): Record<string, unknown> {
  const all: Record<Selectable, unknown> = {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    usageLocation: u.usageLocation === undefined ? "US" : u.usageLocation,
    assignedLicenses: heldSkus(u).map((skuId) => ({ skuId, disabledPlans: disabledPlansOf(u, skuId) })),
    licenseAssignmentStates: assignmentStates(u),
  };
  return Object.fromEntries(select.map((k) => [k, all[k]]));
}

/**
 * How each licence is held (licenseAssignmentState): one entry per direct assignment
 * (`assignedByGroup` null) and one per group it is inherited from; `error` null when assigned.
 */
function assignmentStates(u: FixtureUser): Record<string, unknown>[] {
  const direct = u.licenses.map((skuId) => ({ skuId, assignedByGroup: null, state: "Active", error: null, disabledPlans: disabledPlansOf(u, skuId) }));
  const inherited = (u.groupLicenses ?? []).map((g) => ({
    skuId: g.skuId,
    assignedByGroup: g.group,
    state: g.error ? "Error" : "Active",
    error: g.error ?? null,
    disabledPlans: g.disabledPlans ?? [],
  }));
  return [...direct, ...inherited];
}

function parseSelect(raw: string | null): Selectable[] {
  if (raw === null) return [...DEFAULT_SELECT];
  return raw.split(",").map((s) => {
    const name = s.trim();
    const known = SELECTABLE.find((k) => k.toLowerCase() === name.toLowerCase());
    if (!known) throw graphBadRequest(`Could not find a property named '${name}' on type 'microsoft.graph.user'.`);
    return known;
  });
}

function parseTop(raw: string | null): number {
  if (raw === null) return DEFAULT_TOP;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_TOP) throw graphBadRequest(`Invalid page size specified: '${raw}'. Must be between 1 and ${MAX_TOP} inclusive.`);
  return n;
}

interface SkipToken {
  /** Offset of the next page. */
  o: number;
  /** The filter it belongs to: a token replayed with another filter is refused. */
  f: string;
}

function parseSkipToken(raw: string | null, filter: string): number {
  if (raw === null) return 0;
  try {
    const t = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as SkipToken;
    if (Number.isInteger(t.o) && t.o >= 0 && t.f === filter) return t.o;
  } catch {
    // answered below
  }
  throw graphBadRequest("Invalid skip token.", "Request_BadRequest");
}

export function listUsers(call: GraphCall, c: WorldCustomer): GraphAnswer {
  const select = parseSelect(call.query.get("$select"));
  const top = parseTop(call.query.get("$top"));
  const filter = call.query.get("$filter") ?? "";
  const count = call.query.get("$count");
  if (count !== null && count !== "true" && count !== "false") throw graphBadRequest(`Invalid value '${count}' for $count.`);
  if (count === "true" && call.header("consistencylevel")?.toLowerCase() !== "eventual") {
    throw new GraphHttpError(400, "Request_UnsupportedQuery", "$count is supported only in advanced queries: add the header ConsistencyLevel: eventual.");
  }
  let users = c.users;
  if (filter !== "") {
    const m = FILTER.exec(filter);
    if (!m?.[2])
      throw new GraphHttpError(
        400,
        "Request_UnsupportedQuery",
        `Unsupported or invalid query filter clause specified for property 'assignedLicenses' of resource 'User': ${filter}`,
      );
    const sku = m[2].toLowerCase();
    users = users.filter((u) => holds(u, sku));
  }
  const offset = parseSkipToken(call.query.get("$skiptoken"), filter);
  const page = users.slice(offset, offset + top);
  const body: Record<string, unknown> = {
    "@odata.context": `${call.origin}/v1.0/$metadata#users(${select.join(",")})`,
  };
  if (count === "true") body["@odata.count"] = users.length;
  body.value = page.map((u) => userJson(u, select));
  if (offset + top < users.length) {
    const next = new URL(`${call.origin}/v1.0/users`);
    for (const [k, v] of call.query) if (k !== "$skiptoken") next.searchParams.set(k, v);
    next.searchParams.set("$skiptoken", Buffer.from(JSON.stringify({ o: offset + top, f: filter } satisfies SkipToken)).toString("base64url"));
    body["@odata.nextLink"] = next.href;
  }
  return { status: 200, body };
}

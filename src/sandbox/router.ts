/** The route table: path templates under /v1, who may call them, and which handler answers. */
import type { Access } from "./auth.js";
import type { Clock } from "./clock.js";
import type { WorldState } from "./state.js";
import type { CommerceDelays, NewStateChange } from "./types.js";
import { partnerCenterRoutes } from "./partner-center/routes.js";

export interface RequestContext {
  state: WorldState;
  clock: Clock;
  params: Record<string, string>;
  query: URLSearchParams;
  /** A request header by lowercase name (first value when repeated). */
  header(name: string): string | undefined;
  body: unknown;
  requestId?: string;
  continuationToken?: string;
  paging: { defaultSize: number; maxSize: number };
  /** Provisioning, order appearance and transition delays (sandbox clock). */
  delays: CommerceDelays;
  /** Records a committed state change (the server numbers, logs and persists it). */
  record(change: NewStateChange): void;
}

export interface HandlerResult {
  status: number;
  body: unknown;
}

export interface RouteDef {
  method: "GET" | "POST" | "PATCH";
  /** `:customerId` names the customer whose GDAP relationship authorises the call. */
  path: string;
  access: Access;
  /** Human name of the operation, used in 403 messages. */
  operation: string;
  /** Synchronous on purpose: validation and commit happen in one tick, so concurrent requests never interleave. */
  handle(ctx: RequestContext): HandlerResult;
}

interface CompiledRoute extends RouteDef {
  regex: RegExp;
  keys: string[];
}

export type RouteMatch = { route: CompiledRoute; params: Record<string, string> } | { methodNotAllowed: true } | undefined;

function compile(def: RouteDef): CompiledRoute {
  const keys: string[] = [];
  const source = def.path.replace(/:(\w+)/g, (_m, k: string) => {
    keys.push(k);
    return "([^/]+)";
  });
  return { ...def, regex: new RegExp(`^${source}/?$`, "i"), keys };
}

const ROUTES: CompiledRoute[] = partnerCenterRoutes.map(compile);

/** Matches a path with the /v1 prefix already removed. */
export function matchRoute(method: string, path: string): RouteMatch {
  let pathMatched = false;
  for (const r of ROUTES) {
    const m = r.regex.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => (params[k] = safeDecode(m[i + 1] ?? "")));
    return { route: r, params };
  }
  return pathMatched ? { methodNotAllowed: true } : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

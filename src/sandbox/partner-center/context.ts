/** What a Partner Center route is and what its handler is given: the world, the clock and the request. */
import type { Access } from "../auth.js";
import type { Clock } from "../clock.js";
import type { WorldState } from "../state.js";
import type { CommerceDelays, NewStateChange } from "../types.js";

export interface RequestContext {
  state: WorldState;
  clock: Clock;
  params: Record<string, string>;
  query: URLSearchParams;
  /** A request header by lowercase name (first value when repeated). */
  header(name: string): string | undefined;
  body: unknown;
  continuationToken?: string;
  paging: { defaultSize: number; maxSize: number };
  /** Provisioning, order appearance and transition delays (sandbox clock). */
  delays: CommerceDelays;
  /** Records a committed state change, with the request's `MS-RequestId` (the server numbers, logs and persists it). */
  readonly record: (change: NewStateChange) => void;
}

export interface HandlerResult {
  status: number;
  body: unknown;
}

export interface RouteDef {
  method: "GET" | "POST" | "PATCH";
  /** Below `/v1`; `:customerId` names the customer whose GDAP relationship authorises the call. */
  path: string;
  access: Access;
  /** Human name of the operation, used in 403 messages. */
  operation: string;
  /** Synchronous on purpose: validation and commit happen in one tick, so concurrent requests never interleave. */
  handle(ctx: RequestContext): HandlerResult;
}

/** A route in one line: method, path below `/v1`, who may call it, the operation's name (for 403s), the handler. */
export function route(method: RouteDef["method"], path: string, access: Access, operation: string, handle: RouteDef["handle"]): RouteDef {
  return { method, path, access, operation, handle };
}

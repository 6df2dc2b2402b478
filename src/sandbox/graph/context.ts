/** What a Graph handler is given: the world, who calls (from the token) and the request. */
import type { WorldState } from "../state.js";
import type { FixtureCredential, NewStateChange } from "../types.js";

export interface GraphCall {
  state: WorldState;
  /** The tenant the token was issued for (lowercase): a customer's, or the partner's own. */
  tenant: string;
  cred: FixtureCredential;
  /** Who the token speaks for: the app alone (with its consented permissions) or the partner user (with GDAP roles). */
  principal: GraphPrincipal;
  /** `https://127.0.0.1:port`, for absolute `@odata.nextLink`s. */
  origin: string;
  method: string;
  /** Below `/v1.0`, as sent (the route table decodes its parameters): `/users/{id}/assignLicense`. */
  path: string;
  query: URLSearchParams;
  header(name: string): string | undefined;
  body: unknown;
  params: Record<string, string>;
  record: (change: NewStateChange) => void;
  /** User ids whose licence changes are refused (fault injection, FaultSettings.graphRefuseUsers). */
  refusedUsers: ReadonlySet<string>;
  /** The sandbox clock now, and how long a group's members take to be processed after a licence change. */
  nowMs: number;
  groupProcessingMs: number;
}

export type GraphPrincipal = { kind: "app"; roles: readonly string[] } | { kind: "user" };

export interface GraphAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

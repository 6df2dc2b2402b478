/**
 * Bearer auth, Partner Center agent roles and GDAP. Tokens are compared and then forgotten:
 * only the role and the credential's name travel further (never the token itself).
 *
 * Partner-level calls (customers, subscriptions, orders, carts, the catalog) keep the agent
 * roles. Customer-tenant calls (users, their licences, subscribed SKUs, licence updates) are
 * authorised per customer by the GDAP roles of the credential's relationship with that customer
 * (reference: dap-api-impact, check-which-licenses-are-assigned-to-a-user).
 */
import type { FixtureCredential, GdapRole, Role } from "./types.js";
import { ErrorCode, HttpError } from "./http-error.js";
import { PARTNER_CENTER_RESOURCE, type TokenSigner } from "./tokens.js";

export const ROLE_LABEL: Record<Role, string> = {
  "admin-agent": "Admin agent",
  "sales-agent": "Sales agent",
  "helpdesk-agent": "Helpdesk agent",
};

/**
 * read: any agent. commerce: purchases and subscription changes. transitions: the Admin agent
 * (transition-resources, "Appropriate roles"). provisioning: an order's provisioning status, App+User
 * credentials with the Admin agent role only (learn.microsoft.com/partner-center/developer/get-order-provisioning-status:
 * "This scenario supports authentication with App+User credentials only", appropriate roles Admin
 * agent). directory / licenses: GDAP roles on the customer.
 */
export type Access = "read" | "commerce" | "transitions" | "provisioning" | "prices" | "directory" | "licenses";

const AGENT_ROLES: Partial<Record<Access, Role[]>> = {
  read: ["admin-agent", "sales-agent", "helpdesk-agent"],
  commerce: ["admin-agent", "sales-agent"],
  transitions: ["admin-agent"],
  provisioning: ["admin-agent"],
  prices: ["admin-agent", "sales-agent"],
};

const AGENT_NEEDED: Partial<Record<Access, string>> = {
  read: "any agent role",
  commerce: "the Sales agent or Admin agent role",
  transitions: "the Admin agent role",
  provisioning: "App+User credentials with the Admin agent role",
  prices: "App+User credentials with the Admin agent or Sales agent role",
};

/** Calls the reference allows App+User credentials only. */
const APP_USER_ONLY: ReadonlySet<Access> = new Set(["provisioning", "prices"]);

/** Who calls: the credential, and whether its token is app-only (client credentials) or the partner user's (App+User). */
export interface Caller {
  cred: FixtureCredential;
  appOnly: boolean;
}

/** GDAP roles any one of which allows the access. */
const GDAP_NEEDED: Partial<Record<Access, GdapRole[]>> = {
  directory: ["Directory Readers", "Global Reader", "User Administrator", "License Administrator", "Directory Writers"],
  licenses: ["License Administrator", "User Administrator", "Directory Writers"],
};

const ALL_GDAP: GdapRole[] = ["Directory Readers", "Global Reader", "Directory Writers", "User Administrator", "License Administrator"];

/** A credential without `gdap` in the fixture: the admin agent has every role everywhere, the others read. */
const DEFAULT_GDAP: Record<Role, GdapRole[]> = {
  "admin-agent": ALL_GDAP,
  "sales-agent": ["Directory Readers"],
  "helpdesk-agent": ["Directory Readers"],
};

/**
 * A fixture token is the partner user's (App+User, with the credential's agent role); a token the
 * sandbox signed for Partner Center's resource from client credentials is the app's alone.
 */
export function authenticate(authorization: string | undefined, credentials: FixtureCredential[], signer: TokenSigner): Caller {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const user = m ? credentials.find((c) => c.token === m[1]) : undefined;
  if (user) return { cred: user, appOnly: false };
  const v = m?.[1] !== undefined ? signer.verify(m[1]) : undefined;
  const app = v?.ok && v.claims.aud === PARTNER_CENTER_RESOURCE ? credentials.find((c) => c.clientId?.toLowerCase() === v.claims.appid) : undefined;
  if (app) return { cred: app, appOnly: true };
  const description = m ? "Access denied: the bearer token is not valid." : "Access denied: an Authorization: Bearer token is required.";
  throw new HttpError(401, ErrorCode.accessDenied, description, [], { "WWW-Authenticate": "Bearer" });
}

/** The credential's GDAP roles on one customer: the customer's own entry (one relationship), else `*`. */
export function gdapRoles(cred: FixtureCredential, customerId: string): Set<GdapRole> {
  if (!cred.gdap) return new Set(DEFAULT_GDAP[cred.role]);
  const wanted = customerId.toLowerCase();
  const own = Object.entries(cred.gdap).find(([k]) => k.toLowerCase() === wanted);
  return new Set(own ? own[1] : (cred.gdap["*"] ?? []));
}

/** Whether the credential's GDAP roles on the customer allow the access (any one role needed is enough). */
export function gdapAllows(cred: FixtureCredential, customerId: string, access: Access): boolean {
  const held = gdapRoles(cred, customerId);
  return (GDAP_NEEDED[access] ?? []).some((r) => held.has(r));
}

function listOr(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

export function authorize(caller: Caller, access: Access, what: string, customerId?: string): void {
  const { cred } = caller;
  const agents = AGENT_ROLES[access];
  if (agents) {
    const appOnlyRefused = caller.appOnly && APP_USER_ONLY.has(access);
    if (agents.includes(cred.role) && !appOnlyRefused) return;
    const has = appOnlyRefused ? "an app-only token" : ROLE_LABEL[cred.role];
    throw new HttpError(403, ErrorCode.forbidden, `Access denied: ${what} requires ${AGENT_NEEDED[access]}; the credential has ${has}.`);
  }
  if (customerId !== undefined && gdapAllows(cred, customerId, access)) return;
  const needed = GDAP_NEEDED[access] ?? [];
  const held = customerId !== undefined ? gdapRoles(cred, customerId) : new Set<GdapRole>();
  const has = held.size > 0 ? `only ${[...held].join(", ")}` : "no GDAP role";
  throw new HttpError(
    403,
    ErrorCode.forbidden,
    `Access denied: ${what} for customer ${customerId ?? "?"} requires the GDAP role ${listOr(needed)}; ` +
      `the credential (${ROLE_LABEL[cred.role]}) has ${has} there.`,
  );
}

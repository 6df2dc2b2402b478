/**
 * Bearer auth and Partner Center roles. Tokens are compared and then forgotten: only the
 * role and the credential's name travel further (never the token itself).
 */
import type { FixtureCredential, Role } from "./types.js";
import { ErrorCode, HttpError } from "./http-error.js";

export const ROLE_LABEL: Record<Role, string> = {
  "admin-agent": "Admin agent",
  "sales-agent": "Sales agent",
  "helpdesk-agent": "Helpdesk agent",
};

/** Which roles may call a route: reads are open to all, purchases to sales, licenses to admin. */
export type Access = "read" | "commerce" | "licenses";

const ALLOWED: Record<Access, Role[]> = {
  read: ["admin-agent", "sales-agent", "helpdesk-agent"],
  commerce: ["admin-agent", "sales-agent"],
  licenses: ["admin-agent"],
};

const NEEDED: Record<Access, string> = {
  read: "any agent role",
  commerce: "the Sales agent or Admin agent role",
  licenses: "the Admin agent role",
};

export function authenticate(authorization: string | undefined, credentials: FixtureCredential[]): FixtureCredential {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const cred = m ? credentials.find((c) => c.token === m[1]) : undefined;
  if (!cred) {
    const description = m ? "Access denied: the bearer token is not valid." : "Access denied: an Authorization: Bearer token is required.";
    throw new HttpError(401, ErrorCode.accessDenied, description, [], { "WWW-Authenticate": "Bearer" });
  }
  return cred;
}

export function authorize(cred: FixtureCredential, access: Access, what: string): void {
  if (ALLOWED[access].includes(cred.role)) return;
  throw new HttpError(
    403,
    ErrorCode.forbidden,
    `Access denied: ${what} requires ${NEEDED[access]}; the credential has ${ROLE_LABEL[cred.role]}.`,
  );
}

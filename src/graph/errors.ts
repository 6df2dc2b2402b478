/**
 * Typed Microsoft Graph errors. Every failed Graph call becomes a `GraphCallError` carrying the
 * tenant it was for, the HTTP status, Graph's own `error.code` (`graphCode`), its message and the
 * request id a support case asks for; a refused token or a missing GDAP role names the tenant
 * and the roles that would do. Messages are built from redacted parts only.
 */
import { PcplanError, type ErrorCode } from "../errors.js";
import { redact } from "../partner-center/redact.js";
import { APP_PERMISSIONS, LEAST_APP_PERMISSIONS, NO_CONSENT_CODE } from "./app-permissions.js";
import { GRAPH_ROLES_NEEDED, anyOf, type GraphWork } from "./gdap-roles.js";

export const GRAPH_ERROR_CODES = {
  http: "GRAPH_HTTP_ERROR",
  token: "GRAPH_TOKEN_REFUSED",
  credentials: "GRAPH_CREDENTIALS",
  access: "GRAPH_ACCESS_DENIED",
  notFound: "GRAPH_NOT_FOUND",
  licenseQuota: "GRAPH_LICENSE_QUOTA",
  throttled: "GRAPH_THROTTLED",
  service: "GRAPH_SERVICE",
  network: "GRAPH_NETWORK",
  badResponse: "GRAPH_BAD_RESPONSE",
} as const;

export interface GraphErrorInit {
  tenant: string;
  /** `GET /users`, `POST /users/{id}/assignLicense` (in a `$batch`): the call, without query or host. */
  call: string;
  status?: number;
  graphCode?: string;
  description: string;
  requestId?: string;
  attempts?: number;
  hint?: string;
  cause?: unknown;
}

export class GraphCallError extends PcplanError {
  readonly tenant: string;
  readonly status: number | undefined;
  readonly graphCode: string | undefined;
  readonly description: string;
  readonly requestId: string | undefined;
  readonly attempts: number;

  constructor(init: GraphErrorInit, code: ErrorCode = GRAPH_ERROR_CODES.http, userError = false) {
    const what = [init.status === undefined ? "network error" : String(init.status), init.graphCode].filter(Boolean).join(" ");
    const hint = init.hint ? ` ${init.hint}` : "";
    super(
      code,
      redact(`Microsoft Graph ${init.call} for tenant ${init.tenant} failed: ${what}: ${init.description} (request ${init.requestId ?? "-"}).${hint}`),
      userError,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.tenant = init.tenant;
    this.status = init.status;
    this.graphCode = init.graphCode;
    this.description = redact(init.description);
    this.requestId = init.requestId;
    this.attempts = init.attempts ?? 1;
  }
}

const appPermissionsFor = (work: GraphWork): string =>
  work === "write" ? `permission ${anyOf(APP_PERMISSIONS.assignLicense)}` : "permissions User.Read.All and LicenseAssignment.Read.All (or broader ones)";

/** A 403: the app's consent (app-only) or the user's GDAP roles (app+user) on the tenant do not allow the call. */
export class GraphAccessError extends GraphCallError {
  readonly rolesNeeded: readonly string[];
  constructor(init: GraphErrorInit, work: GraphWork) {
    const roles = GRAPH_ROLES_NEEDED[work];
    super(
      {
        ...init,
        hint: `${work === "write" ? "Assigning licences" : "Reading users and subscribed SKUs"} on customer tenant ${init.tenant} needs, for an app-only credential, the application ${appPermissionsFor(work)} consented there; for the partner user's refresh token, the GDAP role ${anyOf(roles)}. It is missing there.`,
      },
      GRAPH_ERROR_CODES.access,
      true,
    );
    this.rolesNeeded = roles;
  }
}

/**
 * The token endpoint refused a token for this tenant. An app-only credential gets one only where
 * the app was consented (AADSTS700016 where it never was); the partner user's refresh token also
 * needs the app consented there and a GDAP relationship for the user.
 */
export class GraphTokenError extends GraphCallError {
  /** Entra ID's error code from the description (`AADSTS700016`), when it names one. */
  readonly aadsts: string | undefined;
  constructor(init: Omit<GraphErrorInit, "call"> & { principal?: "app" | "user" }) {
    const aadsts = /AADSTS\d+/.exec(init.description)?.[0];
    const hint =
      init.principal === "user"
        ? `No access token for Microsoft Graph on tenant ${init.tenant}: the app needs consent there and the user a GDAP relationship granting ${anyOf(GRAPH_ROLES_NEEDED.read)} (reads) or ${anyOf(GRAPH_ROLES_NEEDED.write)} (licence changes).`
        : aadsts === NO_CONSENT_CODE
          ? `No access token for Microsoft Graph on tenant ${init.tenant}: the app was never consented there; ${consentFix(init.tenant)}.`
          : `No access token for Microsoft Graph on tenant ${init.tenant}.`;
    super({ ...init, call: "token request", hint }, GRAPH_ERROR_CODES.token, true);
    this.aadsts = aadsts;
  }
}

/** What a partner does for an app that is not consented (or not enough) in a customer tenant. */
export function consentFix(tenant: string): string {
  return `consent the app there through Partner Center (POST /customers/${tenant}/applicationconsents) with the Graph application permissions ${LEAST_APP_PERMISSIONS.join(", ")}`;
}

/** `assignLicense` answered 400 naming a SKU without an available licence. */
export class GraphLicenseQuotaError extends GraphCallError {
  constructor(init: GraphErrorInit) {
    super({ ...init, hint: "No free licence left for this SKU: buy or add seats first." }, GRAPH_ERROR_CODES.licenseQuota, true);
  }
}

/** A 2xx answer that does not fit its schema: pcplan decides nothing from it. */
export class GraphInvalidResponseError extends GraphCallError {
  readonly problems: readonly string[];
  constructor(init: Omit<GraphErrorInit, "description" | "status"> & { problems: string[] }) {
    super({ ...init, status: 200, description: init.problems.join("; ") }, GRAPH_ERROR_CODES.badResponse);
    this.problems = [...init.problems];
    this.message = redact(`Microsoft Graph answered ${init.call} for tenant ${init.tenant} with data pcplan cannot act on: ${init.problems.join("; ")}.`);
  }
}

/** Matches Graph's "does not have any available licenses" (user-assignlicense). */
const NO_LICENSES = /does not have any available licenses/i;

/** The typed error for a failed Graph answer (after our retries, where it was retryable). */
export function graphErrorFor(init: GraphErrorInit, work: GraphWork): GraphCallError {
  const { status } = init;
  if (status === 403) return new GraphAccessError(init, work);
  if (status === 404) return new GraphCallError(init, GRAPH_ERROR_CODES.notFound, true);
  if (status === 400 && NO_LICENSES.test(init.description)) return new GraphLicenseQuotaError(init);
  if (status === 429) return new GraphCallError({ ...init, hint: `Still throttled after ${init.attempts ?? 1} attempts.` }, GRAPH_ERROR_CODES.throttled);
  if (status !== undefined && status >= 500)
    return new GraphCallError({ ...init, hint: `Gave up after ${init.attempts ?? 1} attempts.` }, GRAPH_ERROR_CODES.service);
  if (status === undefined) return new GraphCallError(init, GRAPH_ERROR_CODES.network);
  return new GraphCallError(init, GRAPH_ERROR_CODES.http, status === 401 || (status >= 400 && status < 500));
}

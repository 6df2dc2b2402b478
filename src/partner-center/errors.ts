/**
 * Typed Partner Center errors. Every failed call becomes a `PartnerCenterError` (or a
 * subclass) carrying the HTTP status, Partner Center's own error `code` (as a string), its
 * description and the request/correlation ids a Microsoft support case asks for. Messages
 * never contain credentials: they are built from redacted parts only.
 */
import { PcplanError, type ErrorCode } from "../errors.js";
import { redact } from "./redact.js";

/** Stable machine codes (`PcplanError.code`). */
export const PC_ERROR_CODES = {
  http: "PC_HTTP_ERROR",
  authentication: "PC_AUTHENTICATION",
  permission: "PC_PERMISSION",
  businessRule: "PC_BUSINESS_RULE",
  notFound: "PC_NOT_FOUND",
  etagMismatch: "PC_ETAG_MISMATCH",
  licenseQuota: "PC_LICENSE_QUOTA",
  throttled: "PC_THROTTLED",
  service: "PC_SERVICE",
  network: "PC_NETWORK",
  badResponse: "PC_BAD_RESPONSE",
  credentials: "PC_CREDENTIALS",
} as const;

/** Partner Center error codes the client gives a type of their own. */
export const PC_CODE_ETAG_INVALID = "2055";
export const PC_CODE_LICENSE_QUOTA = "60012";

/**
 * `403` codes the error-codes page lists for business rules, not for a missing role: 2006
 * "Partner is not valid for offer", 2030 "Partner is not onboarded to sell in country",
 * 2085 "The offer is not eligible for purchase", 2091 "The offer is no longer available for
 * purchase", 13605 customer agreement not accepted, 20002 no commerce relationship, 800020
 * "The catalog item is not eligible for purchase". (2032 "Access denied" is the role one.)
 */
export const PC_BUSINESS_RULE_403_CODES: ReadonlySet<string> = new Set(["2006", "2030", "2085", "2091", "13605", "20002", "800020"]);

export interface PartnerCenterErrorInit {
  status?: number;
  pcCode?: string;
  description: string;
  requestId?: string;
  correlationId?: string;
  method: string;
  path: string;
  /** Extra sentence appended to the message (how to fix it). */
  hint?: string;
  attempts?: number;
  cause?: unknown;
}

export class PartnerCenterError extends PcplanError {
  readonly status: number | undefined;
  readonly pcCode: string | undefined;
  readonly description: string;
  readonly requestId: string | undefined;
  readonly correlationId: string | undefined;
  readonly method: string;
  readonly path: string;
  /** How many HTTP attempts were made before giving up. */
  readonly attempts: number;

  constructor(init: PartnerCenterErrorInit, code: ErrorCode = PC_ERROR_CODES.http, userError = false) {
    super(code, formatMessage(init), userError, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.pcCode = init.pcCode;
    this.description = redact(init.description);
    this.requestId = init.requestId;
    this.correlationId = init.correlationId;
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts ?? 1;
  }
}

/** `Partner Center <METHOD> <path> failed: <status> <pcCode>: <description> (request <id>, correlation <id>)` */
export function formatMessage(init: PartnerCenterErrorInit): string {
  const what = [init.status === undefined ? "network error" : String(init.status), init.pcCode].filter(Boolean).join(" ");
  const ids = `(request ${init.requestId ?? "-"}, correlation ${init.correlationId ?? "-"})`;
  const hint = init.hint ? ` ${init.hint}` : "";
  return redact(`Partner Center ${init.method} ${init.path} failed: ${what}: ${init.description} ${ids}.${hint}`);
}

export class AuthenticationError extends PartnerCenterError {
  constructor(init: PartnerCenterErrorInit) {
    super(
      {
        ...init,
        hint:
          "The access token is missing, expired or invalid. Supply one with PARTNER_CENTER_TOKEN, or app credentials " +
          "with AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (plus PARTNER_CENTER_REFRESH_TOKEN for " +
          "app+user calls: users, licenses, subscribed SKUs).",
      },
      PC_ERROR_CODES.authentication,
      true,
    );
  }
}

export class PermissionError extends PartnerCenterError {
  constructor(init: PartnerCenterErrorInit) {
    super(
      {
        ...init,
        hint:
          "The credential lacks a role for this call: purchases and subscription changes need the Sales agent or Admin " +
          "agent role; users and license reads need a GDAP role on the customer (Directory Readers, Global Reader, User " +
          "Administrator or License Administrator), license changes License Administrator, User Administrator or " +
          "Directory Writers (the Admin agent role where the customer still has DAP).",
      },
      PC_ERROR_CODES.permission,
      true,
    );
  }
}

/** A `403` that is a business rule (agreement not accepted, not valid for the offer…): no role fixes it. */
export class BusinessRuleError extends PartnerCenterError {
  constructor(init: PartnerCenterErrorInit) {
    super({ ...init, hint: "Partner Center refused this for a business reason, not for a missing role." }, PC_ERROR_CODES.businessRule, true);
  }
}

export class NotFoundError extends PartnerCenterError {
  constructor(init: PartnerCenterErrorInit) {
    super(init, PC_ERROR_CODES.notFound, true);
  }
}

export class EtagMismatchError extends PartnerCenterError {
  constructor(init: PartnerCenterErrorInit) {
    super({ ...init, hint: "The resource changed since it was read; read it again and retry (run `pcplan plan` again)." }, PC_ERROR_CODES.etagMismatch, true);
  }
}

export class LicenseQuotaError extends PartnerCenterError {
  constructor(init: PartnerCenterErrorInit) {
    super({ ...init, hint: "No free license left for this SKU: buy or add seats first." }, PC_ERROR_CODES.licenseQuota, true);
  }
}

export class ThrottledError extends PartnerCenterError {
  constructor(init: PartnerCenterErrorInit) {
    super({ ...init, hint: `Still throttled after ${init.attempts ?? 1} attempts; lower --max-rps or try again later.` }, PC_ERROR_CODES.throttled, false);
  }
}

export class ServiceError extends PartnerCenterError {
  constructor(init: PartnerCenterErrorInit) {
    super({ ...init, hint: `Gave up after ${init.attempts ?? 1} attempts.` }, PC_ERROR_CODES.service, false);
  }
}

export class NetworkError extends PartnerCenterError {
  constructor(init: PartnerCenterErrorInit) {
    super({ ...init, hint: `Gave up after ${init.attempts ?? 1} attempts.` }, PC_ERROR_CODES.network, false);
  }
}

/** The response was not what the protocol promises (not JSON, no `items`, a paging loop…). */
export class BadResponseError extends PartnerCenterError {
  constructor(init: PartnerCenterErrorInit) {
    super(init, PC_ERROR_CODES.badResponse, false);
  }
}

/** Parsed error body: both the usual `{code, description, data, source}` and the 429 `{statusCode, message}`. */
export interface ParsedErrorBody {
  pcCode?: string;
  description?: string;
  data?: unknown[];
  source?: string;
}

const MAX_DESCRIPTION = 500;

/**
 * Read an error body of either shape, PascalCase or camelCase. Only its known fields (code,
 * description or message) are kept, and the error redacts them (src/http/redact.ts); a body that
 * is not a JSON object is never shown (it could echo anything back, a credential included).
 */
export function parseErrorBody(text: string): ParsedErrorBody {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (!trimmed) return {};
  const unshown = { description: `an answer that is not a JSON error (${trimmed.length} characters, not shown)` };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return unshown;
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return unshown;
  const o = json as Record<string, unknown>;
  const pick = (...keys: string[]): unknown => {
    for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
    return undefined;
  };
  const code = pick("code", "Code", "errorCode", "ErrorCode");
  const description = pick("description", "Description", "message", "Message", "errorMessage");
  const data = pick("data", "Data");
  const source = pick("source", "Source");
  const out: ParsedErrorBody = {};
  if (typeof code === "string" || typeof code === "number") out.pcCode = String(code);
  if (typeof description === "string") out.description = clip(decodeEntities(description));
  if (Array.isArray(data)) out.data = data;
  if (typeof source === "string") out.source = source;
  return out;
}

function clip(s: string): string {
  return s.length > MAX_DESCRIPTION ? `${s.slice(0, MAX_DESCRIPTION)}…` : s;
}

/** The service HTML-encodes some descriptions (`We&#39;re sorry`). */
export function decodeEntities(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Map an HTTP failure (after retries, if it was retryable) to the right error type. */
export function errorForResponse(init: PartnerCenterErrorInit): PartnerCenterError {
  const { status, pcCode } = init;
  if (status === 401) return new AuthenticationError(init);
  if (status === 403) {
    return pcCode !== undefined && PC_BUSINESS_RULE_403_CODES.has(pcCode) ? new BusinessRuleError(init) : new PermissionError(init);
  }
  if (status === 412 || (status === 400 && pcCode === PC_CODE_ETAG_INVALID)) return new EtagMismatchError(init);
  if (pcCode === PC_CODE_LICENSE_QUOTA) return new LicenseQuotaError(init);
  if (status === 404) return new NotFoundError(init);
  if (status === 429) return new ThrottledError(init);
  if (status !== undefined && status >= 500) return new ServiceError(init);
  return new PartnerCenterError(init, PC_ERROR_CODES.http, false);
}

import { describe, expect, it } from "vitest";
import { PcplanError } from "../../src/errors.js";
import {
  AuthenticationError,
  BusinessRuleError,
  EtagMismatchError,
  LicenseQuotaError,
  NotFoundError,
  PartnerCenterError,
  PermissionError,
  ServiceError,
  parseErrorBody,
} from "../../src/partner-center/errors.js";
import { exampleText, sendJson, useFakeServer } from "../helpers/fake-server.js";
import { CUSTOMER, makeClient, rejectionOf } from "./setup.js";

const USER = "554526aa-cf5e-46fa-95df-98dbc55d8a1e";
const SKU = "f8a1db68-be16-40ed-86d5-cb42ce701560";

describe("typed errors", () => {
  const server = useFakeServer();

  it("401 → AuthenticationError saying how to supply a token", async () => {
    server.on("GET", "/v1/customers", (_req, res) => {
      res.writeHead(401, { "WWW-Authenticate": "OAuth realm=urn:cpsvc:cpid:x" });
      res.end();
    });
    const { client } = makeClient(server);
    const err = await rejectionOf(client.listCustomers());
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toBeInstanceOf(PcplanError);
    const e = err as AuthenticationError;
    expect(e.status).toBe(401);
    expect(e.userError).toBe(true);
    expect(e.code).toBe("PC_AUTHENTICATION");
    expect(e.message).toMatch(/missing, expired or invalid/);
    for (const v of ["PARTNER_CENTER_TOKEN", "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"]) {
      expect(e.message).toContain(v);
    }
    expect(server.requests).toHaveLength(1); // 4xx is never retried
  });

  it("403 → PermissionError with the service's description and the role hint", async () => {
    const description = "Access denied: the user requires the Admin agent role to perform this operation.";
    server.on("POST", `/v1/customers/${CUSTOMER}/users/${USER}/licenseupdates`, (_req, res) =>
      sendJson(res, 403, { code: 900201, description, data: [], source: "PartnerFD" }),
    );
    const { client } = makeClient(server);
    const err = await rejectionOf(client.updateUserLicenses(CUSTOMER, USER, { assign: [SKU], remove: [] }));
    expect(err).toBeInstanceOf(PermissionError);
    expect(err.message).toContain(description);
    expect(err.message).toContain("Sales agent or Admin agent");
    expect(err.message).toContain("license changes License Administrator, User Administrator or Directory Writers");
    expect((err as PermissionError).pcCode).toBe("900201");
  });

  it("a 403 that is a business rule (13605, 2006, 2030) → BusinessRuleError, never a role error", async () => {
    const cases: [number, string][] = [
      [
        13605,
        "Either a partner confirmation of the customer acceptance of the Microsoft Customer Agreement must be provided or the customer must accept the Microsoft Customer Agreement in the Microsoft Admin Center before you can complete this purchase",
      ],
      [2006, "Partner is not valid for offer"],
      [2030, "Partner is not onboarded to sell in country"],
      [2032, "Access denied"],
    ];
    for (const [code, description] of cases) {
      server.once("POST", `/v1/customers/${CUSTOMER}/orders`, (_req, res) => sendJson(res, 403, { code, description, data: [], source: "PartnerFD" }));
    }
    const { client } = makeClient(server);
    const order = () => client.createOrder(CUSTOMER, { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: "X", quantity: 1 }] });
    for (const [code, description] of cases) {
      const err = await rejectionOf(order());
      expect(err, String(code)).toBeInstanceOf(code === 2032 ? PermissionError : BusinessRuleError);
      expect(err.message).toContain(description);
      if (code !== 2032) {
        expect(err).not.toBeInstanceOf(PermissionError);
        expect(err.message).not.toContain("GDAP");
        expect((err as BusinessRuleError).code).toBe("PC_BUSINESS_RULE");
      }
    }
  });

  it("404 with a numeric code → NotFoundError, code normalised to a string, message in the documented format", async () => {
    server.on("GET", `/v1/customers/${CUSTOMER}`, (_req, res) => sendJson(res, 404, exampleText("12b-error-404-partner-not-found.response.json")));
    const { client } = makeClient(server);
    const err = await rejectionOf(client.getCustomer(CUSTOMER));
    expect(err).toBeInstanceOf(NotFoundError);
    const e = err as NotFoundError;
    expect(e.pcCode).toBe("3000");
    expect(e.method).toBe("GET");
    expect(e.path).toBe(`/v1/customers/${CUSTOMER}`);
    const sentRequestId = server.requests[0].headers["ms-requestid"];
    expect(e.requestId).toBe(sentRequestId);
    expect(e.correlationId).toBe(client.correlationId);
    expect(e.message).toBe(
      `Partner Center GET /v1/customers/${CUSTOMER} failed: 404 3000: Partner Organization with partner_id 9999999 could not be found ` +
        `(request ${String(sentRequestId)}, correlation ${client.correlationId}).`,
    );
  });

  it("400 with code 2055 and 412 → EtagMismatchError", async () => {
    const sub = {
      id: "A356AC8C-E310-44F4-BF85-C7F29044AF99",
      offerId: "x",
      quantity: 1,
      status: "active" as const,
      autoRenewEnabled: false,
      attributes: { etag: "stale", objectType: "Subscription" as const },
    };
    const path = `/v1/customers/${CUSTOMER}/subscriptions/${sub.id}`;
    server.once("PATCH", path, (_req, res) => sendJson(res, 400, { code: 2055, description: "Etag is no longer valid", data: [], source: "PartnerFD" }));
    server.once("PATCH", path, (_req, res) => sendJson(res, 412, { code: "412", description: "Precondition failed" }));
    const { client } = makeClient(server);
    const e1 = await rejectionOf(client.updateSubscription(CUSTOMER, sub));
    const e2 = await rejectionOf(client.updateSubscription(CUSTOMER, sub));
    expect(e1).toBeInstanceOf(EtagMismatchError);
    expect((e1 as EtagMismatchError).pcCode).toBe("2055");
    expect(e2).toBeInstanceOf(EtagMismatchError);
    expect(server.requests).toHaveLength(2);
  });

  it("code 60012 → LicenseQuotaError with the description's HTML entity decoded", async () => {
    server.on("POST", `/v1/customers/${CUSTOMER}/users/${USER}/licenseupdates`, (_req, res) =>
      sendJson(res, 400, exampleText("10b-licenseupdates-no-licenses.error-400.response.json")),
    );
    const { client } = makeClient(server);
    const err = await rejectionOf(client.updateUserLicenses(CUSTOMER, USER, { assign: [SKU], remove: [] }));
    expect(err).toBeInstanceOf(LicenseQuotaError);
    expect((err as LicenseQuotaError).description).toMatch(/^We're sorry, it looks like you've run out of licenses/);
    expect(err.message).toContain("400 60012");
    expect(server.requests).toHaveLength(1);
  });

  it("a non-JSON 5xx body becomes a ServiceError that does not show the body", async () => {
    server.on("GET", "/v1/customers", (_req, res) => {
      res.writeHead(502, { "Content-Type": "text/html" });
      res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
    });
    const { client } = makeClient(server, { maxRetries: 0 });
    const err = await rejectionOf(client.listCustomers());
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).description).toBe("an answer that is not a JSON error (50 characters, not shown)");
    expect(err.message).toContain("failed: 502");
    expect((err as ServiceError).userError).toBe(false);
  });

  it("other 4xx → a plain PartnerCenterError", async () => {
    server.on("GET", "/v1/customers", (_req, res) => sendJson(res, 409, { code: "1234", description: "Conflict" }));
    const { client } = makeClient(server);
    const err = await rejectionOf(client.listCustomers());
    expect(err.constructor).toBe(PartnerCenterError);
    expect(err.message).toContain("409 1234: Conflict");
  });
});

describe("parseErrorBody", () => {
  it("reads both shapes and PascalCase; non-JSON text is not shown", () => {
    // The throttling body has `statusCode` (the HTTP status), not a Partner Center code.
    expect(parseErrorBody(exampleText("12-throttling-429.response.json"))).toEqual({
      description: "Rate limit is exceeded. Try again in 57 seconds.",
    });
    expect(parseErrorBody(exampleText("12c-error-400-with-data.response.json"))).toMatchObject({
      pcCode: "2200",
      source: "PartnerFD",
      data: [expect.any(String)],
    });
    expect(parseErrorBody('{"Code": 2001, "Description": "Cannot change a suspended subscription"}')).toMatchObject({ pcCode: "2001" });
    // Text that is not a JSON error is never shown: it could echo anything back.
    expect(parseErrorBody("oops")).toEqual({ description: "an answer that is not a JSON error (4 characters, not shown)" });
    expect(parseErrorBody("")).toEqual({});
    expect(parseErrorBody(exampleText("12a-error-schema-template.error-codes-page.txt")).description).toBeTypeOf("string");
  });
});

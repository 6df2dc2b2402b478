/** The scope table (which budget a call draws from): Partner Center's rows on src/http/scopes.ts. */
import { describe, expect, it } from "vitest";
import { PARTNER_CENTER_TENANT_RULES, scopesFor, type ScopeRule } from "../../src/partner-center/rate-scopes.js";

const EP = "https://api.partnercenter.microsoft.com/v1";
const C = "6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a";
const keys = (path: string, rules: readonly ScopeRule[] = PARTNER_CENTER_TENANT_RULES, base = "/v1", tenant?: string) =>
  scopesFor(new URL(path, EP), base, rules, tenant).map((s) => s.key);

describe("scope table", () => {
  it("calls below /customers/{id}/ draw from the customer tenant's budget and the partner's; the others from the partner's only", () => {
    const host = "api.partnercenter.microsoft.com";
    for (const sub of ["subscriptions", "subscriptions/A356", "subscribedskus", "users?size=100", "users/u1/licenses", "users/u1/licenseupdates", "orders"]) {
      expect(keys(`/v1/customers/${C.toUpperCase()}/${sub}`)).toEqual([`${host} tenant ${C}`, host]);
    }
    for (const path of ["/v1/customers", "/v1/customers?size=100", `/v1/customers/${C}`, "/v1/offers?country=US", "/v1/offers/X"]) {
      expect(keys(path)).toEqual([host]);
    }
  });

  it("matches below the endpoint's base path (with or without /v1) and keys the host with its port", () => {
    expect(scopesFor(new URL(`http://127.0.0.1:8080/v1/customers/${C}/users`), "/v1", PARTNER_CENTER_TENANT_RULES).map((s) => s.key)).toEqual([
      `127.0.0.1:8080 tenant ${C}`,
      "127.0.0.1:8080",
    ]);
    expect(scopesFor(new URL(`http://h/customers/${C}/users`), "/", PARTNER_CENTER_TENANT_RULES).map((s) => s.kind)).toEqual(["tenant", "partner"]);
  });

  it("fits a second host whose tenant comes from the request, not the path (Microsoft Graph: per app per tenant)", () => {
    const graph: ScopeRule[] = [{ name: "Graph, per app per tenant", path: /^\/(?:users|subscribedSkus|\$batch)/, tenantFrom: "request" }];
    const scopes = scopesFor(new URL("https://graph.microsoft.com/v1.0/users?$top=999"), "/v1.0", graph, C.toUpperCase());
    expect(scopes.map((s) => s.key)).toEqual([`graph.microsoft.com tenant ${C}`, "graph.microsoft.com"]);
    // Its tenants share what is learned with each other, not with Partner Center's.
    expect(scopes[0]?.classKey).toBe("graph.microsoft.com tenant");
    expect(scopesFor(new URL(`${EP}/customers/${C}/users`), "/v1", PARTNER_CENTER_TENANT_RULES)[0]?.classKey).toBe("api.partnercenter.microsoft.com tenant");
  });
});

describe("scope table, edge cases", () => {
  const host = "api.partnercenter.microsoft.com";

  it("decodes a percent-encoded tenant, and keeps one it cannot decode as it is", () => {
    expect(keys(`/v1/customers/${C.replace("-", "%2D")}/users`)).toEqual([`${host} tenant ${C}`, host]);
    expect(keys("/v1/customers/%E0%A4%A/users")).toEqual([`${host} tenant %e0%a4%a`, host]);
  });

  it("keys hosts and tenants in lower case, each tenant class apart from the partner's", () => {
    expect(scopesFor(new URL(`https://API.PartnerCenter.Microsoft.com/v1/customers/${C.toUpperCase()}/users`), "/v1", PARTNER_CENTER_TENANT_RULES)).toEqual([
      { key: `${host} tenant ${C}`, kind: "tenant", host, tenant: C, classKey: `${host} tenant` },
      { key: host, kind: "partner", host, classKey: host },
    ]);
  });

  it("a base path with a trailing slash is the same base; a path outside the base is matched as it is", () => {
    expect(keys(`/v1/customers/${C}/users`, PARTNER_CENTER_TENANT_RULES, "/v1/")).toEqual([`${host} tenant ${C}`, host]);
    expect(keys(`/v1/customers/${C}/users`, PARTNER_CENTER_TENANT_RULES, "/V1")).toEqual([`${host} tenant ${C}`, host]);
    expect(keys(`/v2/customers/${C}/users`)).toEqual([host]);
    expect(keys(`/v1x/customers/${C}/users`, PARTNER_CENTER_TENANT_RULES, "/v1")).toEqual([host]);
  });

  it("a rule whose tenant comes from the request draws from the partner's budget alone when the request names none", () => {
    const graph: ScopeRule[] = [{ name: "Graph", path: /^\/users/, tenantFrom: "request" }];
    expect(keys("/v1/users", graph)).toEqual([host]);
    expect(keys("/v1/users", graph, "/v1", "T1")).toEqual([`${host} tenant t1`, host]);
  });

  it("the first rule that names a tenant wins", () => {
    const rules: ScopeRule[] = [
      { name: "no tenant here", path: /^\/customers()\//, tenantFrom: "path" },
      { name: "from the path", path: /^\/customers\/([^/]+)\//, tenantFrom: "path" },
      { name: "shadowed", path: /^\/customers\/[^/]+\/(users)/, tenantFrom: "path" },
    ];
    expect(keys(`/v1/customers/${C}/users`, rules)).toEqual([`${host} tenant ${C}`, host]);
  });
});

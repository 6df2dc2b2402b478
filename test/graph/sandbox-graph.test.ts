/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- JSON answers from the wire are checked by assertions, not types */
/**
 * The sandbox's Graph side over HTTPS on 127.0.0.1: token endpoint and OpenID configuration,
 * users queries, subscribed SKUs, assignLicense, $batch, per-tenant 429s, token checks, and one
 * world shared with the Partner Center side.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SANDBOX_APPS, SANDBOX_TOKENS, loadFixture, DEMO_FIXTURE_PATH, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { C, NOW, SKU, call, startDemo } from "../sandbox/helpers/sandbox.js";
import { PARTNER, graphCall, requestToken, sandboxFetch, tokenFor } from "./helpers/graph.js";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

const usersOf = (customerId: string) => sb.world().customers.find((c) => c.id === customerId)!.users;

describe("token endpoint and OpenID configuration", () => {
  it("issues a token per tenant for the fixture's app credentials, and refuses what Entra ID refuses", async () => {
    sb = await startDemo();
    const ok = await requestToken(sb, C.contoso);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: "Bearer", expires_in: expect.any(Number) });
    const claims = JSON.parse(Buffer.from(String(ok.body.access_token).split(".")[1], "base64url").toString("utf8"));
    expect(claims).toMatchObject({ aud: "https://graph.microsoft.com", tid: C.contoso, appid: SANDBOX_APPS.admin.clientId });

    const badSecret = await requestToken(sb, C.contoso, { ...SANDBOX_APPS.admin, clientSecret: "not-the-secret" });
    expect(badSecret.status).toBe(401);
    expect(badSecret.body).toMatchObject({ error: "invalid_client", error_codes: [7000215] });
    const unknownTenant = await requestToken(sb, "00000000-0000-4000-8000-000000000000");
    expect(unknownTenant.body.error_codes).toEqual([90002]);
    const wrongScope = await requestToken(sb, C.contoso, SANDBOX_APPS.admin, { scope: "https://management.azure.com/.default" });
    expect(wrongScope.body).toMatchObject({ error: "invalid_scope" });
    const refresh = await requestToken(sb, C.contoso, SANDBOX_APPS.admin, { grant_type: "refresh_token", refresh_token: SANDBOX_APPS.admin.refreshToken });
    expect(refresh.status).toBe(200);
    expect((await requestToken(sb, C.contoso, SANDBOX_APPS.admin, { grant_type: "refresh_token", refresh_token: "stolen-or-stale" })).body.error).toBe(
      "invalid_grant",
    );
  });

  it("refuses a tenant where the app was never consented (app-only AADSTS700016, app+user AADSTS65001) and serves the OpenID configuration per tenant", async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    fixture.credentials[0].withoutConsent = [C.fabrikam];
    sb = await startSandbox({ fixture, clock: NOW });
    const refused = await requestToken(sb, C.fabrikam);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: "unauthorized_client", error_codes: [700016] });
    expect(refused.body.error_description).toContain("has not been installed by the administrator of the tenant or consented to by any user in the tenant");
    const asUser = await requestToken(sb, C.fabrikam, SANDBOX_APPS.admin, { grant_type: "refresh_token", refresh_token: SANDBOX_APPS.admin.refreshToken });
    expect(asUser.body.error_codes).toEqual([65001]);
    expect((await requestToken(sb, C.contoso)).status).toBe(200);

    const res = await sandboxFetch(sb)(`${sb.graph.endpoint}/${C.contoso}/v2.0/.well-known/openid-configuration`);
    const config = (await res.json()) as Record<string, string>;
    expect(config.token_endpoint).toBe(`${sb.graph.endpoint}/${C.contoso}/oauth2/v2.0/token`);
    expect(config.issuer).toBe(`${sb.graph.endpoint}/${C.contoso}/v2.0`);
  });
});

describe("Graph calls", () => {
  it("checks the token: missing, tampered, for another audience or from another sandbox run is 401", async () => {
    sb = await startDemo();
    const token = await tokenFor(sb, C.contoso);
    expect((await graphCall(sb, token, "GET", "/subscribedSkus")).status).toBe(200);
    const none = await graphCall(sb, undefined, "GET", "/subscribedSkus");
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("InvalidAuthenticationToken");
    const [h, p, s] = token.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
    const otherTenant = Buffer.from(JSON.stringify({ ...claims, tid: C.fabrikam })).toString("base64url");
    expect((await graphCall(sb, `${h}.${otherTenant}.${s}`, "GET", "/subscribedSkus")).status).toBe(401);
    const other = await startDemo();
    try {
      const foreign = await tokenFor(other, C.contoso);
      expect((await graphCall(sb, foreign, "GET", "/subscribedSkus")).status).toBe(401);
    } finally {
      await other.close();
    }
    // The Partner Center token is not a Graph token.
    expect((await graphCall(sb, SANDBOX_TOKENS.admin, "GET", "/subscribedSkus")).status).toBe(401);
  });

  it("users: $select, $filter on assignedLicenses/any, $top with absolute nextLinks, $count only as an advanced query", async () => {
    sb = await startDemo();
    const token = await tokenFor(sb, C.contoso);
    const holders = usersOf(C.contoso).filter((u) => u.licenses.includes(SKU.MCOIMP));
    expect(holders.length).toBeGreaterThan(5);
    const filter = encodeURIComponent(`assignedLicenses/any(x:x/skuId eq ${SKU.MCOIMP})`);
    let next: string | undefined = `${sb.graph.endpoint}/v1.0/users?$select=id,userPrincipalName,assignedLicenses&$filter=${filter}&$top=5`;
    const seen: any[] = [];
    while (next) {
      const res = await sandboxFetch(sb)(next, { headers: { Authorization: `Bearer ${token}` } });
      const page = (await res.json()) as any;
      expect(res.status).toBe(200);
      expect(page.value.length).toBeLessThanOrEqual(5);
      for (const u of page.value) expect(Object.keys(u).sort()).toEqual(["assignedLicenses", "id", "userPrincipalName"]);
      seen.push(...page.value);
      next = page["@odata.nextLink"];
      if (next) expect(next.startsWith(`${sb.graph.endpoint}/v1.0/users?`)).toBe(true);
    }
    expect(seen.map((u) => u.id).sort()).toEqual(holders.map((u) => u.id).sort());

    const count = await graphCall(sb, token, "GET", `/users?$filter=${filter}&$count=true`);
    expect(count.status).toBe(400);
    expect(count.body.error.code).toBe("Request_UnsupportedQuery");
    const advanced = await graphCall(sb, token, "GET", `/users?$filter=${filter}&$count=true`, undefined, { ConsistencyLevel: "eventual" });
    expect(advanced.body["@odata.count"]).toBe(holders.length);
    expect((await graphCall(sb, token, "GET", "/users?$top=1000")).status).toBe(400);
    expect((await graphCall(sb, token, "GET", "/users?$select=passwordProfile")).status).toBe(400);
  });

  it("one world: a licence changed through Graph is seen by Partner Center, and the counts agree", async () => {
    sb = await startDemo();
    const token = await tokenFor(sb, C.adventure);
    const user = usersOf(C.adventure).find((u) => u.licenses.includes(SKU.MCOIMP))!;
    const before = (await graphCall(sb, token, "GET", "/subscribedSkus")).body.value.find((k: any) => k.skuId === SKU.DESKLESSPACK);
    const moved = await graphCall(sb, token, "POST", `/users/${user.id}/assignLicense`, {
      addLicenses: [{ skuId: SKU.DESKLESSPACK, disabledPlans: [] }],
      removeLicenses: [SKU.MCOIMP],
    });
    expect(moved.status).toBe(200);
    expect(moved.body.assignedLicenses.map((l: any) => l.skuId)).toContain(SKU.DESKLESSPACK);
    const pc = await call(sb, "GET", `/customers/${C.adventure}/users/${user.id}/licenses`, { token: SANDBOX_TOKENS.admin });
    expect(pc.body.items.map((l: any) => l.productSku.id)).toEqual(expect.arrayContaining([SKU.DESKLESSPACK]));
    expect(pc.body.items.map((l: any) => l.productSku.id)).not.toContain(SKU.MCOIMP);
    const after = (await graphCall(sb, token, "GET", "/subscribedSkus")).body.value.find((k: any) => k.skuId === SKU.DESKLESSPACK);
    expect(after.consumedUnits).toBe(before.consumedUnits + 1);
    const pcSkus = await call(sb, "GET", `/customers/${C.adventure}/subscribedskus`, { token: SANDBOX_TOKENS.admin });
    const pcTarget = pcSkus.body.items.find((k: any) => k.productSku.id === SKU.DESKLESSPACK);
    expect([pcTarget.consumedUnits, pcTarget.totalUnits]).toEqual([after.consumedUnits, after.prepaidUnits.enabled]);
    expect(sb.changes.at(-1)).toMatchObject({ kind: "licenses", customerId: C.adventure, userId: user.id, removed: [SKU.MCOIMP] });
  });

  it("assignLicense without a free unit is a 400 naming the SKU; without License Administrator a 403", async () => {
    sb = await startDemo();
    const token = await tokenFor(sb, C.contoso);
    const user = usersOf(C.contoso).find((u) => u.licenses.includes(SKU.MCOIMP))!;
    const noUnits = await graphCall(sb, token, "POST", `/users/${user.id}/assignLicense`, {
      addLicenses: [{ skuId: SKU.DESKLESSPACK, disabledPlans: [] }],
      removeLicenses: [SKU.MCOIMP],
    });
    expect(noUnits.status).toBe(400);
    expect(noUnits.body.error.message).toContain(SKU.DESKLESSPACK);
    const buyOnly = await tokenFor(sb, C.contoso, SANDBOX_APPS.buyOnly);
    expect((await graphCall(sb, buyOnly, "GET", "/subscribedSkus")).status).toBe(200);
    const denied = await graphCall(sb, buyOnly, "POST", `/users/${user.id}/assignLicense`, { addLicenses: [], removeLicenses: [SKU.MCOIMP] });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("Authorization_RequestDenied");
    expect(usersOf(C.contoso).find((u) => u.id === user.id)!.licenses).toContain(SKU.MCOIMP);
  });

  it("$batch: each member answered on its own, in another order, at most 20; per-tenant 429s with Retry-After for members and requests", async () => {
    sb = await startDemo({ graphRateLimitTenant: 3 });
    const token = await tokenFor(sb, C.adventure);
    const holders = usersOf(C.adventure)
      .filter((u) => u.licenses.includes(SKU.MCOIMP))
      .slice(0, 2);
    const requests = [
      ...holders.map((u, i) => ({
        id: `m${i}`,
        method: "POST",
        url: `/users/${u.id}/assignLicense`,
        headers: { "Content-Type": "application/json" },
        body: { addLicenses: [{ skuId: SKU.DESKLESSPACK, disabledPlans: [] }], removeLicenses: [SKU.MCOIMP] },
      })),
      {
        id: "bad",
        method: "POST",
        url: `/users/${holders[0].id}/assignLicense`,
        headers: { "Content-Type": "application/json" },
        body: { addLicenses: [], removeLicenses: [SKU.POWER_BI_PRO] },
      },
      { id: "over", method: "GET", url: "/subscribedSkus" },
    ];
    const res = await graphCall(sb, token, "POST", "/$batch", { requests });
    expect(res.status).toBe(200);
    const byId = new Map<string, any>(res.body.responses.map((r: any) => [r.id, r]));
    expect(res.body.responses.map((r: any) => r.id)).not.toEqual(requests.map((r) => r.id));
    expect([byId.get("m0").status, byId.get("m1").status, byId.get("bad").status, byId.get("over").status]).toEqual([200, 200, 400, 429]);
    expect(Number(byId.get("over").headers["Retry-After"])).toBeGreaterThanOrEqual(1);
    expect(byId.get("over").body.error.code).toBe("TooManyRequests");
    // The tenant's budget is spent; another tenant's is not.
    expect((await graphCall(sb, token, "GET", "/subscribedSkus")).status).toBe(429);
    expect((await graphCall(sb, await tokenFor(sb, C.contoso), "GET", "/subscribedSkus")).status).toBe(200);

    const tooMany = await graphCall(sb, token, "POST", "/$batch", {
      requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/subscribedSkus" })),
    });
    expect(tooMany.status).toBe(400);
  });

  it("the per-app limit counts every tenant's requests together", async () => {
    sb = await startDemo({ graphRateLimit: 2 });
    const contoso = await tokenFor(sb, C.contoso);
    const fabrikam = await tokenFor(sb, C.fabrikam);
    expect((await graphCall(sb, contoso, "GET", "/subscribedSkus")).status).toBe(200);
    expect((await graphCall(sb, contoso, "GET", "/subscribedSkus")).status).toBe(200);
    const third = await graphCall(sb, fabrikam, "GET", "/subscribedSkus");
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("a $batch is not one request to the per-app limit: each member is counted, across tenants (learn.microsoft.com/graph/throttling, Throttling and batching)", async () => {
    sb = await startDemo({ graphRateLimit: 3 });
    const contoso = await tokenFor(sb, C.contoso);
    const fabrikam = await tokenFor(sb, C.fabrikam);
    const res = await graphCall(sb, contoso, "POST", "/$batch", {
      requests: Array.from({ length: 5 }, (_, i) => ({ id: String(i), method: "GET", url: "/subscribedSkus" })),
    });
    // The batch itself succeeds; three members pass and the two over the limit are each a 429 of their own.
    expect(res.status).toBe(200);
    const statuses = (res.body.responses as { status: number; headers: Record<string, string> }[]).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = (res.body.responses as { status: number; headers: Record<string, string> }[]).find((r) => r.status === 429);
    expect(Number(refused?.headers["Retry-After"])).toBeGreaterThanOrEqual(1);
    // The members took the app's three: another tenant's plain request is refused too.
    expect((await graphCall(sb, fabrikam, "GET", "/subscribedSkus")).status).toBe(429);
  });

  it("GDAP relationships on the partner tenant follow the fixture's per-credential roles", async () => {
    sb = await startDemo();
    const partner = await tokenFor(sb, PARTNER);
    const rel = await graphCall(
      sb,
      partner,
      "GET",
      `/tenantRelationships/delegatedAdminRelationships?$filter=${encodeURIComponent(`customer/tenantId eq '${C.contoso}'`)}`,
    );
    expect(rel.status).toBe(200);
    expect(rel.body.value).toHaveLength(1);
    expect(rel.body.value[0]).toMatchObject({ status: "active", customer: { tenantId: C.contoso } });
    const assignments = await graphCall(sb, partner, "GET", `/tenantRelationships/delegatedAdminRelationships/${rel.body.value[0].id}/accessAssignments`);
    const groups = await graphCall(sb, partner, "GET", `/servicePrincipals(appId='${SANDBOX_APPS.buyOnly.clientId}')/transitiveMemberOf`);
    const mine = assignments.body.value.filter((a: any) => a.accessContainer.accessContainerId === groups.body.value[0].id);
    expect(mine).toHaveLength(1);
    expect(mine[0].accessDetails.unifiedRoles).toEqual([{ roleDefinitionId: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b" }]);
    // Customer tenants do not answer partner questions.
    expect((await graphCall(sb, await tokenFor(sb, C.contoso), "GET", "/tenantRelationships/delegatedAdminRelationships")).status).toBe(403);
  });
});

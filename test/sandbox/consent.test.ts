/* eslint-disable @typescript-eslint/no-unsafe-return -- JSON answers from the wire are checked by assertions, not types */
/**
 * App-only Graph access is the app's consent in each customer tenant, not GDAP (issue 21, §1): an
 * app-only token carries the application permissions consented there in its `roles` claim and is
 * authorised by them; a tenant without consent issues no token (AADSTS700016); GDAP roles apply
 * to app+user tokens only.
 */
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, SANDBOX_APPS, loadFixture, startSandbox, type SandboxFixture, type SandboxHandle } from "../../src/sandbox/index.js";
import { graphCall, requestToken, tokenFor } from "../graph/helpers/graph.js";
import { C, NOW, SKU } from "./helpers/sandbox.js";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
const adminApp = (f: SandboxFixture) => f.credentials.find((c) => c.clientId === SANDBOX_APPS.admin.clientId)!;
const userAt = (customerId: string, skuId: string) =>
  sb
    .world()
    .customers.find((c) => c.id === customerId)!
    .users.find((u) => u.licenses.includes(skuId))!;
const removal = (skuId: string) => ({ addLicenses: [], removeLicenses: [skuId] });

async function worldWith(consents: NonNullable<SandboxFixture["credentials"][number]["consents"]>): Promise<SandboxHandle> {
  const fixture = await loadFixture(DEMO_FIXTURE_PATH);
  adminApp(fixture).consents = consents;
  return startSandbox({ fixture, clock: NOW });
}

describe("app consent per customer tenant", () => {
  it("an app-only token carries the permissions consented in its tenant as roles, and an app+user token none", async () => {
    sb = await worldWith({ "*": ["User.Read.All", "LicenseAssignment.ReadWrite.All"], [C.fabrikam]: ["User.Read.All"] });
    expect(claimsOf(await tokenFor(sb, C.contoso))).toMatchObject({ idtyp: "app", roles: ["User.Read.All", "LicenseAssignment.ReadWrite.All"] });
    expect(claimsOf(await tokenFor(sb, C.fabrikam))).toMatchObject({ idtyp: "app", roles: ["User.Read.All"] });
    const asUser = await requestToken(sb, C.contoso, SANDBOX_APPS.admin, { grant_type: "refresh_token", refresh_token: SANDBOX_APPS.admin.refreshToken });
    const userClaims = claimsOf(asUser.body.access_token);
    expect(userClaims.idtyp).toBe("user");
    expect(userClaims.roles).toBeUndefined();
  });

  it("a tenant without consent issues no app-only token: AADSTS700016, as Entra ID words it", async () => {
    sb = await worldWith({ [C.contoso]: ["User.Read.All"] });
    const refused = await requestToken(sb, C.fabrikam);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: "unauthorized_client", error_codes: [700016] });
    expect(refused.body.error_description).toMatch(
      /^AADSTS700016: Application with identifier '5d2c6f0a-1b7e-4c55-9a1e-0a7c3e9b2d01' was not found in the directory '367930e6-12d8-4ecc-a320-aabd3f9ebaa0'\. This can happen if the application has not been installed/,
    );
    expect((await requestToken(sb, C.contoso)).status).toBe(200);
  });

  it("read-only consent reads users and subscribed SKUs but may not assign, though the app's GDAP roles there include License Administrator", async () => {
    sb = await worldWith({ "*": ["User.Read.All", "LicenseAssignment.Read.All"] });
    const token = await tokenFor(sb, C.adventure);
    expect((await graphCall(sb, token, "GET", "/users")).status).toBe(200);
    expect((await graphCall(sb, token, "GET", "/subscribedSkus")).status).toBe(200);
    const denied = await graphCall(sb, token, "POST", `/users/${userAt(C.adventure, SKU.MCOIMP).id}/assignLicense`, removal(SKU.MCOIMP));
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." });
    expect(sb.changes).toEqual([]);
  });

  it("each call needs one of its own permissions: users User.Read.All, subscribed SKUs LicenseAssignment.Read.All, assignLicense a write permission", async () => {
    sb = await worldWith({ [C.adventure]: ["LicenseAssignment.ReadWrite.All"], [C.litware]: ["Organization.Read.All"], [C.fabrikam]: [] });
    const writer = await tokenFor(sb, C.adventure);
    expect((await graphCall(sb, writer, "GET", "/users")).status).toBe(403);
    expect((await graphCall(sb, writer, "POST", `/users/${userAt(C.adventure, SKU.MCOIMP).id}/assignLicense`, removal(SKU.MCOIMP))).status).toBe(200);
    const organization = await tokenFor(sb, C.litware);
    expect((await graphCall(sb, organization, "GET", "/subscribedSkus")).status).toBe(200);
    expect((await graphCall(sb, organization, "GET", "/users")).status).toBe(403);
    // Consented with nothing: a token without roles, and every call refused.
    const nothing = await tokenFor(sb, C.fabrikam);
    expect(claimsOf(nothing).roles).toBeUndefined();
    expect((await graphCall(sb, nothing, "GET", "/subscribedSkus")).status).toBe(403);
  });

  it("an app+user token is authorised by the user's GDAP roles, not by the app's consent", async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    const admin = adminApp(fixture);
    admin.consents = { "*": ["User.Read.All"] };
    admin.gdap = { "*": ["License Administrator"], [C.fabrikam]: ["Directory Readers"] };
    sb = await startSandbox({ fixture, clock: NOW });
    const userToken = async (tenant: string) =>
      (await requestToken(sb, tenant, SANDBOX_APPS.admin, { grant_type: "refresh_token", refresh_token: SANDBOX_APPS.admin.refreshToken })).body
        .access_token as string;
    const adventure = await userToken(C.adventure);
    expect((await graphCall(sb, adventure, "POST", `/users/${userAt(C.adventure, SKU.MCOIMP).id}/assignLicense`, removal(SKU.MCOIMP))).status).toBe(200);
    const fabrikam = await userToken(C.fabrikam);
    expect((await graphCall(sb, fabrikam, "POST", `/users/${userAt(C.fabrikam, SKU.MCOIMP).id}/assignLicense`, removal(SKU.MCOIMP))).status).toBe(403);
  });
});

describe("the consent example (fixtures/consent-world.json, docs/sandbox.md)", () => {
  const CONSENT_WORLD = fileURLToPath(new URL("../../fixtures/consent-world.json", import.meta.url));
  const ADATUM = "21aaf6c0-c044-56bf-8d04-07ff9cd27292";
  const BELLOWS = "5e0e5de9-0f84-593f-964b-3216b3ad0ff8";
  const BAKERY = "e8836c13-bb83-5db3-9b3b-5b5bc896db3c";

  it("every GDAP role everywhere, but the app may write at Adatum, only read at Bellows College, and gets no token at Fourth Street Bakery", async () => {
    sb = await startSandbox({ fixture: await loadFixture(CONSENT_WORLD), clock: NOW });
    const holder = (customerId: string) => sb.world().customers.find((c) => c.id === customerId)!.users[0].id;
    const partnerToken = await tokenFor(sb, sb.world().partner.id);
    const relationships = (await graphCall(sb, partnerToken, "GET", "/tenantRelationships/delegatedAdminRelationships")).body.value;
    expect(relationships.map((r: { customer: { tenantId: string } }) => r.customer.tenantId).sort()).toEqual([ADATUM, BAKERY, BELLOWS].sort());

    const adatum = await tokenFor(sb, ADATUM);
    expect((await graphCall(sb, adatum, "POST", `/users/${holder(ADATUM)}/assignLicense`, removal(SKU.MCOIMP))).status).toBe(200);
    const bellows = await tokenFor(sb, BELLOWS);
    expect(claimsOf(bellows).roles).toEqual(["User.Read.All", "LicenseAssignment.Read.All"]);
    expect((await graphCall(sb, bellows, "GET", "/users")).status).toBe(200);
    expect((await graphCall(sb, bellows, "POST", `/users/${holder(BELLOWS)}/assignLicense`, removal(SKU.MCOIMP))).status).toBe(403);
    expect((await requestToken(sb, BAKERY)).body.error_codes).toEqual([700016]);
  });
});

/**
 * Tokens per customer tenant through the real MSAL path against the sandbox's HTTPS token
 * endpoint; what the credential may do per customer: an app's consent (its token's roles claim),
 * a partner user's GDAP roles (read from the partner tenant's relationships).
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { appConsentCheck } from "../../src/access/app-consent.js";
import { graphAccessCheck } from "../../src/access/graph-access-check.js";
import { graphTokenProvider, msalHttpsNetwork, type GraphTokenOptions } from "../../src/graph/auth.js";
import { GraphTokenError } from "../../src/graph/errors.js";
import { DEMO_FIXTURE_PATH, SANDBOX_APPS, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { C, NOW, startDemo } from "../sandbox/helpers/sandbox.js";
import { GRAPH_SCOPE, PARTNER, graphClientFor, sandboxFetch } from "./helpers/graph.js";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

/** The sandbox's admin app's token provider over the sandbox's HTTPS (the in-process trusting fetch unless told otherwise). */
const appTokens = (opts: GraphTokenOptions = { fetch: sandboxFetch(sb) }) =>
  graphTokenProvider(
    {
      kind: "client-credentials",
      tenantId: PARTNER,
      clientId: SANDBOX_APPS.admin.clientId,
      clientSecret: SANDBOX_APPS.admin.clientSecret,
      authorityHost: sb.graph.endpoint,
      scope: GRAPH_SCOPE,
    },
    opts,
  );

const tokenRequests = (tenant?: string) =>
  sb.requestLog.filter((e) => e.api === "identity" && e.method === "POST" && (tenant === undefined || e.customerId === tenant));

describe("Graph tokens per tenant", () => {
  it("one token request per tenant: cached, and concurrent callers share one flight", async () => {
    sb = await startDemo();
    const tokens = appTokens();
    const [a, b, c] = await Promise.all([tokens(C.contoso), tokens(C.contoso), tokens(C.contoso.toUpperCase())]);
    expect(new Set([a, b, c]).size).toBe(1);
    const other = await tokens(C.fabrikam);
    expect(other).not.toBe(a);
    await tokens(C.contoso);
    expect(tokenRequests(C.contoso)).toHaveLength(1);
    expect(tokenRequests(C.fabrikam)).toHaveLength(1);
  });

  it("over node:https trusting the sandbox's certificate only (msalHttpsNetwork, as `--sandbox` asks): one request per tenant, the same tokens", async () => {
    sb = await startDemo();
    const tokens = appTokens({ network: msalHttpsNetwork(readFileSync(sb.graph.caPath, "utf8")) });
    const [a, b] = await Promise.all([tokens(C.contoso), tokens(C.fabrikam)]);
    expect(JSON.parse(Buffer.from(a.split(".")[1], "base64url").toString("utf8"))).toMatchObject({ tid: C.contoso });
    expect(JSON.parse(Buffer.from(b.split(".")[1], "base64url").toString("utf8"))).toMatchObject({ tid: C.fabrikam });
    expect(tokenRequests(C.contoso)).toHaveLength(1);
    expect(tokenRequests(C.fabrikam)).toHaveLength(1);
  });

  it("the partner's refresh token is exchanged per customer tenant", async () => {
    sb = await startDemo();
    const tokens = graphTokenProvider(
      {
        kind: "refresh-token",
        tenantId: PARTNER,
        clientId: SANDBOX_APPS.admin.clientId,
        clientSecret: SANDBOX_APPS.admin.clientSecret,
        refreshToken: SANDBOX_APPS.admin.refreshToken,
        authorityHost: sb.graph.endpoint,
        scope: GRAPH_SCOPE,
      },
      { fetch: sandboxFetch(sb) },
    );
    const token = await tokens(C.contoso);
    expect(JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"))).toMatchObject({ tid: C.contoso });
  });

  it("a refused token fails that tenant only, naming it and the reason, without the secret; the next tenant still gets one", async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    fixture.credentials[0].withoutConsent = [C.fabrikam];
    sb = await startSandbox({ fixture, clock: NOW });
    const tokens = appTokens();
    const err = await tokens(C.fabrikam).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphTokenError);
    const message = (err as Error).message;
    expect(message).toContain(C.fabrikam);
    // An app-only request where the app was never consented: Entra ID's AADSTS700016, and the fix.
    expect(message).toContain("AADSTS700016");
    expect(message).toContain(`POST /customers/${C.fabrikam}/applicationconsents`);
    expect(message).not.toContain("GDAP");
    expect(message).not.toContain(SANDBOX_APPS.admin.clientSecret);
    expect(await tokens(C.contoso)).toMatch(/^eyJ/);
  });
});

describe("Graph tokens asked for ahead (prefetch: a run names its tenants before it reads)", () => {
  it("each tenant's first call takes the token asked ahead, a refusal included, without asking again; a later call after a refusal asks anew", async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    fixture.credentials[0].withoutConsent = [C.fabrikam];
    sb = await startSandbox({ fixture, clock: NOW });
    const tokens = appTokens();
    tokens.prefetch?.([C.contoso, C.fabrikam.toUpperCase(), C.contoso]);
    // Asked before any call needs them: both tenants' requests reach the token endpoint on their own.
    await vi.waitFor(() => expect(tokenRequests()).toHaveLength(2), { timeout: 10_000 });
    expect(await tokens(C.contoso)).toMatch(/^eyJ/);
    const err = await tokens(C.fabrikam).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphTokenError);
    expect((err as Error).message).toContain("AADSTS700016");
    expect(tokenRequests(C.contoso)).toHaveLength(1);
    expect(tokenRequests(C.fabrikam)).toHaveLength(1);
    await tokens(C.fabrikam).catch(() => undefined);
    expect(tokenRequests(C.fabrikam)).toHaveLength(2);
  });
});

describe("what the credential may do with a customer's licences (AccessCheck)", () => {
  it("app-only: the app's consent in each tenant, read from its token's roles claim, whatever GDAP grants", async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    fixture.credentials.find((c) => c.clientId === SANDBOX_APPS.buyOnly.clientId)!.withoutConsent = [C.fabrikam];
    sb = await startSandbox({ fixture, clock: NOW });
    const admin = appConsentCheck(graphClientFor(sb).tokens);
    expect(await admin.licenceAccess(C.contoso)).toEqual({
      state: "verified",
      how: "app-only credential: the app's consent in this tenant (application permissions: LicenseAssignment.Read.All, LicenseAssignment.ReadWrite.All, User.Read.All)",
    });
    const buyOnly = appConsentCheck(graphClientFor(sb, SANDBOX_APPS.buyOnly).tokens);
    // Consented to read only at Contoso (its GDAP relationship there is beside the point for an app).
    const readOnly = await buyOnly.licenceAccess(C.contoso);
    expect(readOnly).toMatchObject({ state: "refused", readable: true });
    expect(readOnly.state === "refused" && readOnly.missing).toMatch(
      /assigning licences needs LicenseAssignment\.ReadWrite\.All, User\.ReadWrite\.All or Directory\.ReadWrite\.All/,
    );
    expect(readOnly.state === "refused" && readOnly.missing).toContain(`POST /customers/${C.contoso}/applicationconsents`);
    // Never consented at Fabrikam: no token there (AADSTS700016), and nothing can be read.
    const none = await buyOnly.licenceAccess(C.fabrikam);
    expect(none).toMatchObject({ state: "refused", readable: false });
    expect(none.state === "refused" && none.missing).toMatch(/no consent in this customer's tenant \(AADSTS700016/);
    expect((await buyOnly.licenceAccess(C.adventure)).state).toBe("verified");
  });

  it("app+user: the partner user's GDAP roles per customer; no relationship is no roles", async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    const admin = fixture.credentials.find((c) => c.clientId === SANDBOX_APPS.admin.clientId)!;
    admin.gdap = { ...admin.gdap, [C.contoso]: ["Directory Readers"] };
    sb = await startSandbox({ fixture, clock: NOW });
    const user = graphAccessCheck(graphClientFor(sb, SANDBOX_APPS.admin, true).client);
    expect(await user.licenceAccess(C.fabrikam)).toMatchObject({ state: "verified", how: expect.stringContaining("License Administrator") });
    expect(await user.licenceAccess(C.contoso)).toMatchObject({ state: "refused", readable: true, how: expect.stringContaining("(Directory Readers)") });
  });

  it("a credential that cannot read relationships cannot tell", async () => {
    sb = await startDemo();
    const stranger = graphAccessCheck(graphClientFor(sb, { clientId: "00000000-1111-4222-8333-444444444444", clientSecret: "nobody-knows-it" }).client);
    expect((await stranger.licenceAccess(C.contoso)).state).toBe("unverified");
  });
});

describe("Graph token lifetime", () => {
  it("a tenant's token is reused until five minutes before it expires, then fetched again (MSAL stand-in: no token service can run on a chosen clock)", async () => {
    sb = await startDemo();
    let now = 1_000_000;
    const issued: string[] = [];
    const tokens = appTokens({
      now: () => now,
      createApp: () =>
        Promise.resolve({
          acquireTokenByClientCredential: ({ authority }) => {
            issued.push(authority);
            return Promise.resolve({ accessToken: `token-${issued.length}-for-${authority}`, expiresOn: new Date(now + 3_600_000) });
          },
          acquireTokenByRefreshToken: () => Promise.reject(new Error("not used")),
        }),
    });
    const first = await tokens(C.contoso);
    now += 3_600_000 - 5 * 60_000 - 1;
    expect(await tokens(C.contoso)).toBe(first);
    now += 2;
    expect(await tokens(C.contoso)).not.toBe(first);
    expect(issued).toEqual([`${sb.graph.endpoint}/${C.contoso}`, `${sb.graph.endpoint}/${C.contoso}`]);
  });
});

describe("MSAL applications taking over every 100 tenants", () => {
  it("while a fresh one reads its OpenID configuration (its first request, alone), the one before it serves on (MSAL stand-in: the wait is held by the test)", async () => {
    sb = await startDemo();
    let created = 0;
    let releaseFirst: (() => void) | undefined;
    const served: string[] = [];
    const tokens = graphTokenProvider(
      {
        kind: "client-credentials",
        tenantId: PARTNER,
        clientId: "app",
        clientSecret: "secret-xxxxxxxx",
        authorityHost: sb.graph.endpoint,
        scope: GRAPH_SCOPE,
      },
      {
        createApp: () => {
          const n = ++created;
          let first = true;
          return Promise.resolve({
            acquireTokenByClientCredential: async ({ authority }) => {
              // The second application's first request is held: it stands for its OpenID configuration read.
              if (n === 2 && first) await new Promise<void>((r) => (releaseFirst = r));
              first = false;
              served.push(`${n} ${authority.split("/").pop() ?? ""}`);
              return { accessToken: `token-${n}-${served.length}`, expiresOn: new Date(Date.now() + 3_600_000) };
            },
            acquireTokenByRefreshToken: () => Promise.reject(new Error("not used")),
          });
        },
      },
    );
    for (let i = 0; i < 100; i++) await tokens(`t${i}`);
    const fresh = tokens("t100");
    await new Promise((r) => setImmediate(r));
    expect(created).toBe(2);
    // The 102nd tenant's token comes from the first application while the second one is still warming up.
    const waited = new Promise<string>((r) => setTimeout(() => r("still waiting after 2 s"), 2_000));
    expect(await Promise.race([tokens("t101"), waited])).toMatch(/^token-1-/);
    releaseFirst?.();
    await expect(fresh).resolves.toMatch(/^token-2-/);
    expect(served.slice(-2)).toEqual(["1 t101", "2 t100"]);
  });
});

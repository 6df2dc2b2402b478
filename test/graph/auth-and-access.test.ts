/**
 * Tokens per customer tenant through the real MSAL path against the sandbox's HTTPS token
 * endpoint, and the GDAP role check read from the partner tenant's relationships.
 */
import { afterEach, describe, expect, it } from "vitest";
import { graphAccessCheck } from "../../src/access/graph-access-check.js";
import { graphTokenProvider } from "../../src/graph/auth.js";
import { GraphTokenError } from "../../src/graph/errors.js";
import { DEMO_FIXTURE_PATH, SANDBOX_APPS, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { C, NOW, startDemo } from "../sandbox/helpers/sandbox.js";
import { GRAPH_SCOPE, PARTNER, graphClientFor, sandboxFetch } from "./helpers/graph.js";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

const tokenRequests = (tenant?: string) =>
  sb.requestLog.filter((e) => e.api === "identity" && e.method === "POST" && (tenant === undefined || e.customerId === tenant));

describe("Graph tokens per tenant", () => {
  it("one token request per tenant: cached, and concurrent callers share one flight", async () => {
    sb = await startDemo();
    const tokens = graphTokenProvider(
      {
        kind: "client-credentials",
        tenantId: PARTNER,
        clientId: SANDBOX_APPS.admin.clientId,
        clientSecret: SANDBOX_APPS.admin.clientSecret,
        authorityHost: sb.graph.endpoint,
        scope: GRAPH_SCOPE,
      },
      { fetch: sandboxFetch(sb) },
    );
    const [a, b, c] = await Promise.all([tokens(C.contoso), tokens(C.contoso), tokens(C.contoso.toUpperCase())]);
    expect(new Set([a, b, c]).size).toBe(1);
    const other = await tokens(C.fabrikam);
    expect(other).not.toBe(a);
    await tokens(C.contoso);
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
    const tokens = graphTokenProvider(
      {
        kind: "client-credentials",
        tenantId: PARTNER,
        clientId: SANDBOX_APPS.admin.clientId,
        clientSecret: SANDBOX_APPS.admin.clientSecret,
        authorityHost: sb.graph.endpoint,
        scope: GRAPH_SCOPE,
      },
      { fetch: sandboxFetch(sb) },
    );
    const err = await tokens(C.fabrikam).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphTokenError);
    const message = (err as Error).message;
    expect(message).toContain(C.fabrikam);
    expect(message).toContain("AADSTS65001");
    expect(message).not.toContain(SANDBOX_APPS.admin.clientSecret);
    expect(await tokens(C.contoso)).toMatch(/^eyJ/);
  });
});

describe("GDAP roles through Graph (AccessCheck)", () => {
  it("reads the credential's roles per customer: all five for the admin app, Directory Readers for the buy-only app at Contoso", async () => {
    sb = await startDemo();
    const admin = graphAccessCheck(graphClientFor(sb).client);
    expect(await admin.rolesFor(C.contoso)).toEqual(
      new Set(["Directory Readers", "Global Reader", "Directory Writers", "User Administrator", "License Administrator"]),
    );
    const buyOnly = graphAccessCheck(graphClientFor(sb, SANDBOX_APPS.buyOnly).client);
    expect(await buyOnly.rolesFor(C.contoso)).toEqual(new Set(["Directory Readers"]));
    expect((await buyOnly.rolesFor(C.adventure))?.has("License Administrator")).toBe(true);
  });

  it("no relationship is no roles; a credential that cannot read relationships cannot tell", async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    for (const cred of fixture.credentials) cred.gdap = { ...cred.gdap, [C.fabrikam]: [] };
    sb = await startSandbox({ fixture, clock: NOW });
    expect(await graphAccessCheck(graphClientFor(sb).client).rolesFor(C.fabrikam)).toEqual(new Set());
    const stranger = graphAccessCheck(graphClientFor(sb, { clientId: "00000000-1111-4222-8333-444444444444", clientSecret: "nobody-knows-it" }).client);
    expect(await stranger.rolesFor(C.contoso)).toBeUndefined();
  });
});

describe("Graph token lifetime", () => {
  it("a tenant's token is reused until five minutes before it expires, then fetched again (MSAL stand-in: no token service can run on a chosen clock)", async () => {
    sb = await startDemo();
    let now = 1_000_000;
    const issued: string[] = [];
    const tokens = graphTokenProvider(
      {
        kind: "client-credentials",
        tenantId: PARTNER,
        clientId: SANDBOX_APPS.admin.clientId,
        clientSecret: SANDBOX_APPS.admin.clientSecret,
        authorityHost: sb.graph.endpoint,
        scope: GRAPH_SCOPE,
      },
      {
        now: () => now,
        createApp: () =>
          Promise.resolve({
            acquireTokenByClientCredential: ({ authority }) => {
              issued.push(authority);
              return Promise.resolve({ accessToken: `token-${issued.length}-for-${authority}`, expiresOn: new Date(now + 3_600_000) });
            },
            acquireTokenByRefreshToken: () => Promise.reject(new Error("not used")),
          }),
      },
    );
    const first = await tokens(C.contoso);
    now += 3_600_000 - 5 * 60_000 - 1;
    expect(await tokens(C.contoso)).toBe(first);
    now += 2;
    expect(await tokens(C.contoso)).not.toBe(first);
    expect(issued).toEqual([`${sb.graph.endpoint}/${C.contoso}`, `${sb.graph.endpoint}/${C.contoso}`]);
  });
});

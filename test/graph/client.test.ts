/**
 * The Graph client against the sandbox over HTTPS (and, for answers the sandbox never gives, a
 * wire-level fake on 127.0.0.1 with the same certificate): paging past 999, `$batch` members
 * failing and throttled on their own, answers that fail their schema, and a nextLink elsewhere.
 */
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createGraphClient } from "../../src/graph/client.js";
import { GraphAccessError, GraphCallError, GraphInvalidResponseError, GraphLicenseQuotaError } from "../../src/graph/errors.js";
import { sandboxTls } from "../../src/sandbox/graph/tls.js";
import { DEMO_FIXTURE_PATH, SANDBOX_APPS, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { C, NOW, SKU, startDemo } from "../sandbox/helpers/sandbox.js";
import { createGraphHttp } from "../../src/graph/transport-http.js";
import { createRequestBudget } from "../../src/partner-center/client.js";
import { PARTNER, graphClientFor, sandboxFetch } from "./helpers/graph.js";

let sb: SandboxHandle | undefined;
let fake: { close(): Promise<void> } | undefined;
afterEach(async () => {
  await sb?.close();
  await fake?.close();
  sb = fake = undefined;
});

const holdersIn = (s: SandboxHandle, customerId: string, skuId: string) =>
  s
    .world()
    .customers.find((c) => c.id === customerId)!
    .users.filter((u) => u.licenses.includes(skuId));

describe("reads", () => {
  it("follows @odata.nextLink past 999 holders (three pages); reads the counts, then the holders of a consumed SKU", async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    const contoso = fixture.customers.find((c) => c.id === C.contoso)!;
    const skype = contoso.subscriptions.find((s) => fixture.offers.find((o) => o.id === s.offerId)?.skuId === SKU.MCOIMP)!;
    skype.quantity += 2100;
    for (let i = 0; i < 2100; i++)
      contoso.users.push({ id: randomUUID(), userPrincipalName: `extra${i}@contoso.onmicrosoft.com`, displayName: `Extra ${i}`, licenses: [SKU.MCOIMP] });
    sb = await startSandbox({ fixture, clock: NOW });
    const { client } = graphClientFor(sb);
    const expected = holdersIn(sb, C.contoso, SKU.MCOIMP)
      .map((u) => u.id)
      .sort();
    const before = sb.requestLog.length;
    const holders = await client.holdersOf(C.contoso, SKU.MCOIMP);
    expect(holders.map((u) => u.id).sort()).toEqual(expected);
    const pages = sb.requestLog.slice(before).filter((e) => e.path === "/v1.0/users");
    expect(pages).toHaveLength(3);

    const start = sb.requestLog.length;
    const read = await client.readLicenses(C.contoso, [SKU.MCOIMP]);
    expect(read.skus.find((k) => k.skuId === SKU.MCOIMP)?.consumedUnits).toBe(expected.length);
    expect(
      read.holders
        .get(SKU.MCOIMP)
        ?.map((u) => u.id)
        .sort(),
    ).toEqual(expected);
    // The counts, then the holders' three pages.
    expect(
      sb.requestLog
        .slice(start)
        .filter((e) => e.api === "graph")
        .map((e) => e.path),
    ).toEqual(["/v1.0/subscribedSkus", "/v1.0/users", "/v1.0/users", "/v1.0/users"]);
  });

  it("reads no holders of a SKU nobody holds: the counts are the only call", async () => {
    sb = await startDemo();
    const { client } = graphClientFor(sb);
    const start = sb.requestLog.length;
    const read = await client.readLicenses(C.contoso, ["c7df2760-2c81-4ef7-b578-5b5392b571df"]);
    expect(read.holders.size).toBe(0);
    expect(read.skus.length).toBeGreaterThan(0);
    expect(
      sb.requestLog
        .slice(start)
        .filter((e) => e.path.startsWith("/v1.0/"))
        .map((e) => e.path),
    ).toEqual(["/v1.0/subscribedSkus"]);
  });

  it("a 403 names the tenant and the permissions or roles that would do", async () => {
    // App-only: the app's consent decides (GDAP grants an application nothing). Consent without a read permission at Fabrikam.
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    const buyOnly = fixture.credentials.find((c) => c.clientId === SANDBOX_APPS.buyOnly.clientId)!;
    buyOnly.consents = { ...buyOnly.consents, [C.fabrikam]: ["LicenseAssignment.ReadWrite.All"] };
    sb = await startSandbox({ fixture, clock: NOW });
    const { client } = graphClientFor(sb, SANDBOX_APPS.buyOnly);
    const err = await client.subscribedSkus(C.fabrikam).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphAccessError);
    expect((err as Error).message).toContain(C.fabrikam);
    expect((err as Error).message).toContain("application permissions User.Read.All and LicenseAssignment.Read.All");
    expect((err as Error).message).toContain("Directory Readers, Global Reader, Directory Writers, User Administrator or License Administrator");
  });
});

describe("throttling per app per tenant", () => {
  it("Graph calls draw from the Graph host's and their tenant's budget: a throttled tenant is slowed, the other is not", async () => {
    sb = await startDemo({ graphRateLimitTenant: 2 });
    const budget = createRequestBudget({});
    const fetch = sandboxFetch(sb);
    const { tokens } = graphClientFor(sb);
    const client = createGraphClient({
      endpoint: sb.graph.endpoint,
      tokens,
      http: createGraphHttp({ endpoint: sb.graph.endpoint, tokens, budget, fetch }),
      partnerTenant: PARTNER,
      principal: { kind: "app", clientId: SANDBOX_APPS.admin.clientId },
    });
    const reads = [...Array.from({ length: 5 }, () => client.subscribedSkus(C.contoso)), client.subscribedSkus(C.fabrikam), client.subscribedSkus(C.fabrikam)];
    expect((await Promise.all(reads)).every((skus) => skus.length > 0)).toBe(true);
    const host = new URL(sb.graph.endpoint).host;
    const stats = budget.stats();
    expect(stats.map((b) => b.scope).sort()).toEqual([host, `${host} tenant`]);
    const throttled = sb.requestLog.filter((e) => e.api === "graph" && e.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((e) => e.customerId === C.contoso)).toBe(true);
  });
});

describe("licence changes in $batch", () => {
  it("a half-failed batch says which member failed and why; the others are done", async () => {
    sb = await startDemo();
    const { client } = graphClientFor(sb);
    const users = holdersIn(sb, C.adventure, SKU.MCOIMP).slice(0, 3);
    sb.setFaults({ graphRefuseUsers: [users[1].id] });
    const outcomes = await client.assignLicenses(
      C.adventure,
      users.map((u, i) => ({ userId: u.id, assign: [SKU.DESKLESSPACK], remove: [SKU.MCOIMP], requestId: `move-${i}` })),
    );
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    const failed = outcomes[1] as { ok: false; error: Error };
    expect(failed.error).toBeInstanceOf(GraphCallError);
    expect(failed.error.message).toContain(C.adventure);
    expect(failed.error.message).toContain("refused by the sandbox");
    const after = sb.world().customers.find((c) => c.id === C.adventure)!.users;
    expect(after.find((u) => u.id === users[0].id)!.licenses).toContain(SKU.DESKLESSPACK);
    expect(after.find((u) => u.id === users[1].id)!.licenses).toEqual([SKU.MCOIMP]);
    // The client-request-id of each member is what the sandbox recorded for its change.
    expect(sb.changes.filter((c) => c.kind === "licenses").map((c) => c.requestId)).toEqual(["move-0", "move-2"]);
  });

  it("members throttled inside a batch are sent again, alone, after their Retry-After; no member is applied twice", async () => {
    sb = await startDemo({ graphRateLimitTenant: 2 });
    const { client, http } = graphClientFor(sb);
    const users = holdersIn(sb, C.adventure, SKU.MCOIMP).slice(0, 4);
    const outcomes = await client.assignLicenses(
      C.adventure,
      users.map((u, i) => ({ userId: u.id, assign: [SKU.DESKLESSPACK], remove: [SKU.MCOIMP], requestId: `t-${i}` })),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(http.stats().memberRetries).toBeGreaterThan(0);
    expect(sb.requestLog.some((e) => e.path === "/v1.0/$batch (member)" && e.status === 429)).toBe(true);
    const changes = sb.changes.filter((c) => c.kind === "licenses");
    expect(changes.map((c) => c.requestId).sort()).toEqual(["t-0", "t-1", "t-2", "t-3"]);
  });

  it("no free unit is a licence-quota error naming the SKU", async () => {
    sb = await startDemo();
    const { client } = graphClientFor(sb);
    const user = holdersIn(sb, C.contoso, SKU.MCOIMP)[0];
    const [outcome] = await client.assignLicenses(C.contoso, [{ userId: user.id, assign: [SKU.DESKLESSPACK], remove: [SKU.MCOIMP], requestId: "q" }]);
    expect(outcome).toMatchObject({ ok: false });
    const error = (outcome as { error: Error }).error;
    expect(error).toBeInstanceOf(GraphLicenseQuotaError);
    expect(error.message).toContain(SKU.DESKLESSPACK);
  });
});

/** A Graph double over HTTPS answering every GET with `answer(url)`. */
async function fakeGraph(answer: (url: URL, origin: string) => unknown): Promise<string> {
  const { cert, key } = sandboxTls();
  let origin = "";
  const server = createServer({ cert, key }, (req, res) => {
    const body = JSON.stringify(answer(new URL(req.url ?? "/", origin), origin));
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake = { close: () => new Promise<void>((r) => (server.close(() => r()), server.closeAllConnections())) };
  return origin;
}

function clientAt(endpoint: string, fetch: typeof globalThis.fetch) {
  const tokens = () => Promise.resolve("graph-test-token-0123456789");
  return createGraphClient({
    endpoint,
    tokens,
    http: createGraphHttp({ endpoint, tokens, budget: createRequestBudget({}), fetch }),
    partnerTenant: PARTNER,
    principal: { kind: "app", clientId: SANDBOX_APPS.admin.clientId },
  });
}

describe("answers pcplan cannot act on", () => {
  it("a subscribed SKU without consumedUnits is an error naming the call and the field, never a zero", async () => {
    sb = await startDemo();
    const endpoint = await fakeGraph(() => ({ value: [{ skuId: SKU.MCOIMP, skuPartNumber: "MCOIMP", prepaidUnits: { enabled: 5 } }] }));
    const err = await clientAt(endpoint, sandboxFetch(sb))
      .subscribedSkus(C.contoso)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphInvalidResponseError);
    expect((err as Error).message).toMatch(/GET \/subscribedSkus for tenant .*value\[0\]\.consumedUnits: missing/);
  });

  it("consumed units beyond any real seat count (1e308) or a prepaid total beyond any allotment are errors naming the field (issue 22 §6)", async () => {
    sb = await startDemo();
    const skus = [
      { skuId: SKU.MCOIMP, skuPartNumber: "MCOIMP", consumedUnits: 1e308, prepaidUnits: { enabled: 5 } },
      { skuId: SKU.DESKLESSPACK, skuPartNumber: "DESKLESSPACK", consumedUnits: 0, prepaidUnits: { enabled: 2e9 } },
    ];
    const endpoint = await fakeGraph(() => ({ value: skus }));
    const err = await clientAt(endpoint, sandboxFetch(sb))
      .subscribedSkus(C.contoso)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphInvalidResponseError);
    expect((err as Error).message).toMatch(/value\[0\]\.consumedUnits: must be 1000000 or less .*, got 1e\+308/);
    expect((err as Error).message).toMatch(/value\[1\]\.prepaidUnits\.enabled: must be 1000000000 or less .*, got 2000000000/);
  });

  it("a bad second page (followed through @odata.nextLink) is caught too, and a nextLink to another host is never followed", async () => {
    sb = await startDemo();
    const user = (n: number) => ({ id: randomUUID(), userPrincipalName: `u${n}@x.test`, assignedLicenses: [{ skuId: SKU.MCOIMP, disabledPlans: [] }] });
    const endpoint = await fakeGraph((url, origin) =>
      url.searchParams.has("$skiptoken")
        ? { value: [{ ...user(2), assignedLicenses: "none" }] }
        : { value: [user(1)], "@odata.nextLink": `${origin}/v1.0/users?$skiptoken=2` },
    );
    const err = await clientAt(endpoint, sandboxFetch(sb))
      .holdersOf(C.contoso, SKU.MCOIMP)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphInvalidResponseError);
    expect((err as Error).message).toContain("value[0].assignedLicenses: must be an array");

    await fake?.close();
    let asked = 0;
    const elsewhere = await fakeGraph(() => (asked++, { value: [user(1)], "@odata.nextLink": "https://127.0.0.1:1/v1.0/users?$skiptoken=2" }));
    const refused = await clientAt(elsewhere, sandboxFetch(sb))
      .holdersOf(C.contoso, SKU.MCOIMP)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GraphCallError);
    expect((refused as Error).message).toContain("refusing to send a Graph request to https://127.0.0.1:1");
    expect(asked).toBe(1);
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- JSON answers from the wire are checked by assertions, not types */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_TOKENS, type SandboxHandle } from "../../src/sandbox/index.js";
import { C, SKU, call, offerFor, startDemo } from "./helpers/sandbox.js";

let sb: SandboxHandle;
beforeEach(async () => {
  sb = await startDemo();
});
afterEach(async () => {
  await sb.close();
});

/** Follows links.next as a client would: the uri (with or without /v1) plus every header it lists. */
async function collectPages(first: string) {
  const pages: any[] = [];
  let res = await call(sb, "GET", first);
  pages.push(res.body);
  while (res.body.links?.next) {
    const next = res.body.links.next;
    const headers = Object.fromEntries(next.headers.map((h: any) => [h.key, h.value]));
    const uri: string = next.uri.startsWith("/v1") ? next.uri : `/v1${next.uri}`;
    res = await call(sb, "GET", uri, { headers });
    expect(res.status).toBe(200);
    pages.push(res.body);
  }
  return pages;
}

describe("paging", () => {
  it("pages Contoso's 12 users in 3 pages with a continuation header and no /v1 in the users' next uri", async () => {
    const first = await call(sb, "GET", `/customers/${C.contoso}/users`);
    expect(first.body.links.next.uri).toBe(`/customers/${C.contoso}/users?size=5&seekOperation=Next`);
    expect(first.body.links.next.headers[0].key).toBe("MS-ContinuationToken");

    const pages = await collectPages(`/customers/${C.contoso}/users`);
    expect(pages.map((p) => p.items.length)).toEqual([5, 5, 2]);
    expect(pages.map((p) => p.totalCount)).toEqual([5, 5, 2]);
    const upns = pages.flatMap((p) => p.items.map((u: any) => u.userPrincipalName));
    expect(new Set(upns).size).toBe(12);
    expect(upns[0]).toBe("alex@contoso.onmicrosoft.com");
  });

  it("pages customers with ?size and keeps /v1 in their next uri", async () => {
    const first = await call(sb, "GET", "/customers?size=3");
    expect(first.body.links.next.uri).toBe("/v1/customers?size=3&seekOperation=Next");
    const pages = await collectPages("/customers?size=3");
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 3, 3, 3, 3]);
    const ids = pages.flatMap((p) => p.items.map((c: any) => c.id));
    expect(new Set(ids).size).toBe(18);
    expect(pages[0].items[0]).toMatchObject({ companyProfile: { companyName: "Contoso Ltd", tenantId: C.contoso }, relationshipToPartner: "reseller" });
  });

  it("refuses a garbled token, a token from another collection and a Next without a token", async () => {
    const bad = await call(sb, "GET", "/customers?size=3&seekOperation=Next", { headers: { "MS-ContinuationToken": "garbage" } });
    expect(bad.status).toBe(400);
    const users = await call(sb, "GET", `/customers/${C.contoso}/users`);
    const token = users.body.links.next.headers[0].value;
    const cross = await call(sb, "GET", "/customers?size=3&seekOperation=Next", { headers: { "MS-ContinuationToken": token } });
    expect(cross.status).toBe(400);
    expect((await call(sb, "GET", "/customers?seekOperation=Next")).status).toBe(400);
  });
});

describe("auth and roles", () => {
  it("answers 401 with WWW-Authenticate and a JSON error without or with an unknown bearer", async () => {
    for (const token of [null, "not-a-real-token"]) {
      const res = await call(sb, "GET", "/customers", { token });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect(res.body).toMatchObject({ code: expect.any(Number), description: expect.stringContaining("Access denied") });
    }
  });

  it("lets a helpdesk agent read but not buy", async () => {
    expect((await call(sb, "GET", `/customers/${C.contoso}/subscriptions`, { token: SANDBOX_TOKENS.helpdesk })).status).toBe(200);
    const res = await call(sb, "POST", `/customers/${C.contoso}/orders`, {
      token: SANDBOX_TOKENS.helpdesk,
      body: { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: offerFor(sb, SKU.DESKLESSPACK), quantity: 1 }] },
    });
    expect(res.status).toBe(403);
    expect(res.body.description).toMatch(/requires the Sales agent or Admin agent role; the credential has Helpdesk agent/);
    expect(sb.world().customers.find((c) => c.id === C.contoso)!.subscriptions).toHaveLength(1);
  });

  it("lets a sales agent buy but not change licenses, naming the GDAP roles licence changes need", async () => {
    const order = await call(sb, "POST", `/customers/${C.contoso}/orders`, {
      token: SANDBOX_TOKENS.sales,
      body: { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: offerFor(sb, SKU.DESKLESSPACK), quantity: 1 }] },
    });
    expect(order.status).toBe(201);
    const user = sb.world().customers.find((c) => c.id === C.contoso)!.users[0];
    const res = await call(sb, "POST", `/customers/${C.contoso}/users/${user.id}/licenseupdates`, {
      token: SANDBOX_TOKENS.sales,
      body: { licensesToAssign: [{ skuId: SKU.DESKLESSPACK, excludedPlans: null }], licensesToRemove: [SKU.MCOIMP] },
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe(2032);
    expect(res.body.description).toBe(
      `Access denied: assigning or removing licenses for customer ${C.contoso} requires the GDAP role License Administrator, ` +
        "User Administrator or Directory Writers; the credential (Sales agent) has only Directory Readers there.",
    );
  });

  it("logs the role, never the token", async () => {
    await call(sb, "GET", "/customers", { token: SANDBOX_TOKENS.sales });
    expect(sb.requestLog.at(-1)).toMatchObject({ method: "GET", path: "/v1/customers", status: 200, role: "sales-agent", write: false });
    expect(JSON.stringify(sb.requestLog)).not.toContain(SANDBOX_TOKENS.sales);
  });

  it("answers 404 with a Partner Center error for unknown customers and paths", async () => {
    const res = await call(sb, "GET", "/customers/00000000-0000-0000-0000-000000000000/subscriptions");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 1000, description: expect.stringContaining("00000000-0000-0000-0000-000000000000") });
    expect((await call(sb, "GET", "/nothing-here")).status).toBe(404);
  });
});

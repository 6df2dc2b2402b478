import { describe, expect, it } from "vitest";
import { BadResponseError } from "../../src/partner-center/errors.js";
import { example, sendJson, useFakeServer } from "../helpers/fake-server.js";
import { CUSTOMER, makeClient, rejectionOf } from "./setup.js";

// The continuation token string from the reference's invoice line items example (01c/01d).
const TOKEN_2 = example("01c-invoicelineitems-next-continuationtoken.response.json").continuationToken as string;
const TOKEN_1 = "page-2-token,with/odd=chars";

function page(fixture: string, idSuffix: string, next?: { uri: string; token: string }): unknown {
  const body = example(fixture);
  body.items = body.items.map((it: { id: string }) => ({ ...it, id: it.id.replace(/.{4}$/, idSuffix) }));
  body.links = { ...body.links };
  if (next) body.links.next = { uri: next.uri, method: "GET", headers: [{ key: "MS-ContinuationToken", value: next.token }] };
  return body;
}

describe("paging", () => {
  const server = useFakeServer();

  it("follows links.next through three pages, sending MS-ContinuationToken, with /v1 and non-/v1 uris", async () => {
    server.on("GET", "/v1/customers", (req, res) => {
      const token = req.headers["ms-continuationtoken"];
      if (token === undefined) {
        sendJson(res, 200, page("01-customers.response.json", "0001", { uri: "/v1/customers?size=2&seekOperation=Next", token: TOKEN_1 }));
      } else if (token === TOKEN_1) {
        sendJson(res, 200, page("01-customers.response.json", "0002", { uri: "/customers?seekOperation=Next", token: TOKEN_2 }));
      } else if (token === TOKEN_2) {
        sendJson(res, 200, page("01-customers.response.json", "0003"));
      } else {
        sendJson(res, 400, { code: 1, description: `unknown continuation token ${String(token)}` });
      }
    });
    const { client } = makeClient(server, { pageSize: 2 });

    const customers = await client.listCustomers();

    expect(customers.map((c) => c.id.slice(-4))).toEqual(["0001", "0001", "0002", "0002", "0003", "0003"]);
    expect(server.requests).toHaveLength(3);
    const [r1, r2, r3] = server.requests;
    expect(r1.url).toBe("/v1/customers?size=2");
    expect(r1.headers["ms-continuationtoken"]).toBeUndefined();
    expect(r2.url).toBe("/v1/customers?size=2&seekOperation=Next");
    expect(r2.headers["ms-continuationtoken"]).toBe(TOKEN_1);
    expect(r3.url).toBe("/v1/customers?seekOperation=Next"); // `/customers…` resolved under /v1
    expect(r3.headers["ms-continuationtoken"]).toBe(TOKEN_2);
    // Every page is its own read: fresh MS-RequestId, same MS-CorrelationId.
    expect(new Set(server.requests.map((r) => r.headers["ms-requestid"])).size).toBe(3);
    expect(new Set(server.requests.map((r) => r.headers["ms-correlationid"])).size).toBe(1);
  });

  it("pages users with the default page size and stops when there is no next link", async () => {
    const base = `/v1/customers/${CUSTOMER}/users`;
    server.on("GET", base, (req, res) => {
      if (req.headers["ms-continuationtoken"] === "u2") sendJson(res, 200, page("08-users.response.json", "bbbb"));
      else sendJson(res, 200, page("08-users.response.json", "aaaa", { uri: `/customers/${CUSTOMER}/users?seek=2`, token: "u2" }));
    });
    const { client } = makeClient(server);
    const users = await client.listUsers(CUSTOMER);
    expect(users).toHaveLength(4);
    expect(users[0].userPrincipalName).toBe("Daniel@dtdemocspcustomer005.onmicrosoft.com");
    expect(server.requests[0].query.get("size")).toBe("100");
    expect(server.requests[1].url).toBe(`${base}?seek=2`);
  });

  it("fails clearly when links.next repeats a page (paging loop)", async () => {
    server.on("GET", "/v1/customers", (_req, res) => {
      sendJson(res, 200, page("01-customers.response.json", "0001", { uri: "/customers?seekOperation=Next", token: "same" }));
    });
    const { client } = makeClient(server);
    const err = await rejectionOf(client.listCustomers());
    expect(err).toBeInstanceOf(BadResponseError);
    expect(err.message).toMatch(/paging loop/);
    expect(err.message).toContain("/v1/customers");
    expect(server.requests).toHaveLength(2); // first page, the next page once, then the repeat is caught
  });

  it("refuses a next link that points to another host (the token stays home)", async () => {
    server.on("GET", "/v1/customers", (_req, res) => {
      sendJson(res, 200, page("01-customers.response.json", "0001", { uri: "https://evil.example.com/v1/customers", token: "x" }));
    });
    const { client } = makeClient(server);
    const err = await rejectionOf(client.listCustomers());
    expect(err).toBeInstanceOf(BadResponseError);
    expect(err.message).toMatch(/outside the Partner Center endpoint/);
    expect(server.requests).toHaveLength(1);
  });

  it("rejects a collection without items", async () => {
    server.on("GET", `/v1/customers/${CUSTOMER}/subscriptions`, (_req, res) => sendJson(res, 200, { totalCount: 0 }));
    const { client } = makeClient(server);
    await expect(client.listSubscriptions(CUSTOMER)).rejects.toThrow(/items/);
  });
});

import { describe, expect, it } from "vitest";
import { createPartnerCenterClient } from "../../src/partner-center/client.js";
import { parsePcDate } from "../../src/partner-center/dates.js";
import { sameId } from "../../src/partner-center/ids.js";
import type { Subscription } from "../../src/partner-center/types.js";
import { example, exampleText, fakeTime, sendJson, useFakeServer } from "../helpers/fake-server.js";
import { CUSTOMER, TOKEN, UUID, makeClient } from "./setup.js";

const SUB_ID = "A356AC8C-E310-44F4-BF85-C7F29044AF99";
const USER = "482e2152-4b49-48ec-b715-823365ce3d4c";

describe("Partner Center client on the wire", () => {
  const server = useFakeServer({ expectAllUsed: true });

  it("sends the standard headers, one correlation id for all requests, fresh request ids for reads", async () => {
    server.on("GET", "/v1/customers", (_req, res) => sendJson(res, 200, exampleText("01-customers.response.json")));
    server.on("GET", /^\/v1\/customers\/[^/]+$/, (_req, res) => sendJson(res, 200, exampleText("02-customer.response.json")));
    server.on("POST", `/v1/customers/${CUSTOMER}/orders`, (_req, res) => sendJson(res, 201, exampleText("06-order.response.json")));
    const { client } = makeClient(server);
    expect(client.correlationId).toMatch(UUID);

    await client.listCustomers();
    const customer = await client.getCustomer("eebd1b55-5360-4438-a11d-5c06918c3014");
    await client.createOrder(CUSTOMER, { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: "X", quantity: 1 }] });

    expect(customer.companyProfile.domain).toBe("abcdefgh1234.ccsctp.net");
    expect(server.requests).toHaveLength(3);
    for (const r of server.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(r.headers.accept).toBe("application/json");
      expect(r.headers["x-locale"]).toBe("en-US");
      expect(r.headers["ms-correlationid"]).toBe(client.correlationId);
      expect(r.headers["ms-requestid"]).toMatch(UUID);
    }
    expect(new Set(server.requests.map((r) => r.headers["ms-requestid"])).size).toBe(3);
    expect(server.requests[0].headers["content-type"]).toBeUndefined();
    expect(server.requests[2].headers["content-type"]).toBe("application/json");
    expect(client.stats()).toMatchObject({ requests: 3, retries: 0, throttled: 0, byStatus: { "200": 2, "201": 1 } });
  });

  it("uses a given correlation id and accepts an endpoint with a trailing slash", async () => {
    server.on("GET", "/v1/customers", (_req, res) => sendJson(res, 200, exampleText("01-customers.response.json")));
    const { client } = makeClient(server, { endpoint: `${server.url}/`, correlationId: "run-42" });
    await client.listCustomers();
    expect(server.requests[0].url).toBe("/v1/customers?size=100");
    expect(server.requests[0].headers["ms-correlationid"]).toBe("run-42");
  });

  it("reads subscriptions with the reference's odd dates and mixed-case ids", async () => {
    server.on("GET", `/v1/customers/${CUSTOMER}/subscriptions`, (_req, res) => sendJson(res, 200, exampleText("03-subscriptions.response.json")));
    server.on("GET", `/v1/customers/${CUSTOMER}/subscriptions/${SUB_ID.toLowerCase()}`, (_req, res) =>
      sendJson(res, 200, exampleText("03b-subscription-by-id.response.json")),
    );
    const { client } = makeClient(server);
    const [sub] = await client.listSubscriptions(CUSTOMER);
    expect(parsePcDate(sub.creationDate)?.toISOString()).toBe("2015-11-25T06:41:12.000Z");
    expect(parsePcDate(sub.commitmentEndDate)?.toISOString()).toBe("2016-12-12T08:00:00.000Z");
    const one = await client.getSubscription(CUSTOMER, SUB_ID.toLowerCase());
    expect(sameId(one.id, SUB_ID.toLowerCase())).toBe(true);
    expect(server.requests[0].query.has("size")).toBe(false);
  });

  it("PATCHes the whole subscription with If-Match and returns the updated one", async () => {
    const sub = example<Subscription>("03b-subscription-by-id.response.json");
    const path = `/v1/customers/${CUSTOMER}/subscriptions/${SUB_ID}`;
    server.once("PATCH", path, (req, res) => sendJson(res, 200, { ...(req.json as object), attributes: { etag: "v3", objectType: "Subscription" } }));
    const { client } = makeClient(server);
    const updated = await client.updateSubscription(CUSTOMER, { ...sub, status: "suspended" }, { requestId: "w-1" });
    const req = server.requests[0];
    expect(req.method).toBe("PATCH");
    expect(req.headers["if-match"]).toBe(sub.attributes!.etag);
    expect(req.headers["ms-requestid"]).toBe("w-1");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.json).toEqual({ ...sub, status: "suspended" });
    expect(updated.status).toBe("suspended");
    expect(updated.attributes?.etag).toBe("v3");
  });

  it("follows a 202 + Location (without /v1) after a quantity PATCH and returns the subscription read back", async () => {
    const sub = example<Subscription>("03b-subscription-by-id.response.json");
    const path = `/v1/customers/${CUSTOMER}/subscriptions/${SUB_ID}`;
    server.once("PATCH", path, (_req, res) => {
      res.writeHead(202, { Location: `/customers/${CUSTOMER}/subscriptions/${SUB_ID.toLowerCase()}` });
      res.end();
    });
    server.once("GET", `/v1/customers/${CUSTOMER}/subscriptions/${SUB_ID.toLowerCase()}`, (_req, res) => sendJson(res, 200, { ...sub, quantity: 7 }));
    const { client } = makeClient(server);
    const updated = await client.updateSubscription(CUSTOMER, { ...sub, quantity: 7 });
    expect(updated.quantity).toBe(7);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PATCH ${path}`,
      `GET /v1/customers/${CUSTOMER}/subscriptions/${SUB_ID.toLowerCase()}`,
    ]);
  });

  it("assigns and removes licenses in one licenseupdates call", async () => {
    const path = `/v1/customers/${CUSTOMER}/users/${USER}/licenseupdates`;
    server.once("POST", path, (_req, res) => sendJson(res, 201, exampleText("10-licenseupdates.response.json")));
    const { client } = makeClient(server);
    const result = await client.updateUserLicenses(CUSTOMER, USER, {
      assign: ["f8a1db68-be16-40ed-86d5-cb42ce701560"],
      remove: ["efccb6f7-5641-4e0e-bd10-b4976e1bf68e"],
    });
    expect(server.requests[0].json).toEqual({
      licensesToAssign: [{ skuId: "f8a1db68-be16-40ed-86d5-cb42ce701560", excludedPlans: null }],
      licensesToRemove: ["efccb6f7-5641-4e0e-bd10-b4976e1bf68e"],
    });
    expect(result.licenseWarnings).toEqual([]);
  });

  it("reads subscribed SKUs, user licenses, offers and one offer", async () => {
    server.on("GET", `/v1/customers/${CUSTOMER}/subscribedskus`, (_req, res) => sendJson(res, 200, exampleText("07-subscribedskus.response.json")));
    server.on("GET", `/v1/customers/${CUSTOMER}/users/${USER}/licenses`, (_req, res) => sendJson(res, 200, exampleText("09-user-licenses.response.json")));
    server.on("GET", "/v1/offers", (_req, res) => sendJson(res, 200, exampleText("11-offers.response.json")));
    server.on("GET", "/v1/offers/031C9E47-4802-4248-838E-778FB1D2CC05", (_req, res) => sendJson(res, 200, exampleText("11b-offer-by-id.response.json")));
    const { client } = makeClient(server);

    const skus = await client.listSubscribedSkus(CUSTOMER);
    expect(skus[0].productSku.skuPartNumber).toBe("EMS");
    expect(skus[0].availableUnits).toBe(skus[0].totalUnits - skus[0].consumedUnits);
    const licenses = await client.listUserLicenses(CUSTOMER, USER);
    expect(licenses[0].productSku.id).toBe("efccb6f7-5641-4e0e-bd10-b4976e1bf68e");
    const offers = await client.listOffers("US");
    expect(offers[0].product.id).toBe("c52ea49f-fe5d-4e95-93ba-1de91d380f89");
    const offer = await client.getOffer("031C9E47-4802-4248-838E-778FB1D2CC05", "US");
    expect(offer.isAvailableForPurchase).toBe(true);

    expect(server.requests.map((r) => r.url)).toEqual([
      `/v1/customers/${CUSTOMER}/subscribedskus`,
      `/v1/customers/${CUSTOMER}/users/${USER}/licenses`,
      "/v1/offers?country=US&size=100",
      "/v1/offers/031C9E47-4802-4248-838E-778FB1D2CC05?country=US",
    ]);
  });

  it("escapes ids in paths", async () => {
    server.on("GET", /.*/, (_req, res) => sendJson(res, 200, exampleText("02-customer.response.json")));
    const { client } = makeClient(server);
    await client.getCustomer("a/../b?x=1");
    expect(server.requests[0].url).toBe("/v1/customers/a%2F..%2Fb%3Fx%3D1");
  });

  it("keeps concurrent calls to --max-rps: a bucket of one second, then one every 1/rate", async () => {
    server.on("GET", "/v1/customers", (_req, res) => sendJson(res, 200, exampleText("01-customers.response.json")));
    const time = fakeTime(0);
    const client = createPartnerCenterClient({ endpoint: server.url, token: () => Promise.resolve(TOKEN), maxRps: 2, now: time.now, sleep: time.sleep });
    await Promise.all([1, 2, 3, 4, 5].map(() => client.listCustomers()));
    expect(server.requests).toHaveLength(5);
    // Bucket of 2 at once, then the budget waits one interval (1/2 s) before each of the other three.
    expect(time.sleeps).toEqual([500, 500, 500]);
  });
});

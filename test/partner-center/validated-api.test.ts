/**
 * `validatedApi` over the real client and real HTTP: a wire-level fake server answers what a
 * faulty or hostile Partner Center has answered (issue 11: null seat counts read as 0 users,
 * "40" read as 40, "ACTIVE" read as not active), and the real sandbox answers what it always does.
 */
import { describe, expect, it } from "vitest";
import { PcplanError } from "../../src/errors.js";
import { BadResponseError, PC_ERROR_CODES } from "../../src/partner-center/errors.js";
import { InvalidResponseError } from "../../src/partner-center/invalid-response-error.js";
import { responseValidators } from "../../src/partner-center/response-validator.js";
import type { Collection, SubscribedSku, Subscription } from "../../src/partner-center/types.js";
import { validatedApi } from "../../src/partner-center/validated-api.js";
import { createPartnerCenterClient } from "../../src/partner-center/client.js";
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox } from "../../src/sandbox/index.js";
import { example, sendJson, useFakeServer } from "../helpers/fake-server.js";
import { CUSTOMER, makeClient, rejectionOf } from "./setup.js";

const SUB_ID = "A356AC8C-E310-44F4-BF85-C7F29044AF99";
const USER = "482e2152-4b49-48ec-b715-823365ce3d4c";
const SKUS_PATH = `/v1/customers/${CUSTOMER}/subscribedskus`;
const SUBS_PATH = `/v1/customers/${CUSTOMER}/subscriptions`;

/** The reference's subscribed SKUs (EMS: 1 consumed of 5; Power BI Pro: 1 of 1), editable. */
function skusCollection(edit: (items: Record<string, unknown>[]) => void = () => {}): { items: Record<string, unknown>[] } {
  const body = example<{ items: Record<string, unknown>[] }>("07-subscribedskus.response.json");
  edit(body.items);
  return body;
}

/** The reference's subscription (03b) as a one-item collection, with `patch` applied. */
function subsCollection(patch: Record<string, unknown>) {
  const sub = { ...example<Subscription>("03b-subscription-by-id.response.json"), ...patch };
  return { totalCount: 1, items: [sub], attributes: { objectType: "Collection" } };
}

describe("validatedApi on the wire", () => {
  const server = useFakeServer({ expectAllUsed: true });
  const api = () => validatedApi(makeClient(server).client);

  it.each([
    ["missing", (k: Record<string, unknown>) => delete k.consumedUnits, "items[1].consumedUnits: missing"],
    ["null", (k: Record<string, unknown>) => (k.consumedUnits = null), "items[1].consumedUnits: must be a number, got null"],
    ["a string", (k: Record<string, unknown>) => (k.consumedUnits = "1"), 'items[1].consumedUnits: must be a number, got "1"'],
  ])("refuses subscribed SKUs whose consumedUnits is %s, naming the call and the field", async (_what, edit, problem) => {
    server.once("GET", SKUS_PATH, (_req, res) =>
      sendJson(
        res,
        200,
        skusCollection((items) => edit(items[1])),
      ),
    );
    const err = await rejectionOf(api().listSubscribedSkus(CUSTOMER));
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toBeInstanceOf(BadResponseError);
    expect(err).toBeInstanceOf(PcplanError);
    expect(err).toMatchObject({ code: PC_ERROR_CODES.badResponse, userError: false, call: `listSubscribedSkus(customer ${CUSTOMER})`, problems: [problem] });
    expect(err.message).toContain(`listSubscribedSkus(customer ${CUSTOMER})`);
    expect(err.message).toContain(problem);
    expect(err.message).not.toMatch(/TypeError|\b0 users\b/);
    expect(err.stack?.split("\n")[0]).toBe(`InvalidResponseError: ${err.message}`);
  });

  it("passes the reference's subscribed SKUs through unchanged, unknown fields and all", async () => {
    server.once("GET", SKUS_PATH, (_req, res) => sendJson(res, 200, skusCollection()));
    const skus = await api().listSubscribedSkus(CUSTOMER);
    expect(skus).toEqual(skusCollection().items);
    expect(skus[0]).toMatchObject({ consumedUnits: 1, totalUnits: 5, capabilityStatus: "Enabled" });
  });

  it.each([
    ["listSubscriptions", "items[0].quantity"],
    ["getSubscription", "quantity"],
  ] as const)("refuses a seat count sent as a string (%s)", async (method, field) => {
    const body = subsCollection({ quantity: "40" });
    server.once("GET", method === "listSubscriptions" ? SUBS_PATH : `${SUBS_PATH}/${SUB_ID}`, (_req, res) =>
      sendJson(res, 200, method === "listSubscriptions" ? body : body.items[0]),
    );
    const client = api();
    const err = await rejectionOf(method === "listSubscriptions" ? client.listSubscriptions(CUSTOMER) : client.getSubscription(CUSTOMER, SUB_ID));
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err.message).toContain(`${field}: must be a number, got "40"`);
  });

  it.each([
    ["ACTIVE", "active"],
    ["Suspended ", "suspended"],
    [" pending", "pending"],
  ])("reads status %j as %j", async (sent, read) => {
    server.once("GET", SUBS_PATH, (_req, res) => sendJson(res, 200, subsCollection({ status: sent })));
    server.once("GET", `${SUBS_PATH}/${SUB_ID}`, (_req, res) => sendJson(res, 200, subsCollection({ status: sent }).items[0]));
    const client = api();
    expect((await client.listSubscriptions(CUSTOMER))[0].status).toBe(read);
    expect((await client.getSubscription(CUSTOMER, SUB_ID)).status).toBe(read);
  });

  it("refuses an unknown status, naming the values it knows; control characters in it are shown escaped", async () => {
    server.once("GET", SUBS_PATH, (_req, res) => sendJson(res, 200, subsCollection({ status: "cancelled\u001b[2J\u202e" })));
    const err = await rejectionOf(api().listSubscriptions(CUSTOMER));
    expect(err.message).toContain(
      'items[0].status: must be one of none, active, pending, suspended, deleted, expired, disabled (in any case), got "cancelled\\u001b[2J\\u202e"',
    );
    expect([...err.message].filter((c) => c < " " || c === "\u202e")).toEqual([]);
  });

  it.each([
    ["a string", "oops", 'items[1]: must be an object, got "oops"'],
    ["null", null, "items[1]: must be an object, got null"],
    ["an array", [], "items[1]: must be an object, got an array"],
  ])("refuses a list item that is %s", async (_what, item, problem) => {
    server.once("GET", SKUS_PATH, (_req, res) =>
      sendJson(
        res,
        200,
        skusCollection((items) => (items[1] = item as never)),
      ),
    );
    const err = await rejectionOf(api().listSubscribedSkus(CUSTOMER));
    expect((err as InvalidResponseError).problems).toEqual([problem]);
  });

  it("names every bad item by its index in the whole list, across pages", async () => {
    const good = example<Collection<SubscribedSku>>("07-subscribedskus.response.json").items[0];
    server.once("GET", SKUS_PATH, (_req, res) =>
      sendJson(res, 200, { totalCount: 3, items: [good, good], links: { next: { uri: "/customers/x/subscribedskus?page=2", method: "GET", headers: [] } } }),
    );
    server.once("GET", "/v1/customers/x/subscribedskus", (_req, res) =>
      sendJson(res, 200, { totalCount: 3, items: [{ ...good, totalUnits: -1, productSku: { ...good.productSku, id: "" } }] }),
    );
    const err = await rejectionOf(api().listSubscribedSkus(CUSTOMER));
    expect((err as InvalidResponseError).problems).toEqual(["items[2].totalUnits: must be 0 or more, got -1", "items[2].productSku.id: must not be empty"]);
  });

  it("drops null optional fields and keeps ids as given", async () => {
    server.once("GET", `${SUBS_PATH}/${SUB_ID}`, (_req, res) => sendJson(res, 200, { ...subsCollection({ commitmentEndDate: null }).items[0] }));
    const sub = await api().getSubscription(CUSTOMER, SUB_ID);
    expect("commitmentEndDate" in sub).toBe(false);
    expect(sub.id).toBe(SUB_ID);
    expect(sub.offerId).toBe("MS-AZR-0145P");
  });

  it("checks the subscription read back after a 202 PATCH, and normalises it", async () => {
    const sub = example<Subscription>("03b-subscription-by-id.response.json");
    server.once("PATCH", `${SUBS_PATH}/${SUB_ID}`, (_req, res) => {
      res.writeHead(202, { Location: `/customers/${CUSTOMER}/subscriptions/${SUB_ID}` });
      res.end();
    });
    server.once("GET", `${SUBS_PATH}/${SUB_ID}`, (_req, res) => sendJson(res, 200, { ...sub, status: "SUSPENDED" }));
    server.once("PATCH", `${SUBS_PATH}/${SUB_ID}`, (_req, res) => sendJson(res, 200, { ...sub, quantity: null }));
    const client = api();
    expect((await client.updateSubscription(CUSTOMER, { ...sub, status: "suspended" })).status).toBe("suspended");
    const err = await rejectionOf(client.updateSubscription(CUSTOMER, { ...sub, quantity: 3 }));
    expect(err.message).toContain(
      `updateSubscription(customer ${CUSTOMER}, subscription ${SUB_ID}) with data pcplan cannot act on: quantity: must be a number, got null`,
    );
  });

  it("checks what a purchase answers: the order id and what each line bought", async () => {
    const order = example("06b-order-indirect-reseller.response.json");
    order.lineItems[0].quantity = "5";
    delete order.id;
    server.once("POST", `/v1/customers/${CUSTOMER}/orders`, (_req, res) => sendJson(res, 201, order));
    const err = await rejectionOf(api().createOrder(CUSTOMER, { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: "X", quantity: 5 }] }));
    expect((err as InvalidResponseError).problems).toEqual(["id: missing", 'lineItems[0].quantity: must be a number, got "5"']);
    expect(err.message).toContain(`createOrder(customer ${CUSTOMER})`);
  });

  it("accepts a licence update answered with an empty body", async () => {
    server.once("POST", `/v1/customers/${CUSTOMER}/users/${USER}/licenseupdates`, (_req, res) => {
      res.writeHead(201);
      res.end();
    });
    const result = await api().updateUserLicenses(CUSTOMER, USER, { assign: ["a"], remove: ["b"] });
    expect(result).toEqual({ licensesToAssign: [{ skuId: "a" }], licensesToRemove: ["b"] });
  });

  it("keeps the client's other members and compiles the schemas once for every client", async () => {
    const { client } = makeClient(server, { correlationId: "run-7" });
    const wrapped = validatedApi(client);
    expect(wrapped.correlationId).toBe("run-7");
    expect(wrapped.endpoint).toBe(server.url);
    expect(wrapped.stats().requests).toBe(0);
    expect(responseValidators()).toBe(responseValidators());
    server.once("GET", SKUS_PATH, (_req, res) =>
      sendJson(
        res,
        200,
        skusCollection((items) => (items[0].consumedUnits = null)),
      ),
    );
    const err = await rejectionOf(wrapped.listSubscribedSkus(CUSTOMER));
    expect(err.message).toContain("(correlation run-7)");
  });
});

describe("validatedApi against the sandbox", () => {
  it("accepts every answer of the demo world, reads and writes", async () => {
    const sandbox = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), port: 0, clock: "2026-11-24T00:00:00Z" });
    try {
      const api = validatedApi(createPartnerCenterClient({ endpoint: sandbox.url, token: () => Promise.resolve(SANDBOX_TOKENS.admin) }));
      const customers = await api.listCustomers();
      await Promise.all(customers.map((c) => api.getCustomer(c.id)));
      for (const c of customers) {
        const [subs, skus, users] = await Promise.all([api.listSubscriptions(c.id), api.listSubscribedSkus(c.id), api.listUsers(c.id)]);
        await Promise.all(subs.map((s) => api.getSubscription(c.id, s.id)));
        expect(skus.every((k) => typeof k.consumedUnits === "number")).toBe(true);
        await Promise.all(users.map((u) => api.listUserLicenses(c.id, u.id)));
      }
      const offers = await api.listOffers("US");
      await Promise.all(offers.map((o) => api.getOffer(o.id, "US")));

      const customer = customers[0].id;
      const offer = offers.find((o) => o.isAvailableForPurchase)!;
      const order = await api.createOrder(customer, { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: offer.id, quantity: 3 }] });
      const [user] = await api.listUsers(customer);
      await api.updateUserLicenses(customer, user.id, { assign: [offer.product.id], remove: [] });
      const bought = await api.getSubscription(customer, order.lineItems[0].subscriptionId!);
      expect((await api.updateSubscription(customer, { ...bought, quantity: 4 })).quantity).toBe(4);
    } finally {
      await sandbox.close();
    }
  });
});

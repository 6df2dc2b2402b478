/**
 * Every success answer vendored from the Partner Center REST reference
 * (test/fixtures/partner-center-examples/, see SOURCES.md there), served verbatim over HTTP to
 * the real client wrapped by `validatedApi`, passes its schema: dates with spaces, mixed-case
 * GUIDs, non-GUID order ids, leading spaces, unknown fields and all. Three examples are not what
 * the service answers, and the test pins exactly why each is refused.
 */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { PartnerCenterApi } from "../../src/partner-center/api.js";
import { InvalidResponseError } from "../../src/partner-center/invalid-response-error.js";
import type { Subscription } from "../../src/partner-center/types.js";
import { validatedApi } from "../../src/partner-center/validated-api.js";
import { EXAMPLES_DIR, example, exampleText, sendJson, useFakeServer } from "../helpers/fake-server.js";
import { CUSTOMER, makeClient, rejectionOf } from "./setup.js";

const SUB = example<Subscription>("03b-subscription-by-id.response.json");
const ORDER = { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: "X", quantity: 1 }] };

/** The call whose answer each example is, and the HTTP status it comes with. */
const CALLS: Record<string, { status: number; call: (api: PartnerCenterApi) => Promise<unknown> }> = {
  "01-customers.response.json": { status: 200, call: (api) => api.listCustomers() },
  "02-customer.response.json": { status: 200, call: (api) => api.getCustomer(CUSTOMER) },
  "03-subscriptions.response.json": { status: 200, call: (api) => api.listSubscriptions(CUSTOMER) },
  "03b-subscription-by-id.response.json": { status: 200, call: (api) => api.getSubscription(CUSTOMER, SUB.id) },
  "03c-subscriptions-newcommerce.patch-2.response.json": { status: 200, call: (api) => api.listSubscriptions(CUSTOMER) },
  "04-suspend-subscription.response.json": { status: 200, call: (api) => api.updateSubscription(CUSTOMER, { ...SUB, status: "suspended" }) },
  "05-change-quantity.response.json": { status: 200, call: (api) => api.updateSubscription(CUSTOMER, { ...SUB, quantity: 2 }) },
  "06-order.response.json": { status: 201, call: (api) => api.createOrder(CUSTOMER, ORDER) },
  "06b-order-indirect-reseller.response.json": { status: 201, call: (api) => api.createOrder(CUSTOMER, ORDER) },
  "06c-order-attestation.patch-2.response.json": { status: 201, call: (api) => api.createOrder(CUSTOMER, ORDER) },
  "07-subscribedskus.response.json": { status: 200, call: (api) => api.listSubscribedSkus(CUSTOMER) },
  "08-users.response.json": { status: 200, call: (api) => api.listUsers(CUSTOMER) },
  "09-user-licenses.response.json": { status: 200, call: (api) => api.listUserLicenses(CUSTOMER, "u1") },
  "10-licenseupdates.response.json": { status: 201, call: (api) => api.updateUserLicenses(CUSTOMER, "u1", { assign: ["a"], remove: [] }) },
  "11-offers.response.json": { status: 200, call: (api) => api.listOffers("US") },
  "11b-offer-by-id.response.json": { status: 200, call: (api) => api.getOffer("o1", "US") },
};

/** Answers of calls pcplan does not make (invoices, upgrades) and error bodies (errors.test.ts reads those). */
const NOT_CALLS = [
  "01b-invoices-next-offset.response.json",
  "01c-invoicelineitems-next-continuationtoken.response.json",
  "01d-invoicelineitems-page2.response.json",
  "05c-change-quantity-newcommerce.error.patch-2.response.json",
  "10b-licenseupdates-no-licenses.error-400.response.json",
  "12-throttling-429.response.json",
  "12b-error-404-partner-not-found.response.json",
  "12c-error-400-with-data.response.json",
  "13-upgrade.response.json",
  "13-upgrades.response.json",
];

const PASCAL_CASE = ["id: missing", "offerId: missing", "quantity: missing", "status: missing", "autoRenewEnabled: missing"];
/**
 * Refused, with the reason. 03 shows no `offerId`, without which pcplan cannot tell which SKU a
 * subscription provisions (the page elides it; the by-id example 03b has it). 04 and 05 are
 * PascalCase copies of the PATCH request body labelled as responses (SOURCES.md says so); the
 * service answers camelCase, as 03b.
 */
const REFUSED: Record<string, string[]> = {
  "03-subscriptions.response.json": ["items[0].offerId: missing"],
  "04-suspend-subscription.response.json": PASCAL_CASE,
  "05-change-quantity.response.json": PASCAL_CASE,
};

describe("the reference's examples against the response schemas", () => {
  const server = useFakeServer();

  it("knows every vendored answer: a call it is the answer of, or not a call pcplan makes", () => {
    const answers = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith(".response.json"));
    expect(answers.sort()).toEqual([...Object.keys(CALLS), ...NOT_CALLS].sort());
  });

  it.each(Object.keys(CALLS))("%s", async (file) => {
    const { status, call } = CALLS[file];
    for (const method of ["GET", "PATCH", "POST"]) server.on(method, /.*/, (_req, res) => sendJson(res, status, exampleText(file)));
    const api = validatedApi(makeClient(server).client);
    if (REFUSED[file]) {
      const err = await rejectionOf(call(api));
      expect(err).toBeInstanceOf(InvalidResponseError);
      expect((err as InvalidResponseError).problems).toEqual(REFUSED[file]);
    } else {
      // The client hands the engine what the service said: every field of the example, lists unwrapped from `items`.
      const body = example<{ items?: unknown[] }>(file);
      const answer = await call(api);
      expect(answer).toEqual(Array.isArray(body.items) ? body.items : body);
    }
  });

  it("keeps the reference's quirks: spaced dates and mixed-case ids pass once 03 has its offerId", async () => {
    const body = example("03-subscriptions.response.json");
    body.items[0].offerId = "0CCA44D6-68E9-4762-94EE-31ECE98783B9";
    server.on("GET", /.*/, (_req, res) => sendJson(res, 200, body));
    const [sub] = await validatedApi(makeClient(server).client).listSubscriptions(CUSTOMER);
    expect(sub.commitmentEndDate).toBe("2016-12-12T08: 00: 00Z");
    expect(sub.offerId).toBe("0CCA44D6-68E9-4762-94EE-31ECE98783B9");
  });
});

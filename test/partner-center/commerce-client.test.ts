/**
 * The new-commerce client methods on the wire: paths, query names, request bodies and request
 * ids, and the reference's payloads read back (a wire-level fake server on 127.0.0.1).
 */
import { describe, expect, it } from "vitest";
import {
  CartLineItemError,
  OrderCheckoutError,
  assertCartAccepted,
  assertCheckoutSucceeded,
  cartLineItemErrors,
  checkoutOrderErrors,
} from "../../src/partner-center/commerce-errors.js";
import { isCatalogItemId, provisioningIdResolver } from "../../src/partner-center/catalog-item-sku.js";
import { BadResponseError } from "../../src/partner-center/errors.js";
import { transitionState } from "../../src/partner-center/transition-wire.js";
import type { Cart, CartCheckoutResult } from "../../src/partner-center/types.js";
import { sendJson, useFakeServer } from "../helpers/fake-server.js";
import {
  AVAILABILITIES_BUSINESS_BASIC,
  CART_CREATED,
  ELIGIBILITIES,
  ORDER_PENDING,
  PROVISIONING_STATUS,
  SKU_BUSINESS_BASIC,
  TRANSITIONS,
  TRANSITION_STARTED,
} from "./nce-examples.js";
import { CUSTOMER, makeClient, rejectionOf } from "./setup.js";

const SUB = "a4c1340d-6911-4758-bba3-0c4c6007d161";
const base = `/v1/customers/${CUSTOMER}`;

describe("new-commerce catalog", () => {
  const server = useFakeServer({ expectAllUsed: true });

  it("reads a product, a SKU with its provisioningId and the availabilities with their terms, per country and segment", async () => {
    server.once("GET", "/v1/products/CFQ7TTC0LH18", (_r, res) =>
      sendJson(res, 200, {
        id: "CFQ7TTC0LH18",
        title: "Microsoft 365 Business Basic",
        productType: { id: "OnlineServicesNCE", displayName: "OnlineServicesNCE" },
      }),
    );
    server.once("GET", "/v1/products/CFQ7TTC0LH18/skus/0001", (_r, res) => sendJson(res, 200, SKU_BUSINESS_BASIC));
    server.once("GET", "/v1/products/CFQ7TTC0LH18/skus/0001/availabilities", (_r, res) => sendJson(res, 200, AVAILABILITIES_BUSINESS_BASIC));
    server.once("GET", "/v1/products/CFQ7TTC0LH18/skus/0001/availabilities", (_r, res) => sendJson(res, 200, AVAILABILITIES_BUSINESS_BASIC));
    const { client } = makeClient(server);

    expect((await client.getProduct("CFQ7TTC0LH18", "US")).title).toBe("Microsoft 365 Business Basic");
    const sku = await client.getSku("CFQ7TTC0LH18", "0001", "US");
    expect(sku.dynamicAttributes?.provisioningId).toBe("3b555118-da6a-4418-894f-7df1e2096870");
    expect([sku.minimumQuantity, sku.maximumQuantity]).toEqual([1, 300]);
    const [a] = await client.listAvailabilities("CFQ7TTC0LH18", "0001", "US");
    expect(a).toMatchObject({ catalogItemId: "CFQ7TTC0LH18:0001:CFQ7TTC0K971", isPurchasable: true });
    expect(a.terms[0]).toMatchObject({ duration: "P1Y", billingCycle: "Annual", cancellationPolicies: [{ refundOptions: [{ type: "Full" }] }] });
    await client.listAvailabilities("CFQ7TTC0LH18", "0001", "GB", "commercial");

    expect(server.requests.map((r) => r.url)).toEqual([
      "/v1/products/CFQ7TTC0LH18?country=US",
      "/v1/products/CFQ7TTC0LH18/skus/0001?country=US",
      "/v1/products/CFQ7TTC0LH18/skus/0001/availabilities?country=US",
      "/v1/products/CFQ7TTC0LH18/skus/0001/availabilities?country=GB&targetSegment=commercial",
    ]);
  });
});

describe("carts, checkout and orders", () => {
  const server = useFakeServer({ expectAllUsed: true });

  it("creates a cart with the given request id, reads it back and checks it out without a body", async () => {
    server.once("POST", `${base}/carts`, (_r, res) => sendJson(res, 201, CART_CREATED));
    server.once("GET", `${base}/carts/${CART_CREATED.id}`, (_r, res) => sendJson(res, 200, CART_CREATED));
    server.once("POST", `${base}/carts/${CART_CREATED.id}/checkout`, (_r, res) => sendJson(res, 201, { orders: [ORDER_PENDING] }));
    const { client } = makeClient(server);
    const lineItems = [{ id: 0, catalogItemId: "CFQ7TTC0LFLZ:0002:CFQ7TTC0K4TS", quantity: 1, billingCycle: "monthly", termDuration: "P1M" }];

    const cart = await client.createCart(CUSTOMER, { lineItems }, { requestId: "cart-req-1" });
    expect(cart).toMatchObject({ id: CART_CREATED.id, status: "Active", lineItems: [{ orderGroup: "0" }] });
    expect((await client.getCart(CUSTOMER, cart.id)).status).toBe("Active");
    const result = await client.checkoutCart(CUSTOMER, cart.id, { requestId: "checkout-req-1" });

    const [create, , checkout] = server.requests;
    // The partner-of-record attestation create-a-cart's request carries (a cart line is refused 10012 without it).
    expect(create.json).toEqual({ PartnerOnRecordAttestationAccepted: true, lineItems });
    expect(create.headers["ms-requestid"]).toBe("cart-req-1");
    // The headers page marks MS-Contract-Version required.
    expect([create.headers["ms-contract-version"], checkout.headers["ms-contract-version"]]).toEqual(["v1", "v1"]);
    expect(checkout.headers["ms-requestid"]).toBe("checkout-req-1");
    expect(checkout.body).toBe("");
    expect(checkout.headers["content-type"]).toBeUndefined();
    // orderErrors was absent on the wire; the client always returns both lists.
    expect(result.orderErrors).toEqual([]);
    expect(result.orders[0]).toMatchObject({ id: "5cf72f146967", status: "pending" });
  });

  it("lists orders, reads one and its provisioning status", async () => {
    server.once("GET", `${base}/orders`, (_r, res) => sendJson(res, 200, { totalCount: 1, items: [ORDER_PENDING], attributes: { objectType: "Collection" } }));
    server.once("GET", `${base}/orders/5cf72f146967`, (_r, res) => sendJson(res, 200, ORDER_PENDING));
    server.once("GET", `${base}/orders/5cf72f146967/provisioningstatus`, (_r, res) => sendJson(res, 200, PROVISIONING_STATUS));
    const { client } = makeClient(server);
    expect((await client.listOrders(CUSTOMER)).map((o) => o.status)).toEqual(["pending"]);
    expect((await client.getOrder(CUSTOMER, "5cf72f146967")).lineItems[0].offerId).toBe("CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P");
    expect(await client.getOrderProvisioningStatus(CUSTOMER, "5cf72f146967")).toEqual([expect.objectContaining({ lineItemNumber: 0, status: "fulfilled" })]);
  });
});

describe("cart and checkout errors", () => {
  const cart: Cart = {
    id: "cart-7",
    status: "Active",
    lineItems: [
      { id: 0, catalogItemId: "CFQ7TTC0LDPB:0001:CFQ7TTC0LGNT", quantity: 5, billingCycle: "monthly", orderGroup: "0" },
      {
        id: 1,
        catalogItemId: "NOPE:0001:X",
        quantity: 2,
        billingCycle: "monthly",
        orderGroup: "1",
        error: { errorCode: 10001, errorDescription: "Catalog item id is not valid" },
      },
      {
        id: 2,
        catalogItemId: "CFQ7TTC0LH18:0001:CFQ7TTC0K971",
        quantity: 400,
        billingCycle: "monthly",
        error: { errorCode: "QuotaNotAvailable", errorDescription: "Not enough quota available" },
      },
    ],
  };

  it("names the customer, the catalog item and Microsoft's code for each refused line, by number or by name", () => {
    const errors = cartLineItemErrors(CUSTOMER, cart);
    expect(errors.map((e) => [e.lineItemId, e.catalogItemId, e.msCode])).toEqual([
      [1, "NOPE:0001:X", "10001"],
      [2, "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "10002"],
    ]);
    expect(errors[0].message).toBe(
      `Customer ${CUSTOMER}: Partner Center refused cart cart-7 line 1 (catalog item NOPE:0001:X): 10001 CatalogItemIdIsNotValid: Catalog item id is not valid`,
    );
    expect(errors[0].code).toBe("PC_CART_LINE_ITEM");
    expect(() => assertCartAccepted(CUSTOMER, cart)).toThrow(/line 1 .*\(and 1 more\)$/);
    expect(() => assertCartAccepted(CUSTOMER, { ...cart, lineItems: [cart.lineItems[0]] })).not.toThrow();
  });

  it("maps orderErrors to the catalog items of their order group", () => {
    const result: CartCheckoutResult = {
      orders: [],
      orderErrors: [{ orderGroupId: "0", code: 800069, description: "Order failed Risk Management check" }],
    };
    const [e] = checkoutOrderErrors(CUSTOMER, cart, result);
    expect(e).toBeInstanceOf(OrderCheckoutError);
    expect(e.message).toContain(`Customer ${CUSTOMER}`);
    expect(e.message).toContain("CFQ7TTC0LDPB:0001:CFQ7TTC0LGNT");
    expect(e.msCode).toBe("800069");
    expect(() => assertCheckoutSucceeded(CUSTOMER, cart, result)).toThrow(OrderCheckoutError);
    expect(() => assertCheckoutSucceeded(CUSTOMER, cart, { orders: [], orderErrors: [] })).not.toThrow();
    expect(() => assertCartAccepted(CUSTOMER, cart)).toThrow(CartLineItemError);
  });
});

describe("transitions", () => {
  const server = useFakeServer({ expectAllUsed: true });

  it("reads eligibilities with eligibilityType and posts a transition, reading the reference's `Events` casing", async () => {
    server.once("GET", `${base}/subscriptions/${SUB}/transitionEligibilities`, (_r, res) => sendJson(res, 200, ELIGIBILITIES));
    server.once("POST", `${base}/subscriptions/${SUB}/transitions`, (_r, res) => sendJson(res, 200, TRANSITION_STARTED));
    const { client } = makeClient(server);
    const [first] = await client.listTransitionEligibilities(CUSTOMER, SUB, "immediate");
    expect(first.eligibilities.find((e) => e.transitionType === "transition_with_license_transfer")).toMatchObject({
      isEligible: false,
      errors: [{ code: 3 }],
    });
    const body = {
      toCatalogItemId: "CFQ7TTC0LF8R:0001:CFQ7TTC0KCSV",
      quantity: 2,
      termDuration: "P1M",
      billingCycle: "Monthly",
      transitionType: "transition_only",
    };
    const t = await client.createTransition(CUSTOMER, SUB, body, { requestId: "tr-1" });
    expect(server.requests[0].url).toBe(`${base}/subscriptions/${SUB}/transitionEligibilities?eligibilityType=immediate`);
    expect(server.requests[1].json).toEqual(body);
    expect(server.requests[1].headers["ms-requestid"]).toBe("tr-1");
    expect(t.events).toEqual([expect.objectContaining({ name: "Conversion", status: "Started " })]);
    expect(transitionState(t)).toBe("inProgress");
  });

  it("lists transitions by operationId from the reference's `transition` list with PascalCase keys", async () => {
    server.once("GET", `${base}/subscriptions/${SUB}/transitions`, (_r, res) => sendJson(res, 200, TRANSITIONS));
    const { client } = makeClient(server);
    const [t] = await client.listTransitions(CUSTOMER, SUB, "1caf8ec7-62cc-4ab5-b35d-572d2a62974c");
    expect(server.requests[0].url).toBe(`${base}/subscriptions/${SUB}/transitions?operationId=1caf8ec7-62cc-4ab5-b35d-572d2a62974c`);
    expect(t).toMatchObject({ fromCatalogItemId: "CFQ7TTC0LDPB:0001:CFQ7TTC0LGNT", toCatalogItemId: "CFQ7TTC0LF8S:0001:CFQ7TTC0K9G9" });
    expect(t.events.map((e) => e.status)).toEqual(["Started ", "Completed"]);
    // The reference's example for a licence transfer: Conversion Started, then Completed — done (no other event reports the move).
    expect(transitionState(t)).toBe("completed");
    expect(transitionState({ ...t, events: t.events.slice(0, 1) })).toBe("inProgress");
    expect(transitionState({ ...t, events: [{ name: "SeatReassignment", status: "Completed" }] })).toBe("inProgress");
    expect(transitionState({ ...t, events: [{ name: "Conversion", status: "FAILED" }] })).toBe("failed");
    expect(transitionState({ events: [{ name: "conversion", status: " Completed" }] })).toBe("completed");
  });

  it("fails with BadResponseError when the listing has neither `transition` nor `items`", async () => {
    server.once("GET", `${base}/subscriptions/${SUB}/transitions`, (_r, res) => sendJson(res, 200, { attributes: { objectType: "Collection" } }));
    const { client } = makeClient(server);
    expect(await rejectionOf(client.listTransitions(CUSTOMER, SUB))).toBeInstanceOf(BadResponseError);
  });
});

describe("provisioningIdResolver", () => {
  const server = useFakeServer();

  it("reads each product:sku once, ignores the availability part, and tells 404 (undefined) from no provisioningId (null)", async () => {
    server.on("GET", "/v1/products/CFQ7TTC0LH18/skus/0001", (_r, res) => sendJson(res, 200, SKU_BUSINESS_BASIC));
    server.on("GET", "/v1/products/GONE/skus/0001", (_r, res) => sendJson(res, 404, { code: 1000, description: "not found" }));
    server.on("GET", "/v1/products/BARE/skus/0001", (_r, res) => sendJson(res, 200, { ...SKU_BUSINESS_BASIC, dynamicAttributes: {} }));
    server.on("GET", "/v1/products/BROKEN/skus/0001", (_r, res) => sendJson(res, 400, { code: 400056, description: "bad" }));
    const { client } = makeClient(server);
    const skuOf = provisioningIdResolver(client, "US");
    expect(isCatalogItemId("CFQ7TTC0LH18:0001:CFQ7TTC0K971")).toBe(true);
    expect(isCatalogItemId("EBEF8854-8E9D-454E-99C9-92989D778AD3")).toBe(false);
    const ids = await Promise.all([skuOf("CFQ7TTC0LH18:0001:CFQ7TTC0K971"), skuOf("cfq7ttc0lh18:0001:OTHERAVAIL")]);
    expect(ids).toEqual(["3b555118-da6a-4418-894f-7df1e2096870", "3b555118-da6a-4418-894f-7df1e2096870"]);
    expect(await skuOf("GONE:0001:X")).toBeUndefined();
    expect(await skuOf("BARE:0001:X")).toBeNull();
    await expect(skuOf("BROKEN:0001:X")).rejects.toThrow(/400056/);
    expect(server.requests.map((r) => r.path)).toEqual([
      "/v1/products/CFQ7TTC0LH18/skus/0001",
      "/v1/products/GONE/skus/0001",
      "/v1/products/BARE/skus/0001",
      "/v1/products/BROKEN/skus/0001",
    ]);
  });
});

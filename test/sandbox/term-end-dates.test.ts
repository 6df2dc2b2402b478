/**
 * The sandbox's custom term end dates (custom-term-end-dates) and co-termed carts: the dates it
 * allows a purchase of a term on its clock, the query's filters and refusals, a cart line whose
 * `customTermEndDate` is not one of them refused (10010), and a bought subscription ending then.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../../src/sandbox/index.js";
import { ITEM, N, call, cartBody, startDemo, subscriptions } from "./helpers/sandbox.js";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

/** Alpine Ski House's Business Basic: new commerce, P1Y, ends today+P360D (2027-11-19; the clock is 2026-11-24). */
const ALPINE_SOURCE = "2a1da50c-dbc5-57bc-a87a-16c7289ce76b";
const ends = (customerId: string, query: string) => call(sb, "GET", `/customers/${customerId}/subscriptions/customTermEndDates?${query}`);
const coTermed = (date: string) => {
  const body = cartBody(ITEM.standardUS, 8);
  return { ...body, lineItems: body.lineItems.map((l) => ({ ...l, customTermEndDate: date })) };
};

describe("custom term end dates", () => {
  it("lists a calendar month's end and the customer's new-commerce term ends within the term, as the reference shapes them", async () => {
    sb = await startDemo();
    const res = await ends(N.alpine, "term_duration=P1Y");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalCount: 2, attributes: { objectType: "Collection" } });
    expect(res.body.items).toEqual([
      { allowedCustomTermEndDateType: "calendarMonthAligned", allowedCustomTermEndDate: "2027-10-31T00:00:00" },
      { allowedCustomTermEndDateType: "subscriptionAligned", cotermSubscriptionIds: [ALPINE_SOURCE], allowedCustomTermEndDate: "2027-11-19T00:00:00" },
    ]);
    // A month's term ends before the source does: only the month's end is offered.
    expect((await ends(N.alpine, "term_duration=P1M")).body.items).toEqual([
      { allowedCustomTermEndDateType: "calendarMonthAligned", allowedCustomTermEndDate: "2026-11-30T00:00:00" },
    ]);
  });

  it("filters by target_coterm_subscription_id, and refuses a missing term or a start in the past", async () => {
    sb = await startDemo();
    expect((await ends(N.alpine, `term_duration=P1Y&target_coterm_subscription_id=${ALPINE_SOURCE}`)).body.items).toEqual([
      expect.objectContaining({ allowedCustomTermEndDateType: "subscriptionAligned", allowedCustomTermEndDate: "2027-11-19T00:00:00" }),
    ]);
    expect((await ends(N.alpine, "term_duration=P2Y")).status).toBe(400);
    expect((await ends(N.alpine, "term_duration=P1Y&term_start_date=2026-11-01")).status).toBe(400);
  });

  it("refuses a cart line whose customTermEndDate it does not offer (10010), and its checkout", async () => {
    sb = await startDemo();
    const cart = await call(sb, "POST", `/customers/${N.alpine}/carts`, { body: coTermed("2027-11-18T00:00:00Z") });
    expect(cart.status).toBe(201);
    expect(cart.body.lineItems[0].error).toMatchObject({ errorCode: 10010, errorDescription: expect.stringContaining("custom term end date 2027-11-18") });
    const checkout = await call(sb, "POST", `/customers/${N.alpine}/carts/${cart.body.id}/checkout`);
    expect(checkout.status).toBe(400);
    expect(sb.changes.filter((c) => c.kind === "order")).toEqual([]);
  });

  it("buys a co-termed subscription: its commitmentEndDate is the date the cart line named", async () => {
    sb = await startDemo();
    const cart = await call(sb, "POST", `/customers/${N.alpine}/carts`, { body: coTermed("2027-11-19T00:00:00") });
    expect(cart.body.lineItems[0]).toMatchObject({ customTermEndDate: "2027-11-19T00:00:00" });
    expect(cart.body.lineItems[0].error).toBeUndefined();
    expect((await call(sb, "POST", `/customers/${N.alpine}/carts/${cart.body.id}/checkout`)).status).toBe(201);
    const bought = (await subscriptions(sb, N.alpine)).find((s) => s.offerId === ITEM.standardUS);
    expect(bought).toMatchObject({ quantity: 8, termDuration: "P1Y", commitmentEndDate: "2027-11-19T00:00:00Z" });
  });
});

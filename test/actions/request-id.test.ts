/**
 * The request ids that let the service replay a write a crashed run sends again: a GUID of the
 * shape MS-RequestId takes, the same for the same write from the same state, different for any
 * other write.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kindOf } from "../../src/actions/registry.js";
import { derivedGuid } from "../../src/actions/request-id.js";
import type { Action } from "../../src/reconcile/types.js";
import { SKU } from "../reconcile/model.js";

/** The id main gave this new-commerce purchase before `purchase.termEnd` (commit c591033). */
const NCE_ID_BEFORE_TERM_END = "bdcacd19-42f1-5df0-ba44-1029a3c476ad";
const VERSION_5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("derived request ids", () => {
  it("are version-5-shaped GUIDs, the same for the same parts", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 5 }), (parts) => {
        const id = derivedGuid(...parts);
        expect(id).toMatch(VERSION_5);
        expect(derivedGuid(...parts)).toBe(id);
      }),
    );
  });

  it("differ when any part differs, and parts do not run into each other", () => {
    const ids = [derivedGuid("a", "bc"), derivedGuid("ab", "c"), derivedGuid("abc"), derivedGuid("a", "b", "c"), derivedGuid("a", "bd")];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("for a purchase: one id per customer, item, seats and the state of that item's subscriptions — never of the others (issue 22)", () => {
    const legacy: Action = { kind: "purchase", commerce: "legacy", offerId: "offer-1", offerName: "F3", sku: SKU.DESKLESSPACK, quantity: 3 };
    const nce: Action = {
      kind: "purchase",
      commerce: "new",
      catalogItem: "CFQ7TTC0LGZW:0001",
      title: "F3",
      term: "P1Y",
      billing: "monthly",
      country: "US",
      sku: SKU.DESKLESSPACK,
      quantity: 3,
    };
    const other = { id: "s-other", offerId: "CFQ7TTC0LH18:0001:CFQ7TTC0LH0R", status: "active", quantity: 4 };
    const earlierOfItem = { id: "s-old", offerId: "offer-1", status: "deleted", quantity: 3 };
    const id = (a: Action, customer = "c1", subscriptions = [other]) => kindOf(a).derivedRequestId?.(customer, a, subscriptions);
    expect(id(legacy)).toBe(id({ ...legacy, offerName: "renamed" }));
    // An unrelated subscription changing (seats, status, a new one) leaves the id as it was.
    expect(id(legacy, "c1", [{ ...other, quantity: 9 }])).toBe(id(legacy));
    expect(id(legacy, "c1", [])).toBe(id(legacy));
    expect(
      id(nce, "c1", [
        { ...other, status: "suspended" },
        { ...other, id: "s-new" },
      ]),
    ).toBe(id(nce));
    // Stable across pcplan versions too: a run after an upgrade replays what the last one sent.
    expect(id(legacy)).toBe("80a9e4f3-196b-55eb-af5a-3e03be857c0c");
    // A purchase bought for its full term keeps the id it had before co-terming existed; the same end date, the same id.
    expect(id(nce)).toBe(NCE_ID_BEFORE_TERM_END);
    const coTermed: Action = { ...nce, termEnd: { date: "2027-03-31T00:00:00", aligned: "source" } };
    expect(id(coTermed)).toBe(id({ ...coTermed }));
    const variants = [
      id(legacy),
      id(legacy, "c2"),
      id(legacy, "c1", [other, earlierOfItem]),
      id(nce, "c1", [other, { ...earlierOfItem, offerId: "cfq7ttc0lgzw:0001:cfq7ttc0k5dq" }]),
      id({ ...legacy, quantity: 4 }),
      id({ ...legacy, offerId: "offer-2" }),
      id(nce),
      id({ ...nce, term: "P3Y" }),
      id({ ...nce, billing: "annual" }),
      id({ ...nce, country: "GB" }),
      id({ ...nce, catalogItem: "CFQ7TTC0LGZW:0002" }),
      // Co-termed (purchase.termEnd): another first-term end is another purchase.
      id({ ...nce, termEnd: { date: "2027-03-31T00:00:00", aligned: "source" } }),
      id({ ...nce, termEnd: { date: "2027-02-28T00:00:00", aligned: "calendar-month" } }),
    ];
    for (const v of variants) expect(v).toMatch(VERSION_5);
    expect(new Set(variants).size).toBe(variants.length);
  });

  it("for a transition: one id per subscription, target, seats and state; other kinds get a fresh id per write", () => {
    const t: Action = {
      kind: "transition",
      subscriptionId: "s1",
      from: SKU.MCOIMP,
      to: SKU.DESKLESSPACK,
      toCatalogItemId: "X:1:A",
      quantity: 2,
      term: "P1Y",
      billing: "monthly",
      users: 2,
    };
    const s1 = { id: "s1", offerId: "X:1:S", status: "active", quantity: 2 };
    const id = (a: Action, subscriptions = [s1]) => kindOf(a).derivedRequestId?.("c1", a, subscriptions);
    expect(id(t, [s1, { id: "s9", offerId: "Y:1:A", status: "active", quantity: 7 }])).toBe(id(t));
    const variants = [
      id(t),
      id(t, [{ ...s1, quantity: 3 }]),
      id({ ...t, subscriptionId: "s2" }),
      id({ ...t, toCatalogItemId: "X:1:B" }),
      id({ ...t, quantity: 3 }),
    ];
    expect(new Set(variants).size).toBe(variants.length);
    expect(id({ ...t, users: 5 })).toBe(id(t));
    for (const kind of ["resize", "reassign", "suspend", "cancel", "no-renew"]) expect(kindOf(kind) && "derivedRequestId" in kindOf(kind)!).toBe(false);
  });
});

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

  it("for a purchase: one id per customer, item, seats and the state it was planned from", () => {
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
    const id = (a: Action, customer = "c1", basis = "sha256:1") => kindOf(a).derivedRequestId?.(customer, a, basis);
    expect(id(legacy)).toBe(id({ ...legacy, offerName: "renamed" }));
    // Stable across pcplan versions too: a run after an upgrade replays what the last one sent.
    expect(id(legacy)).toBe("b2630e38-2877-5249-af7c-a21e37abc633");
    const variants = [
      id(legacy),
      id(legacy, "c2"),
      id(legacy, "c1", "sha256:2"),
      id({ ...legacy, quantity: 4 }),
      id({ ...legacy, offerId: "offer-2" }),
      id(nce),
      id({ ...nce, term: "P3Y" }),
      id({ ...nce, billing: "annual" }),
      id({ ...nce, country: "GB" }),
      id({ ...nce, catalogItem: "CFQ7TTC0LGZW:0002" }),
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
    const id = (a: Action, basis = "sha256:1") => kindOf(a).derivedRequestId?.("c1", a, basis);
    const variants = [id(t), id(t, "sha256:2"), id({ ...t, subscriptionId: "s2" }), id({ ...t, toCatalogItemId: "X:1:B" }), id({ ...t, quantity: 3 })];
    expect(new Set(variants).size).toBe(variants.length);
    expect(id({ ...t, users: 5 })).toBe(id(t));
    for (const kind of ["resize", "reassign", "suspend", "cancel", "no-renew"]) expect(kindOf(kind) && "derivedRequestId" in kindOf(kind)!).toBe(false);
  });
});

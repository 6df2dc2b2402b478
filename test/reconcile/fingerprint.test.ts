/**
 * The digests a saved plan and a purchase rest on: the customer fingerprint (`apply FILE`
 * refuses a customer whose fingerprint moved) and the commerce basis (a purchase refuses when
 * the customer's subscriptions changed, and derives its request id from it). Each must move
 * with every fact a decision rests on, and stay put under mere reordering or casing.
 */
import { describe, expect, it } from "vitest";
import type { PurchaseSettings } from "../../src/plan-file/types.js";
import { catalogKey } from "../../src/model/catalog-key.js";
import { commerceBasis } from "../../src/reconcile/commerce-basis.js";
import { addDays, daysBetween, earliest } from "../../src/util/dates.js";
import { fingerprintCustomer } from "../../src/reconcile/fingerprint.js";
import type { LiveCustomer, LiveSubscription } from "../../src/reconcile/types.js";
import { MODEL_NOW, SKU, daysFrom, toLive } from "./model.js";

function live(): LiveCustomer {
  return toLive(
    {
      id: "c1",
      name: "Contoso",
      subs: [
        {
          id: "s-1",
          skuId: SKU.MCOIMP.skuId,
          quantity: 2,
          status: "active",
          commerce: "nce",
          cancellationAllowedUntil: daysFrom(MODEL_NOW, 2),
          commitmentEndDate: "2027-03-31T00:00:00Z",
        },
        { id: "s-2", skuId: SKU.DESKLESSPACK.skuId, quantity: 1, status: "active" },
      ],
      users: [
        { id: "u1", upn: "A@contoso.onmicrosoft.com", skuIds: [SKU.MCOIMP.skuId, SKU.EMS.skuId] },
        { id: "u2", upn: "b@contoso.onmicrosoft.com", skuIds: [SKU.MCOIMP.skuId] },
      ],
    },
    SKU.MCOIMP.skuId,
  );
}

const withSub = (lc: LiveCustomer, over: Partial<LiveSubscription>): LiveCustomer => ({
  ...lc,
  subscriptions: lc.subscriptions.map((s, i) => (i === 0 ? { ...s, ...over } : s)),
});

describe("customer fingerprint", () => {
  const base = fingerprintCustomer(live());

  it("is a sha256 digest that does not depend on the order things were read in, nor on the case of a sign-in name", () => {
    expect(base).toMatch(/^sha256:[0-9a-f]{64}$/);
    const lc = live();
    const shuffled: LiveCustomer = {
      ...lc,
      subscriptions: [...lc.subscriptions].reverse(),
      skus: [...lc.skus].reverse(),
      users: [...lc.users!].reverse().map((u) => ({ ...u, upn: u.upn.toUpperCase(), skuIds: [...u.skuIds].reverse() })),
    };
    expect(fingerprintCustomer(shuffled)).toBe(base);
  });

  it.each<[string, Partial<LiveSubscription>]>([
    ["status", { status: "suspended" }],
    ["seats", { quantity: 3 }],
    ["auto-renew", { autoRenewEnabled: false }],
    ["cancellation window", { cancellationAllowedUntil: daysFrom(MODEL_NOW, 1) }],
    ["term end", { commitmentEndDate: "2027-04-30T00:00:00Z" }],
    ["commerce", { commerce: "legacy" }],
    ["offer", { offerId: "other" }],
    ["licence SKU", { skuId: SKU.EMS.skuId }],
    ["id", { id: "s-0" }],
  ])("moves when a subscription's %s changes", (_what, over) => {
    expect(fingerprintCustomer(withSub(live(), over))).not.toBe(base);
  });

  it("stays put when a fact no action rests on changes (the creation date, the billing cycle)", () => {
    expect(fingerprintCustomer(withSub(live(), { creationDate: "2020-01-01T00:00:00Z", billingCycle: "annual" }))).toBe(base);
  });

  it("moves with the customer, the subscribed-SKU counts and the holders' licences", () => {
    const lc = live();
    expect(fingerprintCustomer({ ...lc, id: "c2" })).not.toBe(base);
    expect(fingerprintCustomer({ ...lc, skus: lc.skus.map((k, i) => (i === 0 ? { ...k, consumedUnits: k.consumedUnits + 1 } : k)) })).not.toBe(base);
    expect(fingerprintCustomer({ ...lc, skus: lc.skus.map((k, i) => (i === 0 ? { ...k, totalUnits: k.totalUnits + 1 } : k)) })).not.toBe(base);
    expect(fingerprintCustomer({ ...lc, skus: lc.skus.map((k, i) => (i === 0 ? { ...k, skuId: SKU.M365_F1.skuId } : k)) })).not.toBe(base);
    expect(fingerprintCustomer({ ...lc, users: lc.users!.map((u, i) => (i === 0 ? { ...u, skuIds: [SKU.MCOIMP.skuId] } : u)) })).not.toBe(base);
    expect(fingerprintCustomer({ ...lc, users: lc.users!.map((u, i) => (i === 0 ? { ...u, id: "u9" } : u)) })).not.toBe(base);
    expect(fingerprintCustomer({ ...lc, users: lc.users!.map((u, i) => (i === 0 ? { ...u, upn: "z@contoso.onmicrosoft.com" } : u)) })).not.toBe(base);
    // Users not read (nobody consumed the source) is not the same as none found.
    expect(fingerprintCustomer({ ...lc, users: undefined })).not.toBe(fingerprintCustomer({ ...lc, users: [] }));
  });
});

describe("commerce basis", () => {
  const subs = [
    { id: "S-1", offerId: "Offer-A", status: "Active", quantity: 2 },
    { id: "s-2", offerId: "offer-b", status: "suspended", quantity: 1 },
  ];

  it("is the same from the wire's answer and from the live model: ids, offers and statuses in any case, order or padding", () => {
    const wire = [
      { id: " s-2", offerId: " OFFER-B ", status: "Suspended ", quantity: 1 },
      { id: "s-1", offerId: "offer-a", status: "active", quantity: 2 },
    ];
    expect(commerceBasis(wire)).toBe(commerceBasis(subs));
    expect(commerceBasis(subs)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each<[string, (typeof subs)[number]]>([
    ["id", { ...subs[0], id: "s-3" }],
    ["offer", { ...subs[0], offerId: "offer-c" }],
    ["status", { ...subs[0], status: "pending" }],
    ["seats", { ...subs[0], quantity: 3 }],
  ])("moves with a subscription's %s", (_what, changed) => {
    expect(commerceBasis([changed, subs[1]])).not.toBe(commerceBasis(subs));
  });

  it("moves when a subscription appears (another run bought one)", () => {
    expect(commerceBasis([...subs, { id: "s-0", offerId: "offer-a", status: "active", quantity: 1 }])).not.toBe(commerceBasis(subs));
  });
});

describe("dates", () => {
  it("counts whole calendar days (UTC), whatever the time of day", () => {
    expect(daysBetween("2026-11-24T23:59:00Z", "2026-11-25T00:01:00Z")).toBe(1);
    expect(daysBetween("2026-11-24T00:00:00Z", "2026-11-24T23:00:00Z")).toBe(0);
    expect(daysBetween("2026-11-24", "2026-11-20T12:00:00Z")).toBe(-4);
    expect(daysBetween("2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z")).toBe(2);
  });

  it("adds days to an instant and gives the date", () => {
    expect(addDays("2026-11-24T00:00:00Z", 120)).toBe("2027-03-24");
    expect(addDays("2026-11-24T23:30:00Z", 1)).toBe("2026-11-25");
  });

  it("finds the earliest parseable date as it was given, skipping missing and unreadable ones", () => {
    expect(earliest(["2027-03-31T00:00:00Z", undefined, "nonsense", "2027-01-01T00:00:00Z", "2027-02-01"])).toBe("2027-01-01T00:00:00Z");
    expect(earliest([undefined, "nonsense"])).toBeUndefined();
    expect(earliest([])).toBeUndefined();
    expect(earliest(["2027-01-01T00:00:00Z", "2027-01-01"])).toBe("2027-01-01T00:00:00Z");
  });
});

describe("catalog key", () => {
  const pc = (over: Partial<PurchaseSettings> = {}, skuId = SKU.DESKLESSPACK.skuId) => ({
    target: { ...SKU.DESKLESSPACK, skuId },
    purchase: { term: "P1Y", billing: "monthly", country: "GB", catalogItem: "CFQ7TTC0LGZW:0001", commerce: "new", ...over } satisfies PurchaseSettings,
  });

  it("is one key for one catalog answer, however the plan cases the item and the country", () => {
    expect(catalogKey(pc({ catalogItem: "cfq7ttc0lgzw:0001", country: "gb" }), "US")).toBe(catalogKey(pc(), "US"));
    expect(catalogKey(pc({ country: undefined }), "gb")).toBe(catalogKey(pc(), "US"));
  });

  it("tells apart everything the answer depends on", () => {
    const keys = [
      pc(),
      pc({}, SKU.M365_F1.skuId),
      pc({ catalogItem: undefined }),
      pc({ catalogItem: "CFQ7TTC0LGZW:0002" }),
      pc({ country: "US" }),
      pc({ term: "P3Y" }),
      pc({ billing: "annual" }),
      // Fields that run into each other if they were simply joined.
      pc({ catalogItem: "AB", country: "CD" }),
      pc({ catalogItem: "ABC", country: "D" }),
    ].map((p) => catalogKey(p, "US"));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

/**
 * What each action kind declares (src/actions/<kind>.ts) as a reviewer and the tools see it:
 * the preview line and marker, the documented JSON, the saved-plan shape check, what the audit
 * log names as the write's subject, the step order, and `--diff`'s model of its effect.
 */
import { describe, expect, it } from "vitest";
import { ACTION_KINDS, actionSchema, countKinds, describeCounts, kindOf, stepOf, totalOf, zeroCounts } from "../../src/actions/registry.js";
import { compileCheck, objectOf } from "../../src/util/json-schema.js";
import { STEPS } from "../../src/actions/types.js";
import { markerOf } from "../../src/render/describe.js";
import { renderLicenseDiff } from "../../src/render/license-diff.js";
import type { Action } from "../../src/reconcile/types.js";
import { SKU, customerPlanOf, toLive } from "../reconcile/model.js";

const SUB = "11111111-1111-4111-8111-111111111111";
const USER = "33333333-3333-4333-8333-000000000001";
const NOW = { now: "2026-11-24T00:00:00Z" };

const purchaseLegacy: Action = {
  kind: "purchase",
  commerce: "legacy",
  offerId: "39527949-870e-4d02-b3b7-8491f762fa78",
  offerName: "Office 365 F3",
  sku: SKU.DESKLESSPACK,
  quantity: 4,
};
const purchaseNew: Action = {
  kind: "purchase",
  commerce: "new",
  catalogItem: "CFQ7TTC0LGZW:0001",
  title: "Office 365 F3",
  term: "P1Y",
  billing: "monthly",
  country: "US",
  sku: SKU.DESKLESSPACK,
  quantity: 4,
};
const resize: Action = { kind: "resize", subscriptionId: SUB, sku: SKU.DESKLESSPACK, from: 0, to: 6 };
const reassign: Action = { kind: "reassign", userId: USER, upn: "alex@contoso.onmicrosoft.com", assign: SKU.DESKLESSPACK, remove: SKU.MCOIMP };
const reassignRemoveOnly: Action = { ...reassign, assign: null };
const suspend: Action = { kind: "suspend", subscriptionId: SUB, sku: SKU.MCOIMP, quantity: 0, commitmentEndDate: "2026-12-15T00:00:00Z" };
const cancel: Action = { kind: "cancel", subscriptionId: SUB, sku: SKU.MCOIMP, quantity: 4, cancellationAllowedUntil: "2026-11-30T12:34:56Z" };
const noRenew: Action = { kind: "no-renew", subscriptionId: SUB, sku: SKU.MCOIMP, quantity: 4, commitmentEndDate: "2027-03-31T00:00:00Z" };
const transition: Action = {
  kind: "transition",
  subscriptionId: SUB,
  from: SKU.MCOIMP,
  to: SKU.DESKLESSPACK,
  toCatalogItemId: "CFQ7TTC0LGZW:0001:CFQ7TTC0K5DR",
  quantity: 4,
  term: "P1M",
  billing: "annual",
  users: 0,
};
const awaitOrder: Action = { kind: "await", orderIds: ["7a1c0d2e3f40"], sku: SKU.DESKLESSPACK, quantity: 7 };
const ALL = [awaitOrder, purchaseLegacy, purchaseNew, resize, reassign, reassignRemoveOnly, suspend, cancel, noRenew, transition];

describe("the registry", () => {
  it("lists the kinds in the order a customer's steps run: seats, licences, retirement, then a transition on its own", () => {
    expect(STEPS).toEqual(["seats", "groups", "licenses", "retire", "migrate"]);
    expect(ACTION_KINDS).toEqual(["await", "purchase", "resize", "group-license", "reassign", "suspend", "cancel", "no-renew", "transition", "schedule"]);
    expect(ALL.map(stepOf)).toEqual(["seats", "seats", "seats", "seats", "licenses", "licenses", "retire", "retire", "retire", "migrate"]);
    expect(zeroCounts()).toEqual({
      await: 0,
      purchase: 0,
      resize: 0,
      "group-license": 0,
      reassign: 0,
      suspend: 0,
      cancel: 0,
      "no-renew": 0,
      transition: 0,
      schedule: 0,
    });
  });

  it("knows no kind by a name it does not register, not even one every object has", () => {
    for (const name of ["delete-tenant", "toString", "constructor", "__proto__", "hasOwnProperty", ""]) expect(kindOf(name)).toBeUndefined();
    expect(kindOf("no-renew")?.kind).toBe("no-renew");
  });

  it("counts actions per kind, every kind named, and words the counts in preview order", () => {
    const counts = countKinds([reassign, suspend, reassign, purchaseNew, noRenew, cancel]);
    expect(counts).toEqual({
      await: 0,
      purchase: 1,
      resize: 0,
      "group-license": 0,
      reassign: 2,
      suspend: 1,
      cancel: 1,
      "no-renew": 1,
      transition: 0,
      schedule: 0,
    });
    expect(totalOf(counts)).toBe(6);
    expect(describeCounts(counts)).toBe("1 purchase, 2 reassignments, 1 suspension, 1 cancellation, 1 auto-renew turned off");
    expect(describeCounts(zeroCounts())).toBe("");
    expect(describeCounts(countKinds([transition, transition]), ["resize"])).toBe("0 resizes, 2 transitions");
  });

  it("marks what is added +, what changes ~, what is retired -, and a transition »", () => {
    expect(ALL.map(markerOf)).toEqual(["~", "+", "+", "~", "~", "~", "-", "-", "-", "»"]);
  });
});

describe("the preview line of each kind", () => {
  it.each<[Action, string]>([
    [awaitOrder, "await order 7a1c0d2e3f40 (DESKLESSPACK × 7), placed earlier and still provisioning"],
    [{ ...awaitOrder, sku: null }, "await order 7a1c0d2e3f40, placed earlier and not settled yet: nothing is bought for this customer until it settles"],
    [purchaseLegacy, "purchase DESKLESSPACK × 4 (legacy offer Office 365 F3, 39527949-870e-4d02-b3b7-8491f762fa78)"],
    [purchaseNew, "purchase DESKLESSPACK × 4 (new commerce: Office 365 F3, CFQ7TTC0LGZW:0001, P1Y billed monthly, US)"],
    [resize, `resize DESKLESSPACK subscription ${SUB}: 0 → 6 seats`],
    [reassign, "reassign alex@contoso.onmicrosoft.com: MCOIMP → DESKLESSPACK"],
    [reassignRemoveOnly, "reassign alex@contoso.onmicrosoft.com: remove MCOIMP (already holds the target)"],
    [suspend, `suspend MCOIMP subscription ${SUB} (0 seats; deprovisioned 120 days after suspension, on 2027-03-24 if suspended today)`],
    [cancel, `cancel MCOIMP subscription ${SUB} (4 seats; ends now with a prorated refund: its cancellation window is open until 2026-11-30 12:34 UTC)`],
    [noRenew, `turn off auto-renew of MCOIMP subscription ${SUB} (4 seats; ends 2027-03-31, billed until then)`],
    [{ ...noRenew, commitmentEndDate: null }, `turn off auto-renew of MCOIMP subscription ${SUB} (4 seats; ends at its term end, billed until then)`],
    [
      transition,
      `transition MCOIMP subscription ${SUB} → DESKLESSPACK (CFQ7TTC0LGZW:0001:CFQ7TTC0K5DR, 4 seats, P1M billed annual); Microsoft moves the 0 users' licences`,
    ],
    [
      { ...transition, users: 1 },
      `transition MCOIMP subscription ${SUB} → DESKLESSPACK (CFQ7TTC0LGZW:0001:CFQ7TTC0K5DR, 4 seats, P1M billed annual); Microsoft moves the 1 user's licences`,
    ],
  ])("%#: %s", (a, line) => {
    expect(kindOf(a).describe(a, NOW)).toBe(line);
  });
});

describe("the JSON of each kind (docs/json-format.md)", () => {
  it("writes part numbers and skuIds side by side, and only the kind's own fields", () => {
    const F3 = { sku: "DESKLESSPACK", skuId: SKU.DESKLESSPACK.skuId };
    const IMP = { sku: "MCOIMP", skuId: SKU.MCOIMP.skuId };
    expect(ALL.map((a) => kindOf(a).toJson(a))).toEqual([
      { kind: "await", orderIds: ["7a1c0d2e3f40"], ...F3, quantity: 7 },
      { kind: "purchase", commerce: "legacy", offerId: "39527949-870e-4d02-b3b7-8491f762fa78", offerName: "Office 365 F3", ...F3, quantity: 4 },
      {
        kind: "purchase",
        commerce: "new",
        catalogItem: "CFQ7TTC0LGZW:0001",
        title: "Office 365 F3",
        term: "P1Y",
        billing: "monthly",
        country: "US",
        ...F3,
        quantity: 4,
      },
      { kind: "resize", subscriptionId: SUB, ...F3, from: 0, to: 6 },
      {
        kind: "reassign",
        userId: USER,
        userPrincipalName: "alex@contoso.onmicrosoft.com",
        assign: "DESKLESSPACK",
        assignSkuId: SKU.DESKLESSPACK.skuId,
        remove: "MCOIMP",
        removeSkuId: SKU.MCOIMP.skuId,
      },
      {
        kind: "reassign",
        userId: USER,
        userPrincipalName: "alex@contoso.onmicrosoft.com",
        assign: null,
        assignSkuId: null,
        remove: "MCOIMP",
        removeSkuId: SKU.MCOIMP.skuId,
      },
      { kind: "suspend", subscriptionId: SUB, ...IMP, quantity: 0, commitmentEndDate: "2026-12-15T00:00:00Z" },
      { kind: "cancel", subscriptionId: SUB, ...IMP, quantity: 4, cancellationAllowedUntil: "2026-11-30T12:34:56Z" },
      { kind: "no-renew", subscriptionId: SUB, ...IMP, quantity: 4, commitmentEndDate: "2027-03-31T00:00:00Z" },
      {
        kind: "transition",
        subscriptionId: SUB,
        from: "MCOIMP",
        fromSkuId: SKU.MCOIMP.skuId,
        to: "DESKLESSPACK",
        toSkuId: SKU.DESKLESSPACK.skuId,
        toCatalogItemId: "CFQ7TTC0LGZW:0001:CFQ7TTC0K5DR",
        quantity: 4,
        term: "P1M",
        billing: "annual",
        users: 0,
      },
    ]);
  });
});

describe("the saved-plan shape of each kind", () => {
  // Each kind's schema, reached as a saved plan reaches it: through the action union, by `kind`.
  const check = compileCheck(objectOf<{ a: Action }>({ a: actionSchema }));
  const problem = (a: unknown) => {
    const result = check({ a });
    return result.ok ? undefined : result.problem;
  };

  it("accepts every action the diff can plan, including zero-seat sources, every term and billing cycle", () => {
    for (const a of ALL) expect(problem(a)).toBeUndefined();
    for (const term of ["P1M", "P1Y", "P3Y"]) {
      for (const billing of ["monthly", "annual", "triennial"]) {
        expect(problem({ ...purchaseNew, term, billing })).toBeUndefined();
        expect(problem({ ...transition, term, billing })).toBeUndefined();
      }
    }
    expect(problem({ ...cancel, quantity: 0 })).toBeUndefined();
    expect(problem({ ...noRenew, quantity: 0, commitmentEndDate: null })).toBeUndefined();
    expect(problem({ ...suspend, commitmentEndDate: null })).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ["a purchase through an unknown channel", { ...purchaseNew, commerce: "reseller" }, "$.a.commerce: must be one of legacy, new"],
    ["a purchase of no seats", { ...purchaseLegacy, quantity: 0 }, "$.a.quantity: must be a positive integer"],
    ["a legacy purchase without its offer", { ...purchaseLegacy, offerId: undefined }, "$.a.offerId: missing; must be a string"],
    ["a new-commerce purchase with a made-up term", { ...purchaseNew, term: "P5Y" }, "$.a.term: must be one of P1M, P1Y, P3Y"],
    ["a new-commerce purchase with a made-up billing cycle", { ...purchaseNew, billing: "weekly" }, "$.a.billing: must be one of monthly, annual, triennial"],
    ["a new-commerce purchase with a legacy field", { ...purchaseNew, offerId: "x" }, '$.a: unknown field "offerId"'],
    ["a resize to zero", { ...resize, to: 0 }, "$.a.to: must be a positive integer"],
    ["a resize from a negative count", { ...resize, from: -1 }, "$.a.from: must be a non-negative integer"],
    ["a resize of a path", { ...resize, subscriptionId: "../x" }, "$.a.subscriptionId: must be a lowercase GUID"],
    ["a reassignment of a user that is not a GUID", { ...reassign, userId: "alex" }, "$.a.userId: must be a lowercase GUID"],
    ["a reassignment assigning a bare string", { ...reassign, assign: "DESKLESSPACK" }, "$.a.assign: must be an object, or null"],
    ["a suspension with a fractional count", { ...suspend, quantity: 1.5 }, "$.a.quantity: must be a non-negative integer"],
    ["a suspension of a SKU without its name", { ...suspend, sku: { skuId: SKU.MCOIMP.skuId } }, "$.a.sku.skuPartNumber: missing; must be a string"],
    ["a cancellation without its window", { ...cancel, cancellationAllowedUntil: null }, "$.a.cancellationAllowedUntil: must be a string"],
    ["a cancellation of a path", { ...cancel, subscriptionId: "x/../y" }, "$.a.subscriptionId: must be a lowercase GUID"],
    ["a renewal stop with a numeric end date", { ...noRenew, commitmentEndDate: 20270331 }, "$.a.commitmentEndDate: must be a string, or null"],
    ["a renewal stop of a path", { ...noRenew, subscriptionId: "x" }, "$.a.subscriptionId: must be a lowercase GUID"],
    ["a transition of no seats", { ...transition, quantity: 0 }, "$.a.quantity: must be a positive integer"],
    ["a transition with a negative user count", { ...transition, users: -1 }, "$.a.users: must be a non-negative integer"],
    ["a transition without its catalog item", { ...transition, toCatalogItemId: 5 }, "$.a.toCatalogItemId: must be a string"],
    ["a transition of a path", { ...transition, subscriptionId: "x" }, "$.a.subscriptionId: must be a lowercase GUID"],
    ["a transition with an extra field", { ...transition, also: 1 }, '$.a: unknown field "also"'],
  ])("refuses %s", (_what, a, message) => {
    expect(problem(a)).toBe(message);
  });
});

describe("the audit subject of each kind", () => {
  it("names the offer or catalog item bought, the subscription changed, or the user moved", () => {
    expect(ALL.map((a) => kindOf(a).subject(a))).toEqual([
      "7a1c0d2e3f40",
      "39527949-870e-4d02-b3b7-8491f762fa78",
      "CFQ7TTC0LGZW:0001",
      SUB,
      USER,
      USER,
      SUB,
      SUB,
      SUB,
      SUB,
    ]);
  });
});

describe("--diff: each kind's model of its effect", () => {
  const customer = toLive(
    {
      id: "c1",
      name: "Contoso",
      subs: [{ id: SUB, skuId: SKU.MCOIMP.skuId, quantity: 2, status: "active", commerce: "nce", autoRenew: true }],
      users: [
        { id: USER, upn: "alex@contoso.onmicrosoft.com", skuIds: [SKU.MCOIMP.skuId] },
        { id: "u2", upn: "bo@contoso.onmicrosoft.com", skuIds: [SKU.MCOIMP.skuId, SKU.DESKLESSPACK.skuId] },
      ],
    },
    SKU.MCOIMP.skuId,
  );
  const plan = (actions: Action[]) => customerPlanOf(actions, { counts: { sourceHolders: 2, onTarget: 1, excluded: 0 } });

  const diff = (actions: Action[]) => renderLicenseDiff([plan(actions)], new Map([["c1", customer]]));
  const changed = (d: string) => d.split("\n").filter((l) => /^[+-][^+-]/.test(l));

  it("a purchase adds a subscription of the target, named by its part number; a retirement changes the source's status", () => {
    expect(
      changed(
        diff([
          { ...purchaseLegacy, quantity: 3 },
          { ...suspend, quantity: 2 },
        ]),
      ),
    ).toEqual([
      `-subscription ${SUB} MCOIMP active 2 seats`,
      "+subscription (new) DESKLESSPACK active 3 seats",
      `+subscription ${SUB} MCOIMP suspended 2 seats`,
    ]);
    expect(changed(diff([cancel]))).toEqual([`-subscription ${SUB} MCOIMP active 2 seats`, `+subscription ${SUB} MCOIMP deleted 2 seats`]);
  });

  it("a reassignment moves the user's licence; one who holds the target already only loses the source", () => {
    expect(changed(diff([reassign, { ...reassignRemoveOnly, userId: "u2", upn: "bo@contoso.onmicrosoft.com" }]))).toEqual([
      "-alex@contoso.onmicrosoft.com: MCOIMP",
      "-bo@contoso.onmicrosoft.com: DESKLESSPACK, MCOIMP",
      "+alex@contoso.onmicrosoft.com: DESKLESSPACK",
      "+bo@contoso.onmicrosoft.com: DESKLESSPACK",
    ]);
  });

  it("a transition converts the subscription and every holder's licence", () => {
    const lines = changed(diff([{ ...transition, subscriptionId: SUB }]));
    expect(lines).toContain(`+subscription ${SUB} DESKLESSPACK active 2 seats`);
    expect(lines).toContain("+alex@contoso.onmicrosoft.com: DESKLESSPACK");
    expect(lines).toContain("+bo@contoso.onmicrosoft.com: DESKLESSPACK");
  });

  it("a resize changes the seats; turning auto-renew off changes nothing the diff shows but the renewal", () => {
    expect(changed(diff([{ ...resize, subscriptionId: SUB, to: 5 }]))).toEqual([
      `-subscription ${SUB} MCOIMP active 2 seats`,
      `+subscription ${SUB} MCOIMP active 5 seats`,
    ]);
    const after = kindOf(noRenew).applyToLive(customer, noRenew);
    expect(after.subscriptions.map((s) => s.autoRenewEnabled)).toEqual([false]);
    expect(customer.subscriptions.map((s) => s.autoRenewEnabled)).toEqual([true]);
  });

  it("a purchase's new subscription is modelled with its commerce: the cart's term and billing, or a legacy monthly one", () => {
    const added = (a: Action) =>
      kindOf(a)
        .applyToLive(customer, a)
        .subscriptions.find((s) => s.id === "(new)");
    expect(added(purchaseNew)).toMatchObject({ commerce: "nce", offerId: "CFQ7TTC0LGZW:0001", termDuration: "P1Y", billingCycle: "monthly", quantity: 4 });
    expect(added({ ...purchaseNew, term: "P1M", billing: "annual" })).toMatchObject({ termDuration: "P1M", billingCycle: "annual" });
    expect(added(purchaseLegacy)).toMatchObject({
      commerce: "legacy",
      offerId: "39527949-870e-4d02-b3b7-8491f762fa78",
      termDuration: undefined,
      billingCycle: "monthly",
    });
  });

  it("a transition moves the source's seats and holders to the target's subscribed SKU, listing the target where there was none", () => {
    const sku = (skuId: string, consumedUnits: number, totalUnits: number, skuPartNumber = "X") => ({ skuId, skuPartNumber, consumedUnits, totalUnits });
    const other = sku(SKU.EMS.skuId, 1, 3, "EMS");
    const t = { ...transition, subscriptionId: SUB, quantity: 2 } as const;
    const withTarget = { ...customer, skus: [sku(SKU.MCOIMP.skuId, 2, 5, "MCOIMP"), sku(SKU.DESKLESSPACK.skuId, 1, 1, "DESKLESSPACK"), other] };
    expect(kindOf(t).applyToLive(withTarget, t).skus).toEqual([
      sku(SKU.MCOIMP.skuId, 0, 3, "MCOIMP"),
      sku(SKU.DESKLESSPACK.skuId, 3, 3, "DESKLESSPACK"),
      other,
    ]);
    const withoutTarget = { ...customer, skus: [sku(SKU.MCOIMP.skuId, 2, 1, "MCOIMP"), other] };
    expect(kindOf(t).applyToLive(withoutTarget, t).skus).toEqual([
      sku(SKU.MCOIMP.skuId, 0, 0, "MCOIMP"),
      other,
      sku(SKU.DESKLESSPACK.skuId, 2, 2, SKU.DESKLESSPACK.skuPartNumber),
    ]);
    const noSource = { ...customer, skus: [other] };
    expect(kindOf(t).applyToLive(noSource, t).skus).toEqual([other, sku(SKU.DESKLESSPACK.skuId, 0, 2, SKU.DESKLESSPACK.skuPartNumber)]);
  });

  it("actions on another subscription or user leave these alone", () => {
    const other = "99999999-9999-4999-8999-999999999999";
    for (const a of [
      { ...suspend, subscriptionId: other },
      { ...cancel, subscriptionId: other },
      { ...noRenew, subscriptionId: other },
      { ...resize, subscriptionId: other },
      { ...transition, subscriptionId: other, from: SKU.EMS, to: SKU.M365_F1 },
      { ...reassign, userId: other },
    ] as Action[]) {
      const after = kindOf(a).applyToLive(customer, a);
      expect(after.subscriptions).toEqual(customer.subscriptions);
      expect(after.users).toEqual(customer.users);
    }
  });
});

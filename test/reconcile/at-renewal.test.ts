/**
 * `strategy: at-renewal` on its own (src/reconcile/strategies/at-renewal.ts): when the source is
 * scheduled to renew into the target, when the customer waits for that date, when the change was
 * dropped and is scheduled again, when the renewal converted it, and every reason it buys now
 * instead. Pure: the strategy's context and facts in, actions and notes out. End to end against
 * the sandbox: test/e2e/at-renewal.e2e.test.ts.
 */
import { describe, expect, it } from "vitest";
import { planAtRenewal, type RenewalFacts } from "../../src/reconcile/strategies/at-renewal.js";
import type { CustomerContext } from "../../src/reconcile/strategies/types.js";
import type { LiveCustomer, LiveSubscription } from "../../src/reconcile/types.js";
import type { RenewalOption, ScheduleRecord } from "../../src/model/live-state.js";
import { SKU, planFor } from "./model.js";

const SRC = "11111111-1111-4111-8111-111111111111";
const TGT = "22222222-2222-4222-8222-222222222222";
const ITEM = "CFQ7TTC0LGZW:0001";
const OPTION = `${ITEM}:CFQ7TTC0K5DR`;
const NOW = "2026-11-24T00:00:00Z";
const END = "2027-03-01T00:00:00Z";

function sub(id: string, over: Partial<LiveSubscription> = {}): LiveSubscription {
  return {
    id,
    offerId: "cfq7ttc0lf8r:0001:cfq7ttc0lb4y",
    skuId: SKU.MCOIMP.skuId,
    unmapped: undefined,
    commerce: "nce",
    quantity: 5,
    status: "active",
    autoRenewEnabled: true,
    commitmentEndDate: END,
    creationDate: undefined,
    cancellationAllowedUntil: undefined,
    termDuration: "P1Y",
    billingCycle: "monthly",
    ...over,
  };
}

interface World {
  options?: RenewalOption[];
  schedules?: ScheduleRecord[];
  catalogItem?: string | undefined;
  /** The plan's target (default DESKLESSPACK, whose new-commerce product is known). */
  target?: { skuId: string; skuPartNumber: string; displayName: string };
  now?: string;
}

function ctx(w: World = {}): CustomerContext {
  const plan = planFor([
    {
      id: "c1",
      strategy: "at-renewal",
      ...(w.target ? { target: w.target } : {}),
      purchase: { term: "P1Y", billing: "annual", country: "US", catalogItem: "catalogItem" in w ? w.catalogItem : ITEM.toLowerCase(), commerce: "new" },
    },
  ]);
  const live: LiveCustomer = {
    id: "c1",
    name: "Contoso",
    subscriptions: [],
    skus: [],
    users: [],
    pendingOrders: [],
    eligibilities: new Map(),
    renewalEligibilities: new Map([[SRC, w.options ?? [{ catalogItemId: OPTION.toLowerCase(), eligible: true, errors: [] }]]]),
    schedules: w.schedules,
  };
  return { plan, customer: plan.customers[0], live, state: { offers: [], catalog: new Map() }, now: w.now ?? NOW, country: "US" };
}

const facts = (over: Partial<RenewalFacts> = {}): RenewalFacts => ({
  activeSource: [sub(SRC)],
  activeTarget: [],
  excludedHolders: 0,
  holders: 3,
  requiredSeats: 4,
  ...over,
});
const notes = (r: ReturnType<typeof planAtRenewal>) => r.notes.map((n) => `${n.level} ${n.code}: ${n.message}`);

describe("at-renewal schedules the change", () => {
  it("of the one renewing new-commerce source into the target's eligible option, for the seats needed, and waits", () => {
    const r = planAtRenewal(ctx(), facts());
    expect(r).toEqual({
      wait: true,
      notes: [],
      actions: [
        {
          kind: "schedule",
          subscriptionId: SRC,
          from: SKU.MCOIMP,
          to: SKU.DESKLESSPACK,
          toCatalogItemId: OPTION.toLowerCase(),
          quantity: 4,
          term: "P1Y",
          billing: "annual",
          renewsOn: END,
          users: 3,
          replaces: null,
        },
      ],
    });
  });

  it("for one seat at least", () => {
    const r = planAtRenewal(ctx(), facts({ requiredSeats: 0 }));
    expect(r.wait && r.actions[0]?.quantity).toBe(1);
  });

  it("replacing another change scheduled, or one for fewer seats", () => {
    const other = planAtRenewal(
      ctx(),
      facts({ activeSource: [sub(SRC, { scheduledNextTerm: { catalogItemId: "OTHER:0001:X", quantity: 9, termDuration: "P1Y", billingCycle: "monthly" } })] }),
    );
    expect(other.wait && other.actions[0]?.replaces).toBe("OTHER:0001:X");
    const fewer = planAtRenewal(
      ctx(),
      facts({ activeSource: [sub(SRC, { scheduledNextTerm: { catalogItemId: OPTION, quantity: 3, termDuration: "P1Y", billingCycle: "monthly" } })] }),
    );
    expect(fewer.wait && fewer.actions.map((a) => [a.quantity, a.replaces])).toEqual([[4, null]]);
  });

  it("and with it in place (as many seats or more) only waits for the date, saying when", () => {
    const scheduled = (quantity: number) =>
      facts({ activeSource: [sub(SRC, { scheduledNextTerm: { catalogItemId: OPTION, quantity, termDuration: "P1Y", billingCycle: "annual" } })] });
    expect(planAtRenewal(ctx(), scheduled(4))).toEqual({
      wait: true,
      actions: [],
      notes: [
        {
          level: "info",
          code: "scheduled",
          message: `scheduled: subscription ${SRC} renews on 2027-03-01 as DESKLESSPACK (4 seats); the 3 users move after that, nothing is bought`,
        },
      ],
    });
    expect(notes(planAtRenewal(ctx(), { ...scheduled(6), holders: 1 }))).toEqual([
      `info scheduled: scheduled: subscription ${SRC} renews on 2027-03-01 as DESKLESSPACK (6 seats); the 1 user move after that, nothing is bought`,
    ]);
    // Past the term end: the renewal is being processed.
    expect(notes(planAtRenewal(ctx({ now: "2027-03-01T06:00:00Z" }), scheduled(4)))).toEqual([
      "info scheduled: scheduled: its renewal (term ended 2027-03-01) is being processed: Partner Center renews from 00:00 UTC the next day, within 24 hours; the 3 users move after that, nothing is bought",
    ]);
    // On the term end's very instant it is not yet due.
    expect(notes(planAtRenewal(ctx({ now: END }), scheduled(4)))[0]).toContain("renews on 2027-03-01");
  });
});

describe("a change pcplan scheduled that is gone", () => {
  const record = (over: Partial<ScheduleRecord> = {}): ScheduleRecord => ({
    time: "2026-11-20T10:00:00Z",
    subscriptionId: SRC,
    catalogItemId: OPTION,
    renewsOn: END,
    ...over,
  });

  it("is said and scheduled again: deleted by a mid-term change before the renewal", () => {
    const r = planAtRenewal(ctx({ schedules: [record({ subscriptionId: "someone-else" }), record()] }), facts());
    expect(r.wait && r.actions).toHaveLength(1);
    expect(notes(r)).toEqual([
      `warning schedule-dropped: the change to ${OPTION} pcplan scheduled on 2026-11-20 for 2027-03-01 is gone: a mid-term change before the renewal deletes scheduled changes; it is scheduled again`,
    ]);
  });

  it("is said and scheduled for the next renewal when the subscription renewed without it", () => {
    const r = planAtRenewal(ctx({ schedules: [record({ renewsOn: "2026-03-01T00:00:00Z", time: "2026-01-02T00:00:00Z" })] }), facts());
    expect(notes(r)).toEqual([
      `warning schedule-dropped: subscription ${SRC} renewed on 2026-03-01 as MCOIMP: the change to ${OPTION} pcplan scheduled on 2026-01-02 for 2026-03-01 was gone by then (a mid-term change deletes scheduled changes); it is scheduled for the next renewal`,
    ]);
  });

  it("is not said while the subscription carries a change, nor for a record of the same term end", () => {
    const carried = sub(SRC, { scheduledNextTerm: { catalogItemId: "OTHER:0001:X", quantity: 4, termDuration: "P1Y", billingCycle: "monthly" } });
    expect(planAtRenewal(ctx({ schedules: [record()] }), facts({ activeSource: [carried] })).notes).toEqual([]);
    expect(notes(planAtRenewal(ctx({ schedules: [record()] }), facts()))[0]).toContain("it is scheduled again");
  });
});

describe("after the renewal", () => {
  it("a target subscription pcplan scheduled is said converted, and the usual diff goes on", () => {
    const renewed = sub(SRC, { skuId: SKU.DESKLESSPACK.skuId, quantity: 4 });
    const r = planAtRenewal(
      ctx({ schedules: [{ time: "2026-11-20T10:00:00Z", subscriptionId: SRC, catalogItemId: OPTION, renewsOn: END }] }),
      facts({ activeSource: [], activeTarget: [sub(TGT), renewed] }),
    );
    expect(r).toEqual({
      wait: false,
      notes: [
        {
          level: "info",
          code: "converted-at-renewal",
          message: `converted at renewal: subscription ${SRC} renewed on 2027-03-01 as DESKLESSPACK (4 seats); the licences that still need it move now, nothing is bought`,
        },
      ],
    });
  });

  it("a target subscription pcplan did not schedule is no conversion: no source, so it buys now", () => {
    expect(notes(planAtRenewal(ctx({ schedules: [] }), facts({ activeSource: [], activeTarget: [sub(TGT)] })))).toEqual([
      "info at-renewal-fallback: no change at renewal, buying now instead: no active source subscription",
    ]);
  });
});

describe("at-renewal buys now instead, saying why", () => {
  it.each<[string, World, Partial<RenewalFacts>, string]>([
    [
      "a legacy source",
      {},
      { activeSource: [sub(SRC, { commerce: "legacy" })] },
      "the source is a legacy subscription (only new-commerce subscriptions change at renewal)",
    ],
    ["two sources", {}, { activeSource: [sub(SRC), sub(TGT)] }, "2 source subscriptions (each would renew on its own date)"],
    ["excluded holders", {}, { excludedHolders: 1 }, "excluded users hold the source (the whole subscription changes at renewal)"],
    ["a target already", {}, { activeTarget: [sub(TGT)] }, "the customer already has a DESKLESSPACK subscription"],
    [
      "a cancellation window open",
      {},
      { activeSource: [sub(SRC, { cancellationAllowedUntil: "2026-11-24T00:00:01Z" })] },
      `subscription ${SRC} may still be cancelled with a prorated refund (until 2026-11-24): buying now and cancelling it costs less than waiting for its renewal`,
    ],
    [
      "auto-renew off",
      {},
      { activeSource: [sub(SRC, { autoRenewEnabled: false })] },
      `subscription ${SRC}'s auto-renew is off: it ends 2027-03-01 instead of renewing`,
    ],
    [
      "auto-renew off, no end",
      {},
      { activeSource: [sub(SRC, { autoRenewEnabled: false, commitmentEndDate: undefined })] },
      `subscription ${SRC}'s auto-renew is off: it ends its term end instead of renewing`,
    ],
    ["no term end", {}, { activeSource: [sub(SRC, { commitmentEndDate: undefined })] }, `subscription ${SRC} has no term end date`],
    [
      "no product known",
      { catalogItem: undefined, target: { skuId: "99999999-9999-4999-8999-999999999999", skuPartNumber: "UNSOLD", displayName: "Unsold" } },
      {},
      "no new-commerce product is known for UNSOLD",
    ],
    [
      "no option for the product",
      { options: [{ catalogItemId: "CFQ7TTC0LGZX:0001:A", eligible: true, errors: [] }] },
      {},
      `Microsoft offers no change of subscription ${SRC} to ${ITEM} at renewal`,
    ],
    [
      "an ineligible option",
      { options: [{ catalogItemId: OPTION, eligible: false, errors: ["seat count too low", "term mismatch"] }] },
      {},
      `subscription ${SRC} may not change to ${ITEM} at renewal: seat count too low; term mismatch`,
    ],
    [
      "an ineligible option, no reasons",
      { options: [{ catalogItemId: OPTION, eligible: false, errors: [] }] },
      {},
      `subscription ${SRC} may not change to ${ITEM} at renewal`,
    ],
  ])("%s", (_, w, f, why) => {
    const r = planAtRenewal(ctx(w), facts(f));
    expect(r).toEqual({ wait: false, notes: [{ level: "info", code: "at-renewal-fallback", message: `no change at renewal, buying now instead: ${why}` }] });
  });

  it("a cancellation window that closed does not stop it", () => {
    const r = planAtRenewal(ctx(), facts({ activeSource: [sub(SRC, { cancellationAllowedUntil: NOW })] }));
    expect(r.wait).toBe(true);
  });
});

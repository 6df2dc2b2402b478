/**
 * Properties of the diff over generated customers with legacy and new-commerce sources, open
 * and closed cancellation windows, orders in flight, catalog answers and transition
 * eligibilities, under every decommission method, purchase channel and strategy. The model
 * (model.ts) applies the actions with the service's rules and refuses what the service (or
 * pcplan's safety rules) would refuse.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kindOf } from "../../src/actions/registry.js";
import { reconcile } from "../../src/reconcile/reconcile.js";
import type { DecommissionMethod, MigrationPlan, PurchaseSettings } from "../../src/plan-file/types.js";
import type { CatalogTarget, LiveState } from "../../src/reconcile/types.js";
import { MODEL_NOW, NCE_ITEM, SKU, applyActions, catalogFor, daysFrom, liveState, planFor, toLive, type ModelCustomer, type ModelSub } from "./model.js";

const OPTS = { now: MODEL_NOW, warnDays: 30, country: "US" };
const SRC = SKU.MCOIMP.skuId;
const TGT = SKU.DESKLESSPACK.skuId;

const arbWindow = fc.constantFrom(daysFrom(MODEL_NOW, 5), daysFrom(MODEL_NOW, -5), MODEL_NOW, undefined);
const arbSource = fc.record({
  commerce: fc.constantFrom<"legacy" | "nce">("legacy", "nce"),
  status: fc.constantFrom<ModelSub["status"]>("active", "active", "suspended", "deleted"),
  extra: fc.nat({ max: 3 }),
  window: arbWindow,
  autoRenew: fc.boolean(),
});

const arbCustomer = (id: string) =>
  fc
    .record({
      sources: fc.array(arbSource, { maxLength: 2 }),
      targets: fc.array(fc.record({ quantity: fc.nat({ max: 6 }), status: fc.constantFrom<ModelSub["status"]>("active", "active", "pending", "suspended") }), {
        maxLength: 2,
      }),
      users: fc.array(fc.subarray([SRC, TGT, SKU.EMS.skuId]), { maxLength: 8 }),
      excludeFirst: fc.boolean(),
      seats: fc.oneof(fc.constant<"users">("users"), fc.integer({ min: 1, max: 12 })),
      decommission: fc.constantFrom<DecommissionMethod>("auto", "suspend", "cancel", "no-renew", "keep"),
      strategy: fc.constantFrom<"purchase" | "transition">("purchase", "transition"),
      commerce: fc.constantFrom<PurchaseSettings["commerce"]>("legacy", "new", "auto"),
      eligibility: fc.constantFrom<"none" | "transfer" | "refused">("none", "transfer", "transfer", "refused"),
      pendingOrder: fc.constantFrom<"none" | "target" | "other">("none", "none", "none", "target", "other"),
      terms: fc.constantFrom<[PurchaseSettings["term"], PurchaseSettings["billing"]]>(
        ["P1Y", "monthly"],
        ["P1M", "monthly"],
        ["P1Y", "annual"],
        ["P3Y", "triennial"],
      ),
    })
    .map((g) => {
      // A world the service could be in: nobody holds a licence no active subscription provides.
      const activeTargets = g.targets.filter((t) => t.status === "active");
      const users = g.users.map((skuIds, i) => ({
        id: `${id}-u${i}`,
        upn: `user${i}@${id}.onmicrosoft.com`,
        skuIds: skuIds.filter((s) => (s === TGT ? activeTargets.length > 0 : s === SRC ? g.sources.some((x) => x.status === "active") : true)),
      }));
      const holders = (sku: string) => users.filter((u) => u.skuIds.includes(sku)).length;
      const subs: ModelSub[] = [
        ...g.sources.map((s, i) => ({
          id: `${id}-s${i}`,
          skuId: SRC,
          quantity: (s === g.sources.find((x) => x.status === "active") ? holders(SRC) : 0) + s.extra + 1,
          status: s.status,
          commitmentEndDate: "2027-06-30T00:00:00Z",
          commerce: s.commerce,
          autoRenew: s.autoRenew,
          cancellationAllowedUntil: s.window,
        })),
        ...g.targets.map((t, i) => ({
          id: `${id}-t${i}`,
          skuId: TGT,
          quantity: t.quantity + (t.status === "active" && t === activeTargets[0] ? holders(TGT) : 0),
          status: t.status,
        })),
      ];
      const eligibilities =
        g.eligibility === "none"
          ? {}
          : Object.fromEntries(
              subs
                .filter((s) => s.skuId === SRC)
                .map((s) => [s.id, [{ catalogItemId: NCE_ITEM[TGT], withLicenseTransfer: g.eligibility === "transfer", errors: [] }]]),
            );
      const pendingOrders = g.pendingOrder === "none" ? [] : [{ id: `${id}-o`, skuIds: [g.pendingOrder === "target" ? TGT : SKU.EMS.skuId] }];
      const model: ModelCustomer = { id, name: id, subs, users, eligibilities, pendingOrders };
      const exclude = g.excludeFirst && users[0] ? [users[0].upn] : [];
      const purchase: PurchaseSettings = { term: g.terms[0], billing: g.terms[1], country: undefined, catalogItem: undefined, commerce: g.commerce };
      return { model, planned: { id, exclude, seats: g.seats, decommission: g.decommission, strategy: g.strategy, purchase } };
    });

const arbCatalog = fc.constantFrom<CatalogTarget["problem"] | "unread">(
  undefined,
  undefined,
  { notOffered: true, message: "not offered in US" },
  { notOffered: false, message: "not on these terms" },
  "unread",
);
const arbWorld = fc.tuple(
  fc.array(fc.constant(0), { minLength: 1, maxLength: 4 }).chain((xs) => fc.tuple(...xs.map((_, i) => arbCustomer(`c${i}`)))),
  arbCatalog,
);

function stateOf(plan: MigrationPlan, models: ModelCustomer[], problem: CatalogTarget["problem"] | "unread", hidden = 0): LiveState {
  return liveState(models, SRC, { hiddenHolders: () => hidden, catalog: problem === "unread" ? new Map() : catalogFor(plan, "US", problem) });
}

describe("reconcile properties, legacy and new commerce", () => {
  it("what it plans the service accepts, and applied run after run it settles without buying twice", () => {
    fc.assert(
      fc.property(arbWorld, ([world, problem]) => {
        const plan = planFor(world.map((w) => w.planned));
        let models = world.map((w) => w.model);
        const bought = new Map<string, number>();
        let round = reconcile([plan], stateOf(plan, models, problem), OPTS);
        // Most settle in one run. A transition converts the source's seats as they are (a fixed
        // `seats` above them is a resize next run), and a source subscription left after the
        // others were retired can be transitioned next run: at most two more runs; an order in
        // flight is awaited first, and the rest planned once it settled: one more.
        for (let n = 0; n < 4 && round.some((c) => c.actions.length > 0); n++) {
          models = models.map((m, i) => applyActions(m, round[i].actions));
          for (const c of round) {
            const buys = c.actions.filter((a) => a.kind === "purchase" || a.kind === "transition").length;
            bought.set(c.customerId, (bought.get(c.customerId) ?? 0) + buys);
          }
          round = reconcile([plan], stateOf(plan, models, problem), OPTS);
        }
        expect(round.flatMap((c) => c.actions)).toEqual([]);
        for (const n of bought.values()) expect(n).toBeLessThanOrEqual(1);
      }),
      { numRuns: 400 },
    );
  });

  it("settles in one run wherever no transition is planned and no order is in flight", () => {
    fc.assert(
      fc.property(arbWorld, ([world, problem]) => {
        const plan = planFor(world.map((w) => ({ ...w.planned, strategy: "purchase" as const })));
        const before = world.map((w) => ({ ...w.model, pendingOrders: [] }));
        const first = reconcile([plan], stateOf(plan, before, problem), OPTS);
        const after = before.map((m, i) => applyActions(m, first[i].actions));
        expect(reconcile([plan], stateOf(plan, after, problem), OPTS).flatMap((c) => c.actions)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("with holders the reader did not see, what it plans is still safe: nothing retired in use", () => {
    fc.assert(
      fc.property(arbWorld, fc.integer({ min: 1, max: 3 }), ([world, problem], hide) => {
        const plan = planFor(world.map((w) => w.planned));
        const models = world.map((w) => w.model);
        const out = reconcile([plan], stateOf(plan, models, problem, hide), OPTS);
        for (const [i, c] of out.entries()) {
          expect(() => applyActions(models[i], c.actions)).not.toThrow();
          const held = models[i].users.some((u) => u.skuIds.includes(SRC));
          if (held) expect(c.actions.filter((a) => ["suspend", "cancel", "no-renew"].includes(a.kind))).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("keeps the rules of each method and channel", () => {
    fc.assert(
      fc.property(arbWorld, ([world, problem]) => {
        const plan = planFor(world.map((w) => w.planned));
        const models = world.map((w) => w.model);
        const out = reconcile([plan], stateOf(plan, models, problem), OPTS);
        for (const [i, c] of out.entries()) {
          const { planned, model } = world[i];
          const subOf = (id: string) => model.subs.find((s) => s.id === id)!;
          const retirements = c.actions.filter((a) => a.kind === "suspend" || a.kind === "cancel" || a.kind === "no-renew");
          if (planned.decommission === "keep") expect(retirements).toEqual([]);
          for (const a of retirements) {
            const s = subOf(a.subscriptionId);
            // auto never suspends new commerce (the bill would run on), nor cancels legacy.
            if (planned.decommission === "auto") expect(a.kind).toBe(s.commerce === "nce" ? (a.kind === "cancel" ? "cancel" : "no-renew") : "suspend");
            if (planned.decommission !== "auto") expect(a.kind).toBe(planned.decommission);
          }
          // No second purchase (of any SKU) nor resize while an order is on its way: the order is awaited first.
          if (model.pendingOrders?.length && !c.notes.some((n) => n.level === "error")) {
            expect(c.actions.filter((a) => a.kind === "purchase" || a.kind === "resize")).toEqual([]);
            if (c.actions.length > 0) expect(c.actions[0]?.kind).toBe("await");
          }
          if (model.subs.some((s) => s.skuId === TGT && s.status === "pending")) expect(c.actions).toEqual([]);
          // A transition is the whole plan for the customer.
          if (c.actions.some((a) => a.kind === "transition")) expect(c.actions).toHaveLength(1);
          // An error blocks every write for the customer.
          if (c.notes.some((n) => n.level === "error")) expect(c.actions.filter((a) => a.kind !== "purchase" && a.kind !== "resize")).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("--diff's model of each action agrees with what the service does", () => {
    fc.assert(
      fc.property(arbWorld, ([world, problem]) => {
        const plan = planFor(world.map((w) => w.planned));
        const models = world.map((w) => w.model);
        const out = reconcile([plan], stateOf(plan, models, problem), OPTS);
        for (const [i, c] of out.entries()) {
          const lc = toLive(models[i], SRC);
          const predicted = c.actions.reduce((s, a) => kindOf(a).applyToLive(s, a), lc);
          const actual = applyActions(models[i], c.actions);
          // Every subscription as the reader would read it afterwards (a new one has no id yet).
          const read = toLive(actual, SRC);
          const facts = (subs: typeof read.subscriptions) =>
            subs.map((s) => [s.skuId, s.status, s.quantity, s.autoRenewEnabled, s.commerce, s.termDuration, s.billingCycle].join(" ")).sort();
          expect(facts(predicted.subscriptions)).toEqual(facts(read.subscriptions));
          for (const s of predicted.subscriptions.filter((x) => !lc.subscriptions.some((y) => y.id === x.id))) {
            expect(
              read.subscriptions.some((r) => !lc.subscriptions.some((y) => y.id === r.id) && r.offerId.toLowerCase().startsWith(s.offerId.toLowerCase())),
            ).toBe(true);
          }
          for (const u of predicted.users ?? []) expect([...u.skuIds].sort()).toEqual([...actual.users.find((x) => x.id === u.id)!.skuIds].sort());
          // Each SKU once in the subscribed SKUs the diff names.
          expect(new Set(predicted.skus.map((k) => k.skuId)).size).toBe(predicted.skus.length);
          // A purchase adds its SKU to the subscribed SKUs the diff names.
          if (c.actions.some((a) => a.kind === "purchase")) expect(predicted.skus.some((k) => k.skuId === TGT)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * Properties of the diff where the source is held through groups and directly, in random
 * overlaps (issue 23): it never retires a source someone still holds once its actions are done,
 * and never has fewer target seats than the users who end on the target (each counted once).
 * The small model here applies a group change to every member of the group and a reassignment
 * to its user, as Graph does.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reconcile } from "../../src/reconcile/reconcile.js";
import type { Action, LiveCustomer, LiveGroup, LiveState, LiveUser } from "../../src/reconcile/types.js";
import { SKU, planFor } from "./model.js";

const SRC = SKU.MCOIMP.skuId;
const TGT = SKU.DESKLESSPACK.skuId;
const OPTS = { now: "2026-11-24T00:00:00Z", warnDays: 30, country: "US" };
const GROUPS = ["00000000-0000-4000-8000-0000000000g1", "00000000-0000-4000-8000-0000000000g2"];

interface World {
  /** `failed`: the user's source from a group is in error (CountViolation): not held, yet the group's target will reach them. */
  users: { direct: boolean; groups: number[]; target: boolean; failed: boolean }[];
  groupHolds: boolean[];
  seats: number;
  mode: "migrate" | "leave";
  excludeFirst: boolean;
}

const arbWorld: fc.Arbitrary<World> = fc.record({
  users: fc.array(fc.record({ direct: fc.boolean(), groups: fc.subarray([0, 1]), target: fc.boolean(), failed: fc.boolean() }), { maxLength: 8 }),
  groupHolds: fc.tuple(fc.boolean(), fc.boolean()),
  seats: fc.nat({ max: 10 }),
  mode: fc.constantFrom<"migrate" | "leave">("migrate", "leave"),
  excludeFirst: fc.boolean(),
});

interface Holder {
  id: string;
  upn: string;
  direct: boolean;
  groups: number[];
  /** The target held directly. */
  target: boolean;
  failed: boolean;
}

interface Model {
  users: Holder[];
  /** What each group assigns. */
  groupSku: (string | undefined)[];
  targetSeats: number;
}

const holdsVia = (m: Model, u: Holder, sku: string) =>
  (sku === SRC && u.direct) || (sku === TGT && u.target) || u.groups.some((g) => m.groupSku[g] === sku && !(u.failed && sku === SRC));

function modelOf(w: World): Model {
  return {
    users: w.users.map((u, i) => ({ id: `00000000-0000-4000-8000-00000000000${i}`, upn: `u${i}@c.example`, ...u })),
    groupSku: w.groupHolds.map((h) => (h ? SRC : undefined)),
    targetSeats: w.seats,
  };
}

function liveUser(m: Model, u: Holder): LiveUser {
  const assignments = [
    ...(u.direct ? [{ skuId: SRC, group: null, error: undefined, disabledPlans: [] }] : []),
    ...(u.target ? [{ skuId: TGT, group: null, error: undefined, disabledPlans: [] }] : []),
    ...u.groups.flatMap((g) => {
      const sku = m.groupSku[g];
      return sku ? [{ skuId: sku, group: GROUPS[g], error: u.failed && sku === SRC ? "CountViolation" : undefined, disabledPlans: [] }] : [];
    }),
  ];
  const held = assignments.filter((a) => a.error === undefined).map((a) => a.skuId);
  return { id: u.id, upn: u.upn, skuIds: [...new Set(held)], usageLocation: "US", assignments };
}

function liveOf(m: Model): LiveState {
  const count = (sku: string) => m.users.filter((u) => holdsVia(m, u, sku)).length;
  const holders = m.users.filter((u) => holdsVia(m, u, SRC));
  const groups: LiveGroup[] = GROUPS.flatMap((id, g) =>
    m.groupSku[g] === SRC && holders.some((u) => u.groups.includes(g))
      ? [
          {
            id,
            name: `G${g}`,
            dynamic: false,
            onPremises: false,
            licenses: [{ skuId: SRC, disabledPlans: [] }],
            members: m.users.filter((u) => u.groups.includes(g)).map((u) => liveUser(m, u)),
            processing: "ProcessingComplete",
          },
        ]
      : [],
  );
  const sub = (id: string, skuId: string, quantity: number) => ({
    id,
    offerId: id,
    skuId,
    unmapped: undefined,
    commerce: "legacy" as const,
    quantity,
    status: "active",
    autoRenewEnabled: true,
    commitmentEndDate: "2027-06-30T00:00:00Z",
    creationDate: undefined,
    cancellationAllowedUntil: undefined,
    termDuration: "P1Y",
    billingCycle: "monthly",
  });
  const customer: LiveCustomer = {
    id: "c1",
    name: "c1",
    subscriptions: [sub("s-src", SRC, Math.max(1, count(SRC))), sub("s-tgt", TGT, Math.max(m.targetSeats, count(TGT)))],
    skus: [
      { skuId: SRC, skuPartNumber: "MCOIMP", consumedUnits: count(SRC), totalUnits: Math.max(1, count(SRC)) },
      { skuId: TGT, skuPartNumber: "DESKLESSPACK", consumedUnits: count(TGT), totalUnits: Math.max(m.targetSeats, count(TGT)) },
    ],
    users: holders.map((u) => liveUser(m, u)),
    groups,
    pendingOrders: [],
    eligibilities: new Map(),
  };
  return { customers: new Map([["c1", customer]]), failures: new Map(), offers: [], catalog: new Map() };
}

/** Graph's answer to the actions: a group change reaches every member, a reassignment its user. */
function apply(m: Model, actions: readonly Action[], seats: number): Model {
  const next: Model = { users: m.users.map((u) => ({ ...u, groups: [...u.groups] })), groupSku: [...m.groupSku], targetSeats: seats };
  for (const a of actions) {
    if (a.kind === "resize") next.targetSeats = a.to;
    if (a.kind === "group-license") next.groupSku[GROUPS.indexOf(a.groupId)] = TGT;
    if (a.kind === "reassign") {
      const u = next.users.find((x) => x.id === a.userId)!;
      u.direct = false;
      if (a.assign) u.target = true;
    }
  }
  return next;
}

describe("reconcile properties with group-based licences", () => {
  it("never retires a source someone still holds, and never has fewer target seats than users ending on the target", () => {
    fc.assert(
      fc.property(arbWorld, (w) => {
        const m = modelOf(w);
        const state = liveOf(m);
        const holders = state.customers.get("c1")!.users!;
        const exclude = w.excludeFirst && holders[0] ? [holders[0].upn] : [];
        const plan = planFor([{ id: "c1", exclude, seats: "users", decommission: "suspend", strategy: "purchase" }]);
        plan.customers[0].groups = w.mode;
        const [c] = reconcile([plan], state, OPTS);
        const after = apply(m, c.actions, state.customers.get("c1")!.subscriptions[1].quantity);
        const stillHeld = after.users.some((u) => holdsVia(after, u, SRC));
        if (stillHeld) expect(c.actions.filter((a) => a.kind === "suspend")).toEqual([]);
        const onTarget = after.users.filter((u) => holdsVia(after, u, TGT)).length;
        expect(after.targetSeats).toBeGreaterThanOrEqual(onTarget);
      }),
      { numRuns: 500 },
    );
  });
});

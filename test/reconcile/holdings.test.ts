/**
 * How the source is held and what that lets pcplan do (src/reconcile/holdings.ts, SPEC §11), on
 * its own: which groups move and which are left (with the note saying why), which holders move
 * directly and with which disabled service plans, who needs a usage location first, who will
 * newly hold the target, and the licence errors already present. Pure: live model in, decisions
 * out. The properties over random overlaps are in group-properties.test.ts.
 */
import { describe, expect, it } from "vitest";
import { carryPlans, decideHoldings } from "../../src/reconcile/holdings.js";
import type { LiveAssignment, LiveGroup, LiveUser } from "../../src/model/live-state.js";
import type { PlanCustomer } from "../../src/plan-file/types.js";
import type { LiveCustomer } from "../../src/reconcile/types.js";
import { SKU, planFor } from "./model.js";

const SRC = SKU.MCOIMP.skuId;
const TGT = SKU.DESKLESSPACK.skuId;
const G1 = "00000000-0000-4000-8000-0000000000a1";
const G2 = "00000000-0000-4000-8000-0000000000a2";
/** Service plans by name on each SKU (their ids differ per SKU, as Graph lists them). */
const servicePlans = new Map([
  [
    SRC,
    [
      { id: "00000000-0000-4000-8000-00000000005a", name: "EXCHANGE_S_DESKLESS" },
      { id: "00000000-0000-4000-8000-00000000005b", name: "MCOIMP" },
      { id: "00000000-0000-4000-8000-00000000005c", name: "SWAY" },
    ],
  ],
  [
    TGT,
    [
      { id: "00000000-0000-4000-8000-00000000007a", name: "EXCHANGE_S_DESKLESS" },
      { id: "00000000-0000-4000-8000-00000000007c", name: "SWAY" },
    ],
  ],
]);
const [EXO_S, MCO_S, SWAY_S] = servicePlans.get(SRC)!.map((p) => p.id);
const [EXO_T, SWAY_T] = servicePlans.get(TGT)!.map((p) => p.id);

const direct = (skuId: string, disabledPlans: string[] = [], error?: string): LiveAssignment => ({ skuId, group: null, error, disabledPlans });
const via = (group: string, skuId = SRC, error?: string): LiveAssignment => ({ skuId, group, error, disabledPlans: [] });
function user(name: string, assignments: LiveAssignment[] | undefined, o: { skuIds?: string[]; usageLocation?: string | null } = {}): LiveUser {
  const held = assignments?.filter((a) => a.error === undefined).map((a) => a.skuId) ?? [SRC];
  return {
    id: `id-${name}`,
    upn: `${name}@contoso.com`,
    skuIds: o.skuIds ?? [...new Set(held)],
    usageLocation: o.usageLocation === undefined ? "US" : o.usageLocation,
    assignments,
  };
}
function group(id: string, name: string, members: LiveUser[], o: Partial<LiveGroup> = {}): LiveGroup {
  return { id, name, dynamic: false, onPremises: false, licenses: [{ skuId: SRC, disabledPlans: [] }], members, processing: "ProcessingComplete", ...o };
}

function decide(holders: LiveUser[], groups: LiveGroup[] | undefined, pc: Partial<PlanCustomer> = {}) {
  const plan = planFor([{ id: "c1", ...pc }]);
  const lc: LiveCustomer = { id: "c1", name: "Contoso", subscriptions: [], skus: [], users: holders, groups, pendingOrders: [], eligibilities: new Map() };
  return decideHoldings({ plan, pc: plan.customers[0], lc, state: { servicePlans }, country: "us" }, holders);
}
const messages = (h: ReturnType<typeof decide>) => h.notes.map((n) => `${n.level} ${n.code}: ${n.message}`);

describe("carryPlans", () => {
  it("maps the source's disabled plans onto the target's by name, sorted and once, and names those without a counterpart", () => {
    expect(carryPlans([SWAY_S, EXO_S, SWAY_S.toUpperCase()], SRC, TGT, { servicePlans }, undefined)).toEqual({
      ids: [EXO_T, SWAY_T].sort(),
      missing: [],
    });
    expect(carryPlans([MCO_S, "00000000-0000-4000-8000-0000000000ff"], SRC, TGT, { servicePlans }, "keep")).toEqual({
      ids: [],
      missing: ["MCOIMP", "00000000-0000-4000-8000-0000000000ff"],
    });
  });

  it("carries nothing when the plan resets them, when none are disabled, or without the SKUs' plans", () => {
    expect(carryPlans([SWAY_S], SRC, TGT, { servicePlans }, "reset")).toEqual({ ids: [], missing: [] });
    expect(carryPlans([], SRC, TGT, { servicePlans }, "keep")).toEqual({ ids: [], missing: [] });
    expect(carryPlans([SWAY_S], SRC, TGT, {}, "keep")).toEqual({ ids: [], missing: [SWAY_S] });
  });
});

describe("decideHoldings", () => {
  it("moves a user who holds the source directly, with its disabled plans carried, and counts them on the target", () => {
    const ava = user("ava", [direct(SRC, [SWAY_S, MCO_S])]);
    const h = decide([ava], []);
    expect(h.direct).toEqual([{ user: ava, disabledPlans: [SWAY_T], usageLocation: undefined }]);
    expect([...h.released]).toEqual(["id-ava"]);
    expect([...h.newOnTarget]).toEqual(["id-ava"]);
    expect(h.groups).toEqual([]);
    expect(messages(h)).toEqual(["warning service-plan-dropped: ava@contoso.com: disabled service plan MCOIMP of MCOIMP has no counterpart in DESKLESSPACK"]);
  });

  it("moves a user read through Partner Center (no assignments) as a direct holder; one who holds the target already is not counted again", () => {
    const pc = user("pc", undefined);
    const both = user("both", [direct(SRC), direct(TGT)]);
    const h = decide([pc, both], undefined);
    expect(h.direct.map((d) => d.user.upn)).toEqual(["pc@contoso.com", "both@contoso.com"]);
    expect([...h.newOnTarget]).toEqual(["id-pc"]);
    expect([...h.released]).toEqual(["id-pc", "id-both"]);
  });

  it("moves a group as one, counting its members not on the target; a member holding it also directly loses that copy with no plans carried", () => {
    const ben = user("ben", [via(G1)]);
    const cy = user("cy", [via(G1), direct(SRC, [SWAY_S])]);
    const di = user("di", [via(G1), direct(TGT)]);
    const g1 = group(G1, "Editorial", [ben, cy, di], { licenses: [{ skuId: SRC, disabledPlans: [SWAY_S, MCO_S] }] });
    const h = decide([ben, cy, di], [g1]);
    expect(h.groups).toEqual([{ group: g1, disabledPlans: [SWAY_T] }]);
    expect(h.direct).toEqual([{ user: cy, disabledPlans: [], usageLocation: undefined }]);
    expect([...h.released].sort()).toEqual(["id-ben", "id-cy", "id-di"]);
    expect([...h.newOnTarget].sort()).toEqual(["id-ben", "id-cy"]);
    expect(messages(h)).toEqual(["warning service-plan-dropped: group Editorial: disabled service plan MCOIMP of MCOIMP has no counterpart in DESKLESSPACK"]);
  });

  it("names two dropped plans in the plural", () => {
    const ava = user("ava", [direct(SRC, [MCO_S, "00000000-0000-4000-8000-0000000000ff"])]);
    expect(messages(decide([ava], []))).toEqual([
      "warning service-plan-dropped: ava@contoso.com: disabled service plans MCOIMP, 00000000-0000-4000-8000-0000000000ff of MCOIMP have no counterpart in DESKLESSPACK",
    ]);
  });

  it("leaves a group and its holders with groups: leave, said once per group with its members, users sorted", () => {
    const zed = user("zed", [via(G1)]);
    const amy = user("amy", [via(G1)]);
    const h = decide([zed, amy], [group(G1, "Editorial", [zed, amy, user("x", [])])], { groups: "leave" });
    expect(h.groups).toEqual([]);
    expect(h.direct).toEqual([]);
    expect([...h.released]).toEqual([]);
    expect(messages(h)).toEqual([
      "error held-through-group: 2 users held through group Editorial (3 members) keep MCOIMP (groups: leave): amy@contoso.com, zed@contoso.com",
    ]);
  });

  it("leaves a group still being processed, and its holders, saying why", () => {
    const ben = user("ben", [via(G1), direct(SRC)]);
    const h = decide([ben], [group(G1, "Editorial", [ben], { processing: "ProcessingInProgress" })]);
    expect(h.groups).toEqual([]);
    expect(h.direct).toEqual([]);
    expect(messages(h)).toEqual([
      "warning group-processing: group Editorial is still being processed (ProcessingInProgress): it is left as it is until it is done",
      "error held-through-group: 1 user held through group Editorial (1 member) keep MCOIMP (the group is not moved): ben@contoso.com",
    ]);
  });

  it("moves a group whose processing state is not known", () => {
    const ben = user("ben", [via(G1)]);
    expect(decide([ben], [group(G1, "Editorial", [ben], { processing: undefined })]).groups).toHaveLength(1);
  });

  it("does not move a group holding an excluded user, naming them", () => {
    const ben = user("ben", [via(G1)]);
    const ex = user("Ex", [via(G1)]);
    const h = decide([ben], [group(G1, "Editorial", [ben, ex])], { exclude: ["ex@contoso.com"] });
    expect(h.groups).toEqual([]);
    expect(messages(h)).toEqual([
      "error held-through-group: group Editorial holds MCOIMP for excluded Ex@contoso.com: the group is not moved (exclude them from the group, or stop excluding them)",
      "error held-through-group: 1 user held through group Editorial (2 members) keep MCOIMP (the group is not moved): ben@contoso.com",
    ]);
  });

  it("does not move a group that assigns another licence, nor one none of the holders gets the source from", () => {
    const ben = user("ben", [via(G1)]);
    const other = group(G1, "Other", [ben], { licenses: [{ skuId: TGT, disabledPlans: [] }] });
    const idle = group(G2, "Idle", [user("x", [via(G2)])]);
    const h = decide([ben], [other, idle]);
    expect(h.groups).toEqual([]);
    expect(messages(h)).toEqual([
      "error held-through-group: 1 user held through group Other (1 member) keep MCOIMP (the group no longer assigns it: the user's assignment from it is in error or still being processed): ben@contoso.com",
    ]);
  });

  it("names a group it cannot see by its id", () => {
    const ben = user("ben", [via(G2)]);
    expect(messages(decide([ben], []))).toEqual([
      `error held-through-group: 1 user held through group ${G2} keep MCOIMP (the group no longer assigns it: the user's assignment from it is in error or still being processed): ben@contoso.com`,
    ]);
  });

  it("gives a usage location first where the plan sets one (tenant: the purchase country, else the run's), else reports the users, sorted", () => {
    const nolo = (name: string) => user(name, [direct(SRC)], { usageLocation: null });
    expect(decide([nolo("a")], [], { usageLocation: "GB" }).direct[0].usageLocation).toBe("GB");
    expect(decide([nolo("a")], [], { usageLocation: "tenant" }).direct[0].usageLocation).toBe("US");
    const fr = planFor([{ id: "c1" }]).customers[0].purchase;
    expect(decide([nolo("a")], [], { usageLocation: "tenant", purchase: { ...fr, country: "fr" } }).direct[0].usageLocation).toBe("FR");
    const h = decide([nolo("zed"), nolo("amy"), user("ok", [direct(SRC)])], []);
    expect(h.direct.map((d) => d.user.upn)).toEqual(["ok@contoso.com"]);
    expect([...h.released]).toEqual(["id-ok"]);
    expect(messages(h)).toEqual([
      "error no-usage-location: 2 users without a usage location cannot be given DESKLESSPACK and keep MCOIMP: amy@contoso.com, zed@contoso.com (set usageLocation in the plan to set it first)",
    ]);
    // Only a user given the target directly needs one: not one who holds it already, nor a group's member.
    const has = user("has", [direct(SRC), direct(TGT)], { usageLocation: null });
    const member = user("member", [via(G1)], { usageLocation: null });
    const both = decide([has, member], [group(G1, "Editorial", [member])]);
    expect(both.notes).toEqual([]);
    expect(both.direct).toEqual([{ user: has, disabledPlans: [], usageLocation: undefined }]);
  });

  it("names licence errors already present on the source or the target, per user and group, once, sorted; not on other licences", () => {
    const ava = user("ava", [direct(SRC), direct(TGT, [], "CountViolation"), direct(SKU.EMS.skuId, [], "Other")]);
    const ben = user("ben", [direct(SRC), via(G1, SRC, "MutuallyExclusiveViolation"), via(G2, TGT, "CountViolation")]);
    const h = decide([ben, ava], [group(G1, "Editorial", [ben])]);
    expect(messages(h)).toEqual([
      `warning license-errors: licence assignment errors: ava@contoso.com (CountViolation), ben@contoso.com (CountViolation, through group ${G2}), ben@contoso.com (MutuallyExclusiveViolation, through group Editorial)`,
    ]);
  });
});

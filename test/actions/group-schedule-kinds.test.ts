/**
 * The kinds test/actions/kinds.test.ts does not list, as a reviewer and `--diff` see them: a
 * group's change (group-license), a change at renewal (schedule), and a reassignment with its
 * disabled service plans and usage location. The preview line, the JSON, the audit subject, and
 * the model of the effect on the live state.
 */
import { describe, expect, it } from "vitest";
import type { GroupLicenseAction } from "../../src/actions/group-license.js";
import { kindOf } from "../../src/actions/registry.js";
import type { ScheduleAction } from "../../src/actions/schedule.js";
import type { Action, LiveCustomer } from "../../src/reconcile/types.js";
import type { LiveAssignment, LiveGroup, LiveUser } from "../../src/model/live-state.js";
import { SKU } from "../reconcile/model.js";
import { groupLicenseAction, scheduleAction } from "../helpers/action-fixtures.js";

const SUB = "11111111-1111-4111-8111-111111111111";
const OTHER_SUB = "99999999-9999-4999-8999-999999999999";
const GROUP = "44444444-4444-4444-8444-444444444444";
const OTHER_GROUP = "55555555-5555-4555-8555-555555555555";
const PLAN = "66666666-6666-4666-8666-666666666666";
const NOW = { now: "2026-11-24T00:00:00Z" };

const groupChange: GroupLicenseAction = groupLicenseAction({ groupId: GROUP, assign: SKU.DESKLESSPACK, remove: SKU.MCOIMP });
const schedule: ScheduleAction = scheduleAction({
  subscriptionId: SUB,
  from: SKU.MCOIMP,
  to: SKU.DESKLESSPACK,
  toCatalogItemId: "CFQ7TTC0LGZW:0001:CFQ7TTC0K5DR",
});
const line = (a: Action) => kindOf(a).describe(a, NOW);

describe("the preview line", () => {
  it.each<[Action, string]>([
    [groupChange, "group Editorial (3 members): MCOIMP → DESKLESSPACK"],
    [
      { ...groupChange, members: 1, dynamic: true, disabledPlans: [PLAN] },
      "group Editorial (1 member, dynamic): MCOIMP → DESKLESSPACK (1 service plan kept off)",
    ],
    [{ ...groupChange, disabledPlans: [PLAN, GROUP] }, "group Editorial (3 members): MCOIMP → DESKLESSPACK (2 service plans kept off)"],
    [
      schedule,
      `schedule MCOIMP subscription ${SUB} to renew on 2027-03-01 as DESKLESSPACK (CFQ7TTC0LGZW:0001:CFQ7TTC0K5DR, 4 seats, P1Y billed annual); nothing is bought now, the 3 users move after that date`,
    ],
    [
      { ...schedule, users: 1, replaces: "CFQ7TTC0LF8Q:0001:CFQ7TTC0LB4Z" },
      `schedule MCOIMP subscription ${SUB} to renew on 2027-03-01 as DESKLESSPACK (CFQ7TTC0LGZW:0001:CFQ7TTC0K5DR, 4 seats, P1Y billed annual), replacing the change to CFQ7TTC0LF8Q:0001:CFQ7TTC0LB4Z; nothing is bought now, the 1 user move after that date`,
    ],
  ])("%#", (a, text) => {
    expect(line(a)).toBe(text);
  });

  it("a reassignment names the service plans kept off and the usage location set first", () => {
    const reassign: Action = { kind: "reassign", userId: "u1", upn: "ava@contoso.com", assign: SKU.DESKLESSPACK, remove: SKU.MCOIMP };
    expect(line({ ...reassign, disabledPlans: [PLAN] })).toBe("reassign ava@contoso.com: MCOIMP → DESKLESSPACK (1 service plan kept off)");
    expect(line({ ...reassign, disabledPlans: [PLAN, GROUP], usageLocation: "GB" })).toBe(
      "reassign ava@contoso.com: MCOIMP → DESKLESSPACK (2 service plans kept off) (usage location set to GB first)",
    );
    expect(line({ ...reassign, disabledPlans: [] })).toBe("reassign ava@contoso.com: MCOIMP → DESKLESSPACK");
    expect(kindOf(reassign).toJson({ ...reassign, disabledPlans: [PLAN], usageLocation: "GB" })).toMatchObject({ disabledPlans: [PLAN], usageLocation: "GB" });
    expect(kindOf(reassign).toJson({ ...reassign, disabledPlans: [] })).not.toHaveProperty("disabledPlans");
  });
});

describe("the JSON and the audit subject", () => {
  it("a group change: the group, its members and both SKUs by part number and id", () => {
    expect(kindOf(groupChange).toJson({ ...groupChange, disabledPlans: [PLAN] })).toEqual({
      kind: "group-license",
      groupId: GROUP,
      group: "Editorial",
      members: 3,
      dynamic: false,
      assign: "DESKLESSPACK",
      assignSkuId: SKU.DESKLESSPACK.skuId,
      remove: "MCOIMP",
      removeSkuId: SKU.MCOIMP.skuId,
      disabledPlans: [PLAN],
    });
    expect(kindOf(groupChange).subject(groupChange)).toBe(GROUP);
  });

  it("a change at renewal: the conversion, its date, its users and what it replaces", () => {
    expect(kindOf(schedule).toJson(schedule)).toEqual({
      kind: "schedule",
      subscriptionId: SUB,
      from: "MCOIMP",
      fromSkuId: SKU.MCOIMP.skuId,
      to: "DESKLESSPACK",
      toSkuId: SKU.DESKLESSPACK.skuId,
      toCatalogItemId: "CFQ7TTC0LGZW:0001:CFQ7TTC0K5DR",
      quantity: 4,
      term: "P1Y",
      billing: "annual",
      renewsOn: "2027-03-01T00:00:00Z",
      users: 3,
      replaces: null,
    });
    expect(kindOf(schedule).subject(schedule)).toBe(SUB);
  });
});

const assignment = (skuId: string, group: string | null, error?: string): LiveAssignment => ({ skuId, group, error, disabledPlans: [] });
const user = (id: string, assignments: LiveAssignment[] | undefined, skuIds: string[]): LiveUser => ({ id, upn: `${id}@contoso.com`, skuIds, assignments });
const liveGroup = (id: string, skuIds: string[]): LiveGroup => ({
  id,
  name: id,
  dynamic: false,
  onPremises: false,
  licenses: skuIds.map((skuId) => ({ skuId, disabledPlans: [] })),
  members: [],
  processing: "ProcessingComplete",
});
const customer = (over: Partial<LiveCustomer>): LiveCustomer => ({
  id: "c1",
  name: "Contoso",
  subscriptions: [],
  skus: [],
  users: undefined,
  pendingOrders: [],
  eligibilities: new Map(),
  ...over,
});

describe("a group change's model of its effect", () => {
  const F3 = SKU.DESKLESSPACK.skuId;
  const IMP = SKU.MCOIMP.skuId;
  const EMS = SKU.EMS.skuId;

  it("moves what members hold through the group onto the target, and nothing else", () => {
    const before = customer({
      users: [
        // Through the group (and another licence directly): the group's source becomes the target.
        user("ava", [assignment(IMP, GROUP), assignment(EMS, null)], [IMP, EMS]),
        // The source directly and through another group: left alone.
        user("ben", [assignment(IMP, null), assignment(IMP, OTHER_GROUP)], [IMP]),
        // The group's other licence: left alone.
        user("cy", [assignment(EMS, GROUP)], [EMS]),
        // Through the group, with the source held directly too: both listed, the skuIds once each.
        user("di", [assignment(IMP, GROUP), assignment(IMP, null)], [IMP]),
        // Through the group, in error: the assignment moves, the licence is not counted.
        user("ed", [assignment(IMP, GROUP, "CountViolation")], []),
        // Not read how they hold it (Partner Center): left alone.
        user("fay", undefined, [IMP]),
      ],
      groups: [liveGroup(GROUP, [EMS, IMP]), liveGroup(OTHER_GROUP, [IMP])],
    });
    const a = { ...groupChange, disabledPlans: [PLAN] };
    const after = kindOf(a).applyToLive(before, a);
    const byId = new Map(after.users!.map((u) => [u.id, u]));
    expect(byId.get("ava")).toMatchObject({ skuIds: [F3, EMS], assignments: [assignment(F3, GROUP), assignment(EMS, null)] });
    expect(byId.get("ben")).toBe(before.users![1]);
    expect(byId.get("cy")).toBe(before.users![2]);
    expect(byId.get("di")).toMatchObject({ skuIds: [F3, IMP], assignments: [assignment(F3, GROUP), assignment(IMP, null)] });
    expect(byId.get("ed")).toMatchObject({ skuIds: [], assignments: [assignment(F3, GROUP, "CountViolation")] });
    expect(byId.get("fay")).toBe(before.users![5]);
    expect(after.groups).toEqual([
      {
        ...liveGroup(GROUP, [EMS]),
        licenses: [
          { skuId: EMS, disabledPlans: [] },
          { skuId: F3, disabledPlans: [PLAN] },
        ],
      },
      liveGroup(OTHER_GROUP, [IMP]),
    ]);
    // The live state it was given is not changed.
    expect(before.users![0].skuIds).toEqual([IMP, EMS]);
    expect(before.groups![0].licenses.map((l) => l.skuId)).toEqual([EMS, IMP]);
  });

  it("leaves a customer whose users and groups were not read as it is", () => {
    const after = kindOf(groupChange).applyToLive(customer({}), groupChange);
    expect(after.users).toBeUndefined();
    expect(after.groups).toBeUndefined();
  });
});

describe("a change at renewal's model of its effect", () => {
  it("puts the scheduled change on its subscription (catalog item in upper case), and on no other", () => {
    const sub = (id: string) => ({
      id,
      offerId: "cfq7ttc0lf8r:0001:cfq7ttc0lb4y",
      skuId: SKU.MCOIMP.skuId,
      commerce: "nce" as const,
      quantity: 4,
      status: "active",
      autoRenewEnabled: true,
      commitmentEndDate: "2027-03-01T00:00:00Z",
      creationDate: undefined,
      unmapped: undefined,
      cancellationAllowedUntil: undefined,
      termDuration: "P1Y",
      billingCycle: "monthly",
    });
    const before = customer({ subscriptions: [sub(SUB), sub(OTHER_SUB)] });
    const a = { ...schedule, toCatalogItemId: "cfq7ttc0lgzw:0001:cfq7ttc0k5dr" };
    const after = kindOf(a).applyToLive(before, a);
    expect(after.subscriptions).toEqual([
      { ...sub(SUB), scheduledNextTerm: { catalogItemId: "CFQ7TTC0LGZW:0001:CFQ7TTC0K5DR", quantity: 4, termDuration: "P1Y", billingCycle: "annual" } },
      sub(OTHER_SUB),
    ]);
    expect(before.subscriptions[0]).not.toHaveProperty("scheduledNextTerm");
  });
});

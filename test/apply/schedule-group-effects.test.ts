/**
 * Two effects on their own, against recording doubles of the only calls they make (the narrow
 * `PartnerCenterApi` and `GroupLicensing` methods, a clock that counts its waits): the change at
 * renewal (`schedule`: its re-check of the subscription, the instructions it PATCHes, the write it
 * skips when they are already there, its journal line) and the group change (`group-license`: the
 * one call, then the group followed until processed, its members in error named, the timeout).
 * The same effects run end to end against the sandbox in test/e2e/at-renewal.e2e.test.ts and
 * test/graph/licence-api.e2e.test.ts; these are the tests `npm run mutate` runs them against.
 */
import { describe, expect, it } from "vitest";
import type { GroupLicenseAction } from "../../src/actions/group-license.js";
import type { ScheduleAction } from "../../src/actions/schedule.js";
import { groupLicenseEffect } from "../../src/apply/effects/group-license.js";
import { ProvisioningPendingError } from "../../src/apply/effects/provisioning.js";
import { scheduleEffect } from "../../src/apply/effects/schedule.js";
import type { PerformContext } from "../../src/apply/effects/types.js";
import type { GroupLicenseChange, GroupProgress } from "../../src/licenses/backend.js";
import type { Subscription } from "../../src/partner-center/types.js";
import { groupLicenseAction, scheduleAction } from "../helpers/action-fixtures.js";
import { fakeTime } from "../helpers/fake-server.js";

const SUB = "11111111-1111-4111-8111-111111111111";
const F3 = { skuId: "22222222-2222-4222-8222-222222222222", skuPartNumber: "DESKLESSPACK", displayName: "Office 365 F3" };
const E1 = { skuId: "33333333-3333-4333-8333-333333333333", skuPartNumber: "STANDARDPACK", displayName: "Office 365 E1" };

const schedule = (over: Partial<ScheduleAction> = {}): ScheduleAction =>
  scheduleAction({ subscriptionId: SUB, from: E1, to: F3, toCatalogItemId: "CFQ7TTC0LF8Q:0001:CFQ7TTC0LB4Z", ...over });

const subscription = (over: Partial<Subscription> = {}): Subscription => ({
  id: SUB,
  offerId: "CFQ7TTC0LF8R:0001:CFQ7TTC0LB4Y",
  quantity: 4,
  status: "active",
  autoRenewEnabled: true,
  commitmentEndDate: "2027-03-01T00:00:00Z",
  ...over,
});

interface Recorded {
  ctx: PerformContext;
  updates: { customerId: string; sub: Subscription; requestId: string | undefined }[];
  scheduled: { customerId: string; record: unknown }[];
  changes: GroupLicenseChange[];
  sleeps: number[];
}

/** A context whose Partner Center answers `sub`, whose groups answer `progress` in turn (the last one for ever). */
function context(o: { sub?: Subscription; progress?: GroupProgress[]; timeoutMs?: number; groups?: boolean } = {}): Recorded {
  const updates: Recorded["updates"] = [];
  const scheduled: Recorded["scheduled"] = [];
  const changes: GroupLicenseChange[] = [];
  const time = fakeTime(0);
  const progress = [...(o.progress ?? [{ processing: "ProcessingComplete", errors: [] }])];
  const api = {
    getSubscription: (customerId: string, id: string) =>
      Promise.resolve(customerId === "c1" && id === SUB ? (o.sub ?? subscription()) : subscription({ id: "other" })),
    updateSubscription: (customerId: string, sub: Subscription, opts?: { requestId?: string }) => {
      updates.push({ customerId, sub, requestId: opts?.requestId });
      return Promise.resolve(sub);
    },
  };
  const groupLicensing = {
    changeGroup: (_c: string, change: GroupLicenseChange) => Promise.resolve(void changes.push(change)),
    progress: (customerId: string, groupId: string) => {
      expect([customerId, groupId]).toEqual(["c1", "g1"]);
      return Promise.resolve(progress.length > 1 ? progress.shift()! : progress[0]);
    },
  };
  const ctx = {
    api,
    licenses: o.groups === false ? {} : { groupLicensing },
    customerId: "c1",
    requestId: "req-1",
    basis: "",
    commerce: {
      journal: { entries: () => Promise.resolve([]), append: () => Promise.resolve() },
      schedules: {
        entries: () => Promise.resolve([]),
        append: (customerId: string, record: unknown) => Promise.resolve(void scheduled.push({ customerId, record })),
      },
      provisioningTimeoutMs: o.timeoutMs ?? 600_000,
      wait: time,
      now: () => 0,
    },
    auditWrite: () => Promise.resolve(),
  } as unknown as PerformContext;
  return { ctx, updates, scheduled, changes, sleeps: time.sleeps };
}

const precheck = (r: Recorded, a: ScheduleAction) => scheduleEffect.precheck!(r.ctx, a);

describe("the change at renewal (schedule effect)", () => {
  it("PATCHes the whole subscription with the target's instructions, the billing cycle capitalised, then journals it", async () => {
    const r = context();
    const a = schedule();
    const sub = await precheck(r, a);
    await scheduleEffect.perform!(r.ctx, a, sub);
    expect(r.updates).toEqual([
      {
        customerId: "c1",
        requestId: "req-1",
        sub: {
          ...subscription(),
          scheduledNextTermInstructions: {
            product: { productId: "CFQ7TTC0LF8Q", skuId: "0001", availabilityId: "CFQ7TTC0LB4Z", billingCycle: "Annual", termDuration: "P1Y" },
            quantity: 4,
          },
        },
      },
    ]);
    expect(r.scheduled).toEqual([
      { customerId: "c1", record: { subscriptionId: SUB, catalogItemId: "CFQ7TTC0LF8Q:0001:CFQ7TTC0LB4Z", renewsOn: "2027-03-01T00:00:00Z" } },
    ]);
  });

  it("writes nothing when the same change is already scheduled (ids and term compared without case), but still journals it", async () => {
    const have = {
      product: { productId: "cfq7ttc0lf8q", skuId: "0001", availabilityId: "cfq7ttc0lb4z", billingCycle: "annual", termDuration: "p1y" },
      quantity: 4,
    };
    const r = context({ sub: subscription({ scheduledNextTermInstructions: have }) });
    await scheduleEffect.perform!(r.ctx, schedule(), await precheck(r, schedule()));
    expect(r.updates).toEqual([]);
    expect(r.scheduled).toHaveLength(1);
  });

  it.each([
    ["another product", { productId: "OTHER" }, {}],
    ["another sku", { skuId: "0002" }, {}],
    ["another availability", { availabilityId: "OTHER" }, {}],
    ["another term", { termDuration: "P1M" }, {}],
    ["other seats", {}, { quantity: 5 }],
  ])("replaces a scheduled change to %s", async (_, product, rest) => {
    const have = {
      product: { productId: "CFQ7TTC0LF8Q", skuId: "0001", availabilityId: "CFQ7TTC0LB4Z", billingCycle: "Annual", termDuration: "P1Y", ...product },
      quantity: 4,
      ...rest,
    };
    const r = context({ sub: subscription({ scheduledNextTermInstructions: have }) });
    await scheduleEffect.perform!(r.ctx, schedule(), await precheck(r, schedule()));
    expect(r.updates.map((u) => u.sub.scheduledNextTermInstructions?.product.productId)).toEqual(["CFQ7TTC0LF8Q"]);
  });

  it("splits a catalog item with parts missing into empty ids, and capitalises a monthly cycle", async () => {
    const r = context();
    const a = schedule({ toCatalogItemId: "P", billing: "monthly", term: "P1M" });
    await scheduleEffect.perform!(r.ctx, a, subscription());
    expect(r.updates[0].sub.scheduledNextTermInstructions).toEqual({
      product: { productId: "P", skuId: "", availabilityId: "", billingCycle: "Monthly", termDuration: "P1M" },
      quantity: 4,
    });
  });

  it("journals nothing without a schedule journal, and still writes", async () => {
    const r = context();
    delete (r.ctx.commerce as { schedules?: unknown }).schedules;
    await scheduleEffect.perform!(r.ctx, schedule(), subscription());
    expect(r.updates).toHaveLength(1);
  });

  it("passes a subscription that is active (any case, spaces around), renews, and ends on the planned day", async () => {
    const sub = subscription({ status: " Active " as Subscription["status"], commitmentEndDate: "2027-03-01T23:59:59Z" });
    await expect(precheck(context({ sub }), schedule())).resolves.toBe(sub);
    const noEnd = subscription({ commitmentEndDate: undefined });
    await expect(precheck(context({ sub: noEnd }), schedule())).resolves.toBe(noEnd);
  });

  it.each([
    ["suspended", { status: " suspended " as Subscription["status"] }, "it is suspended;"],
    ["not renewing", { autoRenewEnabled: false }, "its auto-renew was turned off (a change at renewal needs it on);"],
    ["ending another day", { commitmentEndDate: "2027-04-01T00:00:00Z" }, "its term now ends 2027-04-01, not 2027-03-01;"],
  ])("refuses a subscription %s since planning, as stale, naming why", async (_, over, why) => {
    const r = context({ sub: subscription(over) });
    const err = await precheck(r, schedule()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "STALE" });
    expect((err as Error).message).toBe(`subscription ${SUB} changed since planning: ${why} nothing was scheduled. Run plan again`);
  });
});

const group = (over: Partial<GroupLicenseAction> = {}): GroupLicenseAction =>
  groupLicenseAction({ assign: F3, remove: E1, disabledPlans: ["plan-a"], ...over });

const pending: GroupProgress = { processing: "ProcessingInProgress", errors: [] };
const done = (errors: GroupProgress["errors"] = []): GroupProgress => ({ processing: "ProcessingComplete", errors });

describe("the group change (group-license effect)", () => {
  it("changes the group in one call, target in with its disabled plans and source out", async () => {
    const r = context();
    await groupLicenseEffect.perform!(r.ctx, group(), undefined);
    expect(r.changes).toEqual([{ groupId: "g1", add: [{ skuId: F3.skuId, disabledPlans: ["plan-a"] }], remove: [E1.skuId], requestId: "req-1" }]);
    expect(r.sleeps).toEqual([]);
  });

  it("follows the group, waiting 1 s and doubling up to 30 s, until it is processed", async () => {
    const r = context({ progress: [...Array<GroupProgress>(7).fill(pending), done()] });
    await groupLicenseEffect.perform!(r.ctx, group(), undefined);
    expect(r.sleeps).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it("names each member in error with Graph's word, and keeps the source", async () => {
    const one = context({ progress: [done([{ userId: "u1", upn: "ava@contoso.com", error: "CountViolation" }])] });
    await expect(groupLicenseEffect.perform!(one.ctx, group(), undefined)).rejects.toMatchObject({
      code: "GROUP_LICENSE_ERRORS",
      message: "group Editorial: 1 member could not be given DESKLESSPACK: ava@contoso.com (CountViolation); STANDARDPACK is not retired while they hold it",
    });
    const two = context({
      progress: [
        pending,
        done([
          { userId: "u1", upn: "ava@contoso.com", error: "CountViolation" },
          { userId: "u2", upn: "ben@contoso.com", error: "MutuallyExclusiveViolation" },
        ]),
      ],
    });
    await expect(groupLicenseEffect.perform!(two.ctx, group(), undefined)).rejects.toThrow(
      "group Editorial: 2 members could not be given DESKLESSPACK: ava@contoso.com (CountViolation), ben@contoso.com (MutuallyExclusiveViolation);",
    );
  });

  it("leaves the customer provisioning once the timeout is spent, its last wait cut to what is left", async () => {
    const r = context({ progress: [pending], timeoutMs: 10_000 });
    const err = await groupLicenseEffect.perform!(r.ctx, group(), undefined).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProvisioningPendingError);
    expect((err as Error).message).toBe(ProvisioningPendingError.group("Editorial", 10_000).message);
    expect(r.sleeps).toEqual([1000, 2000, 4000, 3000]);
  });

  it("is refused where the licence API shows no groups", async () => {
    const r = context({ groups: false });
    await expect(groupLicenseEffect.perform!(r.ctx, group(), undefined)).rejects.toMatchObject({
      code: "HELD_THROUGH_GROUP",
      message: "the licence API in use shows no groups: a group's licence can be changed only with --license-api graph",
    });
  });
});

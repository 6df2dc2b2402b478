/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- JSON answers from the wire are checked by assertions, not types */
import { afterEach, describe, expect, it } from "vitest";
import { createPartnerCenterClient } from "../../src/partner-center/client.js";
import { transitionState } from "../../src/partner-center/transition-wire.js";
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { ITEM, N, NOW, SKU, call, later, startDemo, subscriptions } from "./helpers/sandbox.js";

let sb: SandboxHandle;
afterEach(async () => {
  await sb.close();
});

const MINUTE = 60_000;
const sourceOf = async (customerId: string) => (await subscriptions(sb, customerId)).find((s) => s.offerId === ITEM.basic);
const transfer = (quantity: number) => ({
  toCatalogItemId: ITEM.standardUS,
  quantity,
  termDuration: "P1Y",
  billingCycle: "monthly",
  transitionType: "transition_with_license_transfer",
});
const licences = (customerId: string) =>
  sb
    .world()
    .customers.find((c) => c.id === customerId)!
    .users.map((u) => u.licenses.map((l) => l.toLowerCase()));

describe("transition eligibilities", () => {
  it("answers the fixture's eligible and ineligible pairs with Microsoft's codes and texts", async () => {
    sb = await startDemo();
    const fourth = await sourceOf(N.fourth);
    const ok = await call(sb, "GET", `/customers/${N.fourth}/subscriptions/${fourth.id}/transitionEligibilities?eligibilityType=immediate`);
    expect(ok.body.items).toEqual([
      expect.objectContaining({
        catalogItemId: ITEM.standardUS,
        title: "Microsoft 365 Business Standard",
        quantity: 10,
        eligibilities: [
          { isEligible: true, transitionType: "transition_only", errors: [] },
          { isEligible: true, transitionType: "transition_with_license_transfer", errors: [] },
        ],
      }),
    ]);
    const lamna = await sourceOf(N.lamna);
    const no = await call(sb, "GET", `/customers/${N.lamna}/subscriptions/${lamna.id}/transitionEligibilities?eligibilityType=Immediate`);
    expect(no.body.items[0].eligibilities[1]).toEqual({
      isEligible: false,
      transitionType: "transition_with_license_transfer",
      errors: [{ code: 3, description: "Subscription cannot be transitioned because there are conflicting services." }],
    });
    const post = await call(sb, "POST", `/customers/${N.lamna}/subscriptions/${lamna.id}/transitions`, { body: transfer(5) });
    expect(post.status).toBe(400);
    expect(post.body).toMatchObject({ code: 3, description: "Subscription cannot be transitioned because there are conflicting services." });
    // Scheduled: what the subscription may change into at its renewal (the fixture's scheduledEligibilities).
    const scheduled = await call(sb, "GET", `/customers/${N.fourth}/subscriptions/${fourth.id}/transitionEligibilities?eligibilityType=scheduled`);
    expect(scheduled.body.items.map((e: { catalogItemId: string; eligibilities: unknown[] }) => [e.catalogItemId, e.eligibilities])).toEqual([
      ["CFQ7TTC0LDPB:0001:CFQ7TTC0LGNT", [{ isEligible: true, transitionType: "transition_only", errors: [] }]],
    ]);
    expect(sb.changes).toEqual([]);
  });
});

describe("transitions", () => {
  it("runs after the transition delay: converts the source in place and moves every holder's licence", async () => {
    sb = await startDemo({ transitionDelayMs: 3 * MINUTE });
    const s = await sourceOf(N.fourth);
    const res = await call(sb, "POST", `/customers/${N.fourth}/subscriptions/${s.id}/transitions`, { body: transfer(10), headers: { "MS-RequestId": "tr-1" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      operationId: expect.any(String),
      fromCatalogItemId: ITEM.basic,
      toCatalogItemId: ITEM.standardUS,
      transitionType: "transition_with_license_transfer",
      Events: [{ name: "Conversion", status: "Started " }],
    });
    const op = res.body.operationId;
    const list = () => call(sb, "GET", `/customers/${N.fourth}/subscriptions/${s.id}/transitions?operationId=${op}`);
    const running = await list();
    expect(running.body.transition).toHaveLength(1);
    expect(running.body.transition[0]).toMatchObject({ operationId: op, FromCatalogItemId: ITEM.basic, ToCatalogItemId: ITEM.standardUS });
    expect(licences(N.fourth).every((l) => l.includes(SKU.BASIC))).toBe(true);

    later(sb, NOW, 4 * MINUTE);
    const done = await list();
    // As get-transitions' example for transition_with_license_transfer: Conversion events only, Started then Completed.
    expect(done.body.transition[0].Events.map((e: any) => `${e.name}:${e.status}`)).toEqual(["Conversion:Started ", "Conversion:Completed"]);
    const converted = (await subscriptions(sb, N.fourth)).find((x) => x.id === s.id);
    expect(converted).toMatchObject({ offerId: ITEM.standardUS, quantity: 10, status: "active", friendlyName: "Microsoft 365 Business Standard" });
    expect(licences(N.fourth).every((l) => l.includes(SKU.STANDARD) && !l.includes(SKU.BASIC))).toBe(true);
    expect(sb.changes.filter((c) => c.customerId === N.fourth).map((c) => (c.kind === "transition" ? `${c.phase}:${c.usersMoved}` : c.kind))).toEqual([
      "started:0",
      "completed:10",
    ]);
    expect((await call(sb, "GET", `/customers/${N.fourth}/subscriptions/${s.id}/transitions?operationId=other`)).body.transition).toEqual([]);
  });

  it("moves part of the quantity into a new target subscription, and is read by the client as completed", async () => {
    sb = await startDemo();
    const s = await sourceOf(N.margie);
    const body = { ...transfer(4), transitionType: "transition_only" };
    expect((await call(sb, "POST", `/customers/${N.margie}/subscriptions/${s.id}/transitions`, { body })).status).toBe(200);
    const api = createPartnerCenterClient({ endpoint: sb.url, token: () => Promise.resolve(SANDBOX_TOKENS.admin) });
    const [t] = await api.listTransitions(N.margie, s.id);
    expect(transitionState(t)).toBe("completed");
    const subs = await subscriptions(sb, N.margie);
    expect(subs.find((x) => x.id === s.id)).toMatchObject({ offerId: ITEM.basic, quantity: 2 });
    expect(subs.find((x) => x.id === t.toSubscriptionId)).toMatchObject({ offerId: ITEM.standardUS, quantity: 4 });
    // transition_only leaves the users' licences alone.
    expect(licences(N.margie).every((l) => l.includes(SKU.BASIC))).toBe(true);
  });

  it("fails when the fixture says so, and then names Microsoft's error", async () => {
    const fixture = await loadFixture(DEMO_FIXTURE_PATH);
    const sub = fixture.customers.find((c) => c.id === N.fourth)!.subscriptions[0];
    sub.transitionEligibilities![0].eligibilities[1].failure = { code: 10, description: "The transition could not be completed." };
    sb = await startSandbox({ fixture, clock: NOW });
    await call(sb, "POST", `/customers/${N.fourth}/subscriptions/${sub.id}/transitions`, { body: transfer(10) });
    const listed = await call(sb, "GET", `/customers/${N.fourth}/subscriptions/${sub.id}/transitions`);
    expect(listed.body.transition[0].Events.at(-1)).toMatchObject({ name: "Conversion", status: "Failed", errors: [{ code: 10 }] });
    expect((await subscriptions(sb, N.fourth))[0]).toMatchObject({ offerId: ITEM.basic });
    expect(licences(N.fourth).every((l) => l.includes(SKU.BASIC))).toBe(true);
  });

  it("needs the Admin agent role and an NCE source", async () => {
    sb = await startDemo();
    const s = await sourceOf(N.fourth);
    const sales = await call(sb, "POST", `/customers/${N.fourth}/subscriptions/${s.id}/transitions`, { token: SANDBOX_TOKENS.sales, body: transfer(10) });
    expect(sales.status).toBe(403);
    expect(sales.body.description).toContain("requires the Admin agent role");
    const tooMany = await call(sb, "POST", `/customers/${N.fourth}/subscriptions/${s.id}/transitions`, { body: transfer(11) });
    expect(tooMany.status).toBe(400);
    expect(sb.changes).toEqual([]);
  });
});

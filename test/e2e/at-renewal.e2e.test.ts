/**
 * `strategy: at-renewal` end to end (issue 26), over HTTP against the sandbox: where Microsoft
 * allows the new-commerce source to change into the target at its renewal (scheduled
 * eligibilities), the change is scheduled instead of buying now; the customer waits ("scheduled",
 * `plan --detailed-exitcode` exits 2) until the renewal, after which `plan` moves the licences
 * onto the renewed subscription and buys nothing. Elsewhere it buys now, saying why. The
 * sandbox's request log and state changes prove what was written. pcplan runs in-process through
 * `main`; `apply` killed with `kill -9` needs a process of its own: at-renewal-kill.cli.test.ts.
 */
import { describe, expect, it } from "vitest";
import { SANDBOX_TOKENS } from "../../src/sandbox/index.js";
import { NCE, SKU, STANDARD_US, atRenewalPlan, holders, nceWorlds, type NceWorld } from "./nce-world.js";

const start = nceWorlds({ inProcess: true });

const COHO_SOURCE = "311e9601-19d1-5260-9acf-a31b5252eee3";
/** Coho Winery's source term ends today+P97D (the pinned now is 2026-11-24); it renews from 00:00 UTC the next day. */
const COHO_END = "2027-03-01";
const AFTER_RENEWAL = "2027-03-02T06:00:00Z";

const patches = (world: NceWorld, customerId: string) => world.writes(customerId).filter((e) => e.method === "PATCH");
const source = (world: NceWorld) => world.customer(NCE.coho).subscriptions.find((s) => s.id === COHO_SOURCE);

describe("a customer Microsoft lets change at renewal (Coho Winery)", () => {
  it("is scheduled and waits (exit 2, status scheduled) until the date; a second apply writes nothing", async () => {
    const world = await start();
    const plan = await atRenewalPlan(world, NCE.coho);

    const preview = await world.cli(["plan", plan]);
    expect(preview.stdout).toContain(
      `~ schedule O365_BUSINESS_ESSENTIALS subscription ${COHO_SOURCE} to renew on ${COHO_END} as O365_BUSINESS_PREMIUM (${STANDARD_US}, 6 seats, P1Y billed monthly); nothing is bought now, the 6 users move after that date`,
    );

    const applied = await world.cli(["apply", plan, "--auto-approve"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(patches(world, NCE.coho)).toHaveLength(1);
    expect(source(world)?.scheduledNextTermInstructions).toEqual({
      product: { productId: "CFQ7TTC0LDPB", skuId: "0001", availabilityId: "CFQ7TTC0LGNT", billingCycle: "Monthly", termDuration: "P1Y" },
      quantity: 6,
    });
    expect(world.customer(NCE.coho).carts).toEqual([]);

    // Before the date: nothing to write, but work remains.
    const waiting = await world.cli(["plan", plan, "--detailed-exitcode"]);
    expect(waiting.code, waiting.stdout).toBe(2);
    expect(waiting.stdout).toContain(`scheduled: subscription ${COHO_SOURCE} renews on ${COHO_END} as O365_BUSINESS_PREMIUM (6 seats)`);
    expect(waiting.stdout).toContain("No changes now; 1 customer scheduled to change at renewal (work remains after that date).");
    const status = await world.cli(["status", plan, "--format", "json"]);
    const row = (JSON.parse(status.stdout) as { plans: { customers: { progress: string; scheduledOn?: string }[] }[] }).plans[0]?.customers[0];
    expect(row).toMatchObject({ progress: "scheduled", scheduledOn: expect.stringMatching(new RegExp(`^${COHO_END}`)) });
    const html = await world.cli(["status", plan, "--format", "html", "--out", "status.html"]);
    expect(html.code, html.stderr).toBe(0);
    const again = await world.cli(["apply", plan, "--auto-approve"]);
    expect(again.code).toBe(0);
    expect(patches(world, NCE.coho)).toHaveLength(1);
  }, 90_000);

  it("after the renewal the same subscription is the target: the licences move, nothing is bought", async () => {
    const world = await start();
    const plan = await atRenewalPlan(world, NCE.coho);
    expect((await world.cli(["apply", plan, "--auto-approve"])).code).toBe(0);
    world.sandbox.setClock(AFTER_RENEWAL);
    expect(source(world)).toMatchObject({ offerId: STANDARD_US, quantity: 6 });
    const after = await world.cli(["plan", plan]);
    expect(after.stdout).toContain(`converted at renewal: subscription ${COHO_SOURCE} renewed on ${COHO_END} as O365_BUSINESS_PREMIUM (6 seats)`);
    expect(after.stdout).not.toContain("purchase O365");
    const moved = await world.cli(["apply", plan, "--auto-approve"]);
    expect(moved.code, moved.stdout + moved.stderr).toBe(0);
    expect(holders(world.customer(NCE.coho), SKU.STANDARD)).toHaveLength(6);
    expect(holders(world.customer(NCE.coho), SKU.BASIC)).toEqual([]);
    expect(world.customer(NCE.coho).carts).toEqual([]);
    expect(world.customer(NCE.coho).orders).toEqual([]);
    const done = await world.cli(["plan", plan, "--detailed-exitcode"]);
    expect(done.code, done.stdout).toBe(0);
  }, 90_000);

  it("a mid-term change that dropped the scheduled change is detected, shown and scheduled again", async () => {
    const world = await start();
    const plan = await atRenewalPlan(world, NCE.coho);
    expect((await world.cli(["apply", plan, "--auto-approve"])).code).toBe(0);
    // Someone raises the quantity mid-term in Partner Center: the reference deletes scheduled changes then.
    const url = `${world.sandbox.url}/customers/${NCE.coho}/subscriptions/${COHO_SOURCE}`;
    const headers = { Authorization: `Bearer ${SANDBOX_TOKENS.admin}`, "Content-Type": "application/json", Accept: "application/json" };
    const sub = (await (await fetch(url, { headers })).json()) as Record<string, unknown>;
    const raised = await fetch(url, { method: "PATCH", headers, body: JSON.stringify({ ...sub, quantity: 7 }) });
    expect(raised.status).toBe(200);
    expect(source(world)?.scheduledNextTermInstructions).toBeUndefined();

    const seen = await world.cli(["plan", plan, "--detailed-exitcode"]);
    expect(seen.code).toBe(2);
    expect(seen.stdout).toMatch(/warning: the change to CFQ7TTC0LDPB:0001:CFQ7TTC0LGNT pcplan scheduled on \S+ for 2027-03-01 is gone: a mid-term change/);
    expect(seen.stdout).toContain(`~ schedule O365_BUSINESS_ESSENTIALS subscription ${COHO_SOURCE} to renew on ${COHO_END}`);
    expect((await world.cli(["apply", plan, "--auto-approve"])).code).toBe(0);
    expect(source(world)?.scheduledNextTermInstructions?.quantity).toBe(6);
  }, 60_000);
});

describe("where Microsoft does not allow it, the customer is bought now with the reason", () => {
  it("Lamna (not eligible), Relecloud (two source subscriptions), Alpine (cancellation window open)", async () => {
    const world = await start();
    const plan = await atRenewalPlan(world, NCE.lamna, NCE.relecloud, NCE.alpine);
    const r = await world.cli(["plan", plan, "--format", "json"]);
    const customers = (JSON.parse(r.stdout) as { customers: { id: string; actions: { kind: string }[]; notes: { code: string; message: string }[] }[] })
      .customers;
    const of = (id: string) => customers.find((c) => c.id === id);
    for (const id of [NCE.lamna, NCE.relecloud, NCE.alpine]) {
      expect(of(id)?.actions.map((a) => a.kind)).toContain("purchase");
      expect(of(id)?.actions.map((a) => a.kind)).not.toContain("schedule");
    }
    const why = (id: string) => of(id)?.notes.find((n) => n.code === "at-renewal-fallback")?.message;
    expect(why(NCE.lamna)).toContain(
      "may not change to CFQ7TTC0LDPB:0001 at renewal: Subscription cannot be changed at renewal because there are conflicting services.",
    );
    expect(why(NCE.relecloud)).toContain("2 source subscriptions");
    expect(why(NCE.alpine)).toContain("may still be cancelled with a prorated refund");
    expect(world.writes()).toEqual([]);
  });
});

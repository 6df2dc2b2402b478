/**
 * `strategy: transition` end to end (issue 14): where Microsoft allows a transition with licence
 * transfer, one transition replaces purchase + reassign + retirement; elsewhere the customer falls
 * back to a purchase with the reason. The sandbox's request log proves what was written.
 */
import { describe, expect, it } from "vitest";
import { startHostileProxy } from "../helpers/hostile-proxy.js";
import { NCE, NCE_PLAN, SKU, STANDARD_US, holders, nceWorlds, type NceWorld } from "./nce-world.js";

const start = nceWorlds({ inProcess: true });

const FOURTH_SOURCE = "c5dd123b-2415-5784-a87a-a6d7771b0c31";
const TRANSITIONS = `/v1/customers/${NCE.fourth}/subscriptions/${FOURTH_SOURCE}/transitions`;
/** TransitionErrorCode 4, ConcurrencyConflicts (Partner Center .NET SDK reference, TransitionErrorCode enum). */
const CONFLICT = { code: 4, description: "Transition cannot be performed due to concurrent subscription restrictions." };

const apply = (world: NceWorld, ...args: string[]) => world.cli(["apply", NCE_PLAN, "--auto-approve", ...args]);
const transitionPosts = (world: NceWorld, customerId: string) => world.writes(customerId).filter((e) => e.method === "POST" && e.path.endsWith("/transitions"));
const started = (world: NceWorld, customerId: string) => world.changes(customerId).filter((c) => c.kind === "transition" && c.phase === "started");

describe("an eligible customer (Fourth Coffee)", () => {
  it("is migrated by exactly one transition: no cart, no licence update, no retirement write; then plan shows no changes", async () => {
    const world = await start({ sandbox: { transitionDelayMs: 1500 } });
    const r = await apply(world, "--customer", NCE.fourth);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `» transition O365_BUSINESS_ESSENTIALS subscription ${FOURTH_SOURCE} → O365_BUSINESS_PREMIUM (${STANDARD_US}, 10 seats, P1Y billed monthly); Microsoft moves the 10 users' licences`,
    );
    expect(world.writes(NCE.fourth).map((e) => `${e.method} ${e.path}`)).toEqual([`POST ${TRANSITIONS}`]);
    expect(world.changes(NCE.fourth)).toEqual([
      expect.objectContaining({ kind: "transition", phase: "started", toCatalogItemId: STANDARD_US }),
      expect.objectContaining({ kind: "transition", phase: "completed", usersMoved: 10 }),
    ]);
    // Polled until done, by operationId.
    expect(world.sandbox.requestLog.some((e) => e.method === "GET" && e.path === TRANSITIONS)).toBe(true);
    const fourth = world.customer(NCE.fourth);
    expect(holders(fourth, SKU.STANDARD)).toHaveLength(10);
    expect(holders(fourth, SKU.BASIC)).toEqual([]);
    expect(fourth.carts).toEqual([]);

    const after = await world.cli(["plan", NCE_PLAN, "--customer", NCE.fourth, "--detailed-exitcode"]);
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain("No changes. Live state matches the plans.");
  });

  it("--diff shows the licence state before and after the transition", async () => {
    const world = await start();
    const r = await world.cli(["plan", NCE_PLAN, "--customer", NCE.fourth, "--diff"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`-subscription ${FOURTH_SOURCE} O365_BUSINESS_ESSENTIALS active 10 seats`);
    expect(r.stdout).toContain(`+subscription ${FOURTH_SOURCE} O365_BUSINESS_PREMIUM active 10 seats`);
    expect(r.stdout).toContain("-avery.adams@fourthcoffee.onmicrosoft.com: O365_BUSINESS_ESSENTIALS");
    expect(r.stdout).toContain("+avery.adams@fourthcoffee.onmicrosoft.com: O365_BUSINESS_PREMIUM");
    expect(world.writes()).toEqual([]);
  });

  it("a lost response on the transition POST does not start a second one", async () => {
    const world = await start();
    // Every committed write loses its answer; the client's retry (same request id) is replayed.
    world.sandbox.setFaults({ lostResponseRate: 1 });
    const r = await apply(world, "--customer", NCE.fourth);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const posts = transitionPosts(world, NCE.fourth);
    expect(posts.map((e) => e.fault ?? (e.replayed ? "replayed" : "answered"))).toEqual(["lost", "replayed"]);
    expect(new Set(posts.map((e) => e.requestId)).size).toBe(1);
    expect(started(world, NCE.fourth)).toHaveLength(1);
    expect(holders(world.customer(NCE.fourth), SKU.STANDARD)).toHaveLength(10);
  });

  it("a transition still running when the run ends is followed by the next run, never started again", async () => {
    const world = await start({ sandbox: { transitionDelayMs: 3_600_000 } });
    const first = await apply(world, "--customer", NCE.fourth, "--provisioning-timeout", "0");
    expect(first.code, first.stdout + first.stderr).toBe(3);
    expect(first.stdout).toMatch(
      new RegExp(`provisioning +Fourth Coffee \\(${NCE.fourth}\\): the transition of subscription ${FOURTH_SOURCE} is still running`),
    );

    const second = await apply(world, "--customer", NCE.fourth, "--provisioning-timeout", "0");
    expect(second.code, second.stdout + second.stderr).toBe(3);
    expect(transitionPosts(world, NCE.fourth)).toHaveLength(1);

    world.sandbox.setClock("2026-11-24T02:00:00Z");
    const done = await world.cli(["plan", NCE_PLAN, "--customer", NCE.fourth, "--detailed-exitcode"]);
    expect(done.code, done.stdout).toBe(0);
    expect(started(world, NCE.fourth)).toHaveLength(1);
  });

  it("an earlier transition of the same subscription that completed (Conversion events only) is history: a new one is started and followed to its own completion", async () => {
    const world = await start({ sandbox: { transitionDelayMs: 1500 } });
    // get-transitions' example for a licence transfer: Conversion Started, then Completed — no other event.
    const earlier = {
      operationId: "0f0e0d0c-0b0a-4909-8807-060504030201",
      fromCatalogItemId: "CFQ7TTC0LH18:0001:CFQ7TTC0LH0R",
      toCatalogItemId: STANDARD_US,
      quantity: 1,
      transitionType: "transition_with_license_transfer",
      events: [
        { name: "Conversion", status: "Started ", timestamp: "2026-10-01T00:00:00Z" },
        { name: "Conversion", status: "Completed", timestamp: "2026-10-01T00:05:00Z" },
      ],
    };
    // The proxy adds that operation to the subscription's history, as Partner Center keeps it.
    const proxy = await startHostileProxy(world.sandbox.url, {
      response(req, answer) {
        const asked = req.query.get("operationId");
        if (req.method !== "GET" || req.path !== TRANSITIONS || (asked !== null && asked !== earlier.operationId)) return;
        const body = answer.body as { transition?: unknown[]; items?: unknown[] };
        const key = body.transition ? "transition" : "items";
        body[key] = [earlier, ...(asked === null ? (body[key] ?? []) : [])];
      },
    });
    try {
      const r = await world.cliAt(proxy.url, ["apply", NCE_PLAN, "--auto-approve", "--customer", NCE.fourth]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(transitionPosts(world, NCE.fourth)).toHaveLength(1);
      expect(world.changes(NCE.fourth).map((c) => (c.kind === "transition" ? c.phase : c.kind))).toEqual(["started", "completed"]);
      // The licences' move is read from live state: nobody holds the source any more.
      const after = await world.cliAt(proxy.url, ["plan", NCE_PLAN, "--customer", NCE.fourth, "--detailed-exitcode"]);
      expect(after.code, after.stdout).toBe(0);
      expect(holders(world.customer(NCE.fourth), SKU.BASIC)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("a transition that fails stops only its customer and names Microsoft's error; the next run plans it again", async () => {
    const world = await start({
      fixture: (f) => {
        const s = f.customers.find((c) => c.id === NCE.fourth)?.subscriptions[0];
        const transfer = s?.transitionEligibilities?.[0]?.eligibilities.find((e) => e.transitionType === "transition_with_license_transfer");
        if (!transfer) throw new Error("fixture: Fourth Coffee has no licence-transfer eligibility");
        transfer.failure = CONFLICT;
      },
    });
    const r = await apply(world, "--customer", NCE.fourth, "--customer", NCE.lamna);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toMatch(
      new RegExp(
        `failed +Fourth Coffee \\(${NCE.fourth}\\): transition failed: Microsoft's transition of subscription ${FOURTH_SOURCE} to ${STANDARD_US} failed: 4 ${CONFLICT.description}`,
      ),
    );
    expect(r.stdout).toMatch(new RegExp(`applied +Lamna Healthcare \\(${NCE.lamna}\\)`));
    expect(world.writes(NCE.fourth).map((e) => e.path)).toEqual([TRANSITIONS]);
    expect(holders(world.customer(NCE.fourth), SKU.BASIC)).toHaveLength(10);
    expect(holders(world.customer(NCE.lamna), SKU.STANDARD)).toHaveLength(5);

    const again = await world.cli(["plan", NCE_PLAN, "--customer", NCE.fourth]);
    expect(again.stdout).toContain(`» transition O365_BUSINESS_ESSENTIALS subscription ${FOURTH_SOURCE}`);
  });
});

describe("falling back to purchase", () => {
  it("an ineligible customer (Lamna) buys instead, with Microsoft's reason in the preview", async () => {
    const world = await start();
    const preview = await world.cli(["plan", NCE_PLAN, "--customer", NCE.lamna]);
    expect(preview.stdout).toContain(
      "no transition, falling back to purchase: not eligible for a transition with licence transfer to CFQ7TTC0LDPB:0001: Subscription cannot be transitioned because there are conflicting services.",
    );
    expect(preview.stdout).toContain("+ purchase O365_BUSINESS_PREMIUM × 5 (new commerce");
    const r = await apply(world, "--customer", NCE.lamna);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(transitionPosts(world, NCE.lamna)).toEqual([]);
    expect(world.customer(NCE.lamna).carts).toHaveLength(1);
    expect(holders(world.customer(NCE.lamna), SKU.STANDARD)).toHaveLength(5);
  });

  it("excluded users holding the source force the fallback (Margie's), though Microsoft would allow the transition", async () => {
    const world = await start();
    const preview = await world.cli(["plan", NCE_PLAN, "--customer", NCE.margie]);
    expect(preview.stdout).toContain("no transition, falling back to purchase: excluded users hold the source (a transition moves every user)");
    const r = await apply(world, "--customer", NCE.margie);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(transitionPosts(world, NCE.margie)).toEqual([]);
    expect(holders(world.customer(NCE.margie), SKU.BASIC)).toEqual(["bookings@margiestravel.onmicrosoft.com"]);
  });
});

describe("the whole new-commerce plan", () => {
  it("converges: transitions where allowed, purchases elsewhere, Tailwind once its order provisions; then no changes", async () => {
    const world = await start();
    // Tailwind's order, placed earlier, is awaited: past the wait it is "provisioning" (exit 3), never unchanged.
    const first = await apply(world, "--provisioning-timeout", "0");
    expect(first.code, first.stdout + first.stderr).toBe(3);
    expect(first.stdout).toMatch(new RegExp(`provisioning +Tailwind Traders \\(${NCE.tailwind}\\)`));
    // Only Fourth Coffee transitioned; the pending order kept Tailwind untouched.
    expect(
      world
        .writes()
        .filter((e) => e.path.endsWith("/transitions"))
        .map((e) => e.customerId),
    ).toEqual([NCE.fourth]);
    expect(world.changingWrites(NCE.tailwind)).toEqual([]);

    world.sandbox.setClock("2026-11-24T00:30:00Z");
    const second = await apply(world);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(world.writes(NCE.tailwind).filter((e) => e.path.endsWith("/carts"))).toEqual([]);
    expect(holders(world.customer(NCE.tailwind), SKU.STANDARD)).toHaveLength(7);

    const after = await world.cli(["plan", NCE_PLAN, "--detailed-exitcode"]);
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain("No changes. Live state matches the plans.");
  });
});

/**
 * Orders as the reference reports them, end to end (issue 21 §3 and §4, issue 22 §2): pcplan
 * (in-process, through `main`) against the sandbox over HTTP — a cancelled order is a failed purchase; the provisioning
 * status is not every credential's to read; an expired cart is never checked out; an order placed
 * by an earlier run is awaited and finished, never "No changes"; no second purchase while an
 * order is not seen settled, whatever it buys, across runs and working folders. A proxy rewrites
 * answers only where the sandbox cannot lag as the real service may.
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SANDBOX_TOKENS } from "../../src/sandbox/index.js";
import { tempCheckout } from "../helpers/cli.js";
import { startHostileProxy, unavailable } from "../helpers/hostile-proxy.js";
import { NCE, NCE_PLAN, NOW, SKU, basicToStandard, holders, nceWorlds, writePlan, type NceWorld } from "./nce-world.js";

const start = nceWorlds({ inProcess: true });

const DAY = 86_400_000;
const ENV = { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin, PCPLAN_TEST_TIME_SCALE: "0.01", PCPLAN_TEST_BACKOFF_MS: "1" };
const apply = (world: NceWorld, ...args: string[]) => world.cli(["apply", NCE_PLAN, "--auto-approve", ...args]);
const ordersOf = (world: NceWorld, customerId: string) => world.changes(customerId).flatMap((c) => (c.kind === "order" ? [c.orderId] : []));
const cartsOf = (world: NceWorld, customerId: string) => world.changes(customerId).filter((c) => c.kind === "cart");
const journal = async (cwd: string) =>
  (await readFile(join(cwd, ".pcplan/purchases.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Alpine alone, Basic → Standard, keeping its source (so a later sandbox clock cannot close a cancellation window under the test). */
const alpineKeep = (world: NceWorld) =>
  writePlan(
    world.cwd,
    "alpine-keep",
    basicToStandard("alpine-keep", `  decommission: keep\n  customers:\n    - id: ${NCE.alpine}\n      name: Alpine Ski House\n`),
  );

describe("order provisioning states (issue 21 §3)", () => {
  it("an order Microsoft cancels is a failed purchase: exit 1, named, journalled failed, never 'seats bought' nor waited to the timeout", async () => {
    const world = await start({
      sandbox: { provisioningDelayMs: 1500 },
      fixture: (f) => void (f.customers.find((c) => c.id === NCE.alpine)!.ordersCancelled = true),
    });
    const r = await apply(world, "--customer", NCE.alpine);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const [orderId] = ordersOf(world, NCE.alpine);
    expect(r.stdout).toMatch(new RegExp(`failed +Alpine Ski House \\(${NCE.alpine}\\): purchase failed: Microsoft cancelled order ${orderId}`));
    expect(r.stdout + r.stderr).not.toMatch(/seats are bought|still provisioning/);
    expect(r.stdout).toContain("later steps skipped (reassign, cancel)");
    expect(world.changes(NCE.alpine).filter((c) => c.kind === "licenses")).toEqual([]);
    expect((await journal(world.cwd)).at(-1)).toMatchObject({ phase: "failed", reason: "cancelled", orderIds: [orderId] });
    // Settled (cancelled): the next plan buys again rather than waiting on it.
    const again = await world.cli(["plan", NCE_PLAN, "--customer", NCE.alpine]);
    expect(again.stdout).toContain("+ purchase O365_BUSINESS_PREMIUM × 8");
    expect(again.stdout).not.toContain("awaiting provisioning");
  });

  it("with a credential the provisioning status refuses (a Sales agent), apply follows the order itself and the subscriptions, and finishes", async () => {
    const world = await start({
      sandbox: { provisioningDelayMs: 1500 },
      fixture: (f) =>
        void f.credentials.push({
          token: "sandbox-sales-full-gdap-token",
          role: "sales-agent",
          name: "Sales agent with licence roles",
          gdap: { "*": ["Directory Readers", "License Administrator"] },
        }),
    });
    const r = await world.run(["apply", NCE_PLAN, "--auto-approve", "--customer", NCE.alpine, "--endpoint", world.sandbox.url, "--now", NOW], {
      cwd: world.cwd,
      env: { ...ENV, PARTNER_CENTER_TOKEN: "sandbox-sales-full-gdap-token" },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(world.sandbox.requestLog.filter((e) => e.path.endsWith("/provisioningstatus"))).toEqual([]);
    expect(world.sandbox.requestLog.some((e) => e.method === "GET" && /\/orders\/[^/]+$/.test(e.path))).toBe(true);
    expect(holders(world.customer(NCE.alpine), SKU.STANDARD)).toHaveLength(8);
  });

  it("a cart that expired (7 days) is never checked out again: journalled failed, a new cart under a new request id, exactly one order", async () => {
    const world = await start();
    const plan = await alpineKeep(world);
    // The first run's checkout never gets through (503 every time): its cart stays open in the journal.
    const proxy = await startHostileProxy(world.sandbox.url, { request: (req) => (req.path.endsWith("/checkout") ? unavailable() : undefined) });
    try {
      const first = await world.run(["apply", plan, "--auto-approve", "--endpoint", proxy.url, "--now", NOW], { cwd: world.cwd, env: ENV });
      expect(first.code, first.stdout + first.stderr).toBe(1);
    } finally {
      await proxy.close();
    }
    const [firstCart] = cartsOf(world, NCE.alpine);
    expect(firstCart).toBeDefined();
    // Eight days on, for the service and for pcplan alike.
    const later = new Date(Date.parse(NOW) + 8 * DAY).toISOString();
    world.sandbox.setClock(later);

    const second = await world.run(["apply", plan, "--auto-approve", "--endpoint", world.sandbox.url, "--now", later], { cwd: world.cwd, env: ENV });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const checkouts = world.sandbox.requestLog.filter((e) => e.path.endsWith("/checkout"));
    expect(checkouts.filter((e) => firstCart?.kind === "cart" && e.path.includes(firstCart.cartId) && e.status !== 503)).toEqual([]);
    expect(cartsOf(world, NCE.alpine)).toHaveLength(2);
    expect(ordersOf(world, NCE.alpine)).toHaveLength(1);
    expect(await journal(world.cwd)).toContainEqual(
      expect.objectContaining({ phase: "failed", reason: "expired", cartId: firstCart?.kind === "cart" ? firstCart.cartId : "" }),
    );
    expect(holders(world.customer(NCE.alpine), SKU.STANDARD)).toHaveLength(8);
  });
});

describe("an order placed by an earlier run (issue 21 §4)", () => {
  it("is not 'No changes': plan --detailed-exitcode exits 2, status shows it in progress, apply past the wait ends it 'provisioning' (exit 3)", async () => {
    const world = await start();
    const plan = await world.cli(["plan", NCE_PLAN, "--customer", NCE.tailwind, "--detailed-exitcode"]);
    expect(plan.code, plan.stdout).toBe(2);
    expect(plan.stdout).toContain("~ await order 7a1c0d2e3f40 (O365_BUSINESS_PREMIUM × 7), placed earlier and still provisioning");
    expect(plan.stdout).not.toContain("No changes");
    expect(plan.stdout).not.toContain("+ purchase");

    const status = await world.cli(["status", NCE_PLAN, "--customer", NCE.tailwind, "--format", "json"]);
    const row = (JSON.parse(status.stdout) as { plans: { customers: { progress: string; pending: Record<string, number> }[] }[] }).plans[0]?.customers[0];
    expect(row?.progress).toBe("in-progress");
    expect(row?.pending.await).toBe(1);

    const r = await apply(world, "--customer", NCE.tailwind, "--provisioning-timeout", "0");
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toMatch(new RegExp(`provisioning +Tailwind Traders \\(${NCE.tailwind}\\): order 7a1c0d2e3f40 is still provisioning`));
    expect(r.stdout).not.toContain("No changes");
    expect(world.changingWrites(NCE.tailwind)).toEqual([]);
  });

  it("apply waits for it as for its own order, then finishes the customer: users moved, source not renewed, nothing bought", async () => {
    const world = await start({
      fixture: (f) => {
        const order = f.customers.find((c) => c.id === NCE.tailwind)?.orders?.[0];
        if (order) order.fulfillAt = "now+PT3S";
      },
    });
    const r = await apply(world, "--customer", NCE.tailwind);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`applied +Tailwind Traders \\(${NCE.tailwind}\\)`));
    expect(world.writes(NCE.tailwind).filter((e) => e.path.endsWith("/carts"))).toEqual([]);
    expect(holders(world.customer(NCE.tailwind), SKU.STANDARD)).toHaveLength(7);
    expect(holders(world.customer(NCE.tailwind), SKU.BASIC)).toEqual([]);
    expect((await world.cli(["plan", NCE_PLAN, "--customer", NCE.tailwind, "--detailed-exitcode"])).code).toBe(0);
  });
});

describe("no second purchase while the first is not seen settled (issue 22 §2)", () => {
  it("(a) completed, its subscription not listed yet, and an unrelated subscription changed: the journal's order blocks a rebuy, and without the journal the order of the last day does, in the preview too", async () => {
    const world = await start();
    const plan = await alpineKeep(world);
    // Partner Center lags: Alpine's new Business Standard subscription is not listed yet.
    const proxy = await startHostileProxy(world.sandbox.url, {
      response(req, answer) {
        if (req.method !== "GET" || req.customerId !== NCE.alpine || !req.path.endsWith("/subscriptions")) return;
        const body = answer.body as { items: { offerId: string }[]; totalCount: number };
        body.items = body.items.filter((s) => !s.offerId.toUpperCase().startsWith("CFQ7TTC0LDPB:"));
        body.totalCount = body.items.length;
      },
    });
    const run = (...args: string[]) => world.run([...args, "--endpoint", proxy.url, "--now", NOW], { cwd: world.cwd, env: ENV });
    try {
      const first = await run("apply", plan, "--auto-approve", "--provisioning-timeout", "0");
      expect(first.code, first.stdout + first.stderr).toBe(3);
      expect(ordersOf(world, NCE.alpine)).toHaveLength(1);
      // An unrelated change: a seat added to another of Alpine's subscriptions (its source, which it keeps).
      const source = world.customer(NCE.alpine).subscriptions.find((s) => s.offerId.startsWith("CFQ7TTC0LH18"));
      const patched = await fetch(`${world.sandbox.url}/customers/${NCE.alpine}/subscriptions/${source?.id}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${SANDBOX_TOKENS.admin}`, "content-type": "application/json", "ms-requestid": crypto.randomUUID() },
        body: JSON.stringify({ ...source, quantity: (source?.quantity ?? 0) + 1 }),
      });
      expect(patched.status).toBe(200);

      const preview = await run("plan", plan, "--detailed-exitcode");
      expect(preview.code, preview.stdout).toBe(2);
      expect(preview.stdout).not.toContain("+ purchase");
      expect(preview.stdout).toContain(`~ await order ${ordersOf(world, NCE.alpine)[0]}`);
      const second = await run("apply", plan, "--auto-approve", "--provisioning-timeout", "0");
      expect(second.code, second.stdout + second.stderr).toBe(3);
      expect(ordersOf(world, NCE.alpine)).toHaveLength(1);
      expect(cartsOf(world, NCE.alpine)).toHaveLength(1);

      // A runner without the journal (another working folder) takes the order completed moments
      // ago, its subscription not listed yet, as in flight: when it plans (the preview shows no
      // purchase) as when it re-checks before buying (test/apply/commerce.test.ts). No cart, no
      // checkout, no licence proof (the soak's second folder gave a moved user the source back
      // with its proof, in this window).
      await rm(join(world.cwd, ".pcplan/purchases.jsonl"));
      const writesBefore = world.writes(NCE.alpine).length;
      const unjournalled = await run("plan", plan, "--detailed-exitcode");
      expect(unjournalled.code, unjournalled.stdout).toBe(2);
      expect(unjournalled.stdout).not.toContain("+ purchase");
      expect(unjournalled.stdout).toContain(`~ await order ${ordersOf(world, NCE.alpine)[0]}`);
      const third = await run("apply", plan, "--auto-approve", "--provisioning-timeout", "0");
      expect(third.code, third.stdout + third.stderr).toBe(3);
      expect(world.writes(NCE.alpine).slice(writesBefore)).toEqual([]);
      expect(ordersOf(world, NCE.alpine)).toHaveLength(1);
      expect(cartsOf(world, NCE.alpine)).toHaveLength(1);
      expect(world.customer(NCE.alpine).orders).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  const e1Plan = (name: string) =>
    `apiVersion: pcplan/v1
kind: MigrationPlan
metadata:
  name: ${name}
spec:
  source: { sku: O365_BUSINESS_ESSENTIALS }
  target: { sku: STANDARDPACK }
  decommission: keep
  customers:
    - id: ${NCE.alpine}
      name: Alpine Ski House
`;

  it("(b) the target changed while the first order provisions — the same folder, then another folder: plan shows the pending order, apply buys nothing", async () => {
    const world = await start({ sandbox: { provisioningDelayMs: 3_600_000 } });
    const standard = await alpineKeep(world);
    expect((await world.cli(["apply", standard, "--auto-approve", "--provisioning-timeout", "0"])).code).toBe(3);
    const [orderId] = ordersOf(world, NCE.alpine);

    // The same folder, its plan's target changed to Office 365 E1.
    const e1 = await writePlan(world.cwd, "alpine-keep", e1Plan("alpine-keep"));
    const preview = await world.cli(["plan", e1]);
    expect(preview.stdout).toContain(`~ await order ${orderId}, placed earlier and not settled yet: nothing is bought for this customer until it settles`);
    expect(preview.stdout).not.toContain("+ purchase");
    expect((await world.cli(["apply", e1, "--auto-approve", "--provisioning-timeout", "0"])).code).toBe(3);

    // Another working folder (no journal) with the E1 target: the live pending order blocks it.
    const other = await tempCheckout();
    const otherPlan = await writePlan(other, "alpine-e1", e1Plan("alpine-e1"));
    const elsewhere = (...args: string[]) => world.run([...args, "--endpoint", world.sandbox.url, "--now", NOW], { cwd: other, env: ENV });
    expect((await elsewhere("plan", otherPlan)).stdout).toContain(`~ await order ${orderId}`);
    expect((await elsewhere("apply", otherPlan, "--auto-approve", "--provisioning-timeout", "0")).code).toBe(3);

    expect(ordersOf(world, NCE.alpine)).toEqual([orderId]);
    expect(cartsOf(world, NCE.alpine)).toHaveLength(1);
  });

  it("(b) two folders at once: a plan saved before the other folder bought is refused, its customer changed by the live pending order", async () => {
    const world = await start({ sandbox: { provisioningDelayMs: 3_600_000 } });
    const other = await tempCheckout();
    const otherPlan = await writePlan(other, "alpine-e1", e1Plan("alpine-e1"));
    const elsewhere = (...args: string[]) => world.run([...args, "--endpoint", world.sandbox.url, "--now", NOW], { cwd: other, env: ENV });
    // The other folder plans (and saves) a purchase of E1 while nothing is in flight yet…
    const saved = await elsewhere("plan", otherPlan, "--out", "plan.json");
    expect(saved.stdout).toContain("+ purchase STANDARDPACK × 8");
    // …then this folder buys Business Standard…
    expect((await world.cli(["apply", await alpineKeep(world), "--auto-approve", "--provisioning-timeout", "0"])).code).toBe(3);
    const [orderId] = ordersOf(world, NCE.alpine);
    // …and the other folder's reviewed plan is applied: the pending order is part of the state it
    // was saved from, so the customer changed and nothing is bought. (Where the order appears only
    // between that read and the purchase, the purchase's own last check stops it:
    // test/apply/commerce.test.ts.)
    const r = await elsewhere("apply", "plan.json");
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toContain(`Alpine Ski House (${NCE.alpine})`);
    expect(r.stderr).toMatch(/1 customer changed since the plan was saved; nothing was applied\. Run plan again/);
    expect(ordersOf(world, NCE.alpine)).toEqual([orderId]);
    expect(cartsOf(world, NCE.alpine)).toHaveLength(1);
  });
});

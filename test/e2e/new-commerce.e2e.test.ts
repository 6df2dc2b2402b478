/**
 * New commerce end to end (issue 13): pcplan (in-process, through `main`) against the sandbox over
 * HTTP, buying through carts, waiting for provisioning, and retiring new-commerce sources the way
 * they are billed. The sandbox's request log and state changes are the proof of what was and was
 * not written. `apply` killed with `kill -9` needs a process of its own: new-commerce-kill.cli.test.ts.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, loadFixture, startSandbox, type SandboxWorld } from "../../src/sandbox/index.js";
import { startInterceptingProxy, type InterceptingProxy } from "../helpers/intercepting-proxy.js";
import {
  NCE,
  NCE_PLAN,
  NOW,
  SKU,
  STANDARD_GB,
  STANDARD_US,
  basicToStandard,
  holders,
  nceWorlds,
  writePlan,
  type NceWorld,
  type WorldOptions,
} from "./nce-world.js";

const start = nceWorlds({ inProcess: true });

const ALPINE_SOURCE = "2a1da50c-dbc5-57bc-a87a-16c7289ce76b";
const COHO_SOURCE = "311e9601-19d1-5260-9acf-a31b5252eee3";
const RELECLOUD_MONTHLY = "b7a8cbcb-00fd-5d4b-abcb-e7cb6655ea07";
const RELECLOUD_ANNUAL = "1c4edc1c-5c4a-5cc4-934e-8844bca92c0f";

const apply = (world: NceWorld, ...args: string[]) => world.cli(["apply", NCE_PLAN, "--auto-approve", ...args]);
const kinds = (world: NceWorld, customerId: string) => world.changes(customerId).map((c) => c.kind);
const ordersOf = (world: NceWorld, customerId: string) => world.changes(customerId).flatMap((c) => (c.kind === "order" ? [c.orderId] : []));
const subscription = (world: NceWorld, customerId: string, id: string) => world.customer(customerId).subscriptions.find((s) => s.id === id);
const patches = (world: NceWorld, customerId: string) => world.writes(customerId).filter((e) => e.method === "PATCH");

describe("buying through new commerce", () => {
  it("puts the plan's term and billing on the cart, and the bought subscription carries them", async () => {
    const world = await start();
    const plan = await writePlan(
      world.cwd,
      "alpine-p3y",
      basicToStandard("alpine-p3y", `  purchase: { term: P3Y, billing: annual }\n  customers:\n    - id: ${NCE.alpine}\n      name: Alpine Ski House\n`),
    );
    const r = await world.cli(["apply", plan, "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "+ purchase O365_BUSINESS_PREMIUM × 8 (new commerce: Microsoft 365 Business Standard, CFQ7TTC0LDPB:0001, P3Y billed annual, US)",
    );
    const alpine = world.customer(NCE.alpine);
    // The cart as the sandbox took it from the POST body.
    expect(alpine.carts).toHaveLength(1);
    expect(alpine.carts[0]?.lineItems).toEqual([
      expect.objectContaining({ catalogItemId: STANDARD_US, quantity: 8, termDuration: "P3Y", billingCycle: "annual" }),
    ]);
    expect(alpine.subscriptions.find((s) => s.offerId === STANDARD_US)).toMatchObject({
      quantity: 8,
      termDuration: "P3Y",
      billingCycle: "annual",
      status: "active",
    });
    expect(world.writes(NCE.alpine).filter((e) => e.path.endsWith("/carts"))).toHaveLength(1);
  });

  it("waits for the order to provision before it reassigns anyone", async () => {
    const world = await start({ sandbox: { provisioningDelayMs: 1500 } });
    const r = await apply(world, "--customer", NCE.alpine);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // The order had no subscription when checkout answered; licences moved only once it was provisioned.
    expect(kinds(world, NCE.alpine)).toEqual(["cart", "order", "checkout", "provisioned", ...Array<string>(8).fill("licenses"), "subscription"]);
    expect(world.changes(NCE.alpine).find((c) => c.kind === "order")).toMatchObject({ subscriptionIds: [] });
    const log = world.sandbox.requestLog.filter((e) => e.customerId === NCE.alpine);
    // The first licence update after the checkout (the one before the cart is apply's access proof, which changes nothing).
    const checkout = log.findIndex((e) => e.path.endsWith("/checkout"));
    const firstLicence = log.findIndex((e, i) => i > checkout && e.path.endsWith("/licenseupdates"));
    expect(checkout).toBeGreaterThan(-1);
    // Followed through the order itself (every credential may read it; the provisioning status is App+User Admin agent only).
    const lastPoll = log.findLastIndex((e) => e.method === "GET" && /\/orders\/[^/]+$/.test(e.path));
    expect(lastPoll).toBeGreaterThan(-1);
    expect(lastPoll).toBeLessThan(firstLicence);
    expect(holders(world.customer(NCE.alpine), SKU.STANDARD)).toHaveLength(8);
  });

  it("past --provisioning-timeout the customer ends 'provisioning' (exit 3); the next run carries on without buying again", async () => {
    const world = await start({ sandbox: { provisioningDelayMs: 3_600_000 } });
    const first = await apply(world, "--customer", NCE.alpine, "--provisioning-timeout", "0");
    expect(first.code, first.stdout + first.stderr).toBe(3);
    const [orderId] = ordersOf(world, NCE.alpine);
    expect(first.stdout).toMatch(new RegExp(`provisioning +Alpine Ski House \\(${NCE.alpine}\\): order ${orderId} is still provisioning`));
    expect(first.stdout).toContain("Alpine Ski House (provisioning)");
    expect(kinds(world, NCE.alpine)).toEqual(["cart", "order", "checkout"]);

    // While it provisions, plan waits with the customer (the journal or the orders list names the order).
    const waiting = await world.cli(["plan", NCE_PLAN, "--customer", NCE.alpine]);
    expect(waiting.stdout).toContain(`awaiting provisioning (order ${orderId})`);
    expect(waiting.stdout).not.toContain("+ purchase");

    world.sandbox.setClock("2026-11-24T02:00:00Z");
    const second = await apply(world, "--customer", NCE.alpine);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(ordersOf(world, NCE.alpine)).toEqual([orderId]);
    expect(kinds(world, NCE.alpine)).toEqual(["cart", "order", "checkout", "provisioned", ...Array<string>(8).fill("licenses"), "subscription"]);
    const done = await world.cli(["plan", NCE_PLAN, "--customer", NCE.alpine, "--detailed-exitcode"]);
    expect(done.code, done.stdout).toBe(0);
  });

  it("every write's answer lost (cart, checkout, licences, cancel): retried under the same request ids, one cart and one order", async () => {
    const world = await start({ sandbox: { provisioningDelayMs: 1500 } });
    world.sandbox.setFaults({ lostResponseRate: 1 });
    const r = await apply(world, "--customer", NCE.alpine);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(world.writes(NCE.alpine).filter((e) => e.fault === "lost")).toHaveLength(11);
    expect(kinds(world, NCE.alpine)).toEqual(["cart", "order", "checkout", "provisioned", ...Array<string>(8).fill("licenses"), "subscription"]);
    expect(world.customer(NCE.alpine).orders).toHaveLength(1);
  });

  it("plan sees an order still provisioning (Tailwind): no purchase; it is awaited before the reassignments, until it is provisioned", async () => {
    const world = await start();
    const json = await world.cli(["plan", NCE_PLAN, "--customer", NCE.tailwind, "--format", "json"]);
    const [tailwind] = (JSON.parse(json.stdout) as { customers: { actions: { kind: string }[]; notes: unknown[] }[] }).customers;
    // Issue 21 §4: an order placed earlier is work not done (it was "no actions", and apply exited 0).
    expect(tailwind?.actions.map((a) => a.kind)).toEqual(["await", ...Array<string>(7).fill("reassign"), "no-renew"]);
    expect(tailwind?.notes).toContainEqual({ level: "warning", code: "awaiting-provisioning", message: "awaiting provisioning (order 7a1c0d2e3f40)" });
    const text = await world.cli(["plan", NCE_PLAN, "--customer", NCE.tailwind]);
    expect(text.stdout).toContain("awaiting provisioning (order 7a1c0d2e3f40)");
    expect(text.stdout).not.toContain("+ purchase");

    const applied = await apply(world, "--customer", NCE.tailwind, "--provisioning-timeout", "0");
    expect(applied.code).toBe(3);
    expect(world.changingWrites(NCE.tailwind)).toEqual([]);

    // The fixture's order provisions at 00:01: then the users move and the source is not renewed.
    world.sandbox.setClock("2026-11-24T00:30:00Z");
    const after = await world.cli(["plan", NCE_PLAN, "--customer", NCE.tailwind, "--format", "json"]);
    const [provisioned] = (JSON.parse(after.stdout) as { customers: { actions: { kind: string }[] }[] }).customers;
    expect(provisioned?.actions.map((a) => a.kind)).toEqual([...Array<string>(7).fill("reassign"), "no-renew"]);
  });
});

describe("retiring new-commerce sources (decommission)", () => {
  it("auto cancels a source inside its window (Alpine), turns auto-renew off outside it (Coho), and never suspends", async () => {
    const world = await start();
    const r = await apply(world, "--customer", NCE.alpine, "--customer", NCE.coho);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(subscription(world, NCE.alpine, ALPINE_SOURCE)).toMatchObject({ status: "deleted", autoRenewEnabled: false });
    expect(subscription(world, NCE.coho, COHO_SOURCE)).toMatchObject({ status: "active", autoRenewEnabled: false });
    expect(world.sandbox.changes.filter((c) => c.kind === "subscription" && c.status === "suspended")).toEqual([]);
    expect([...patches(world, NCE.alpine), ...patches(world, NCE.coho)].map((e) => e.path.split("/").at(-1))).toEqual(
      expect.arrayContaining([ALPINE_SOURCE, COHO_SOURCE]),
    );
    expect(patches(world, NCE.alpine).length + patches(world, NCE.coho).length).toBe(2);
  });

  it("judges the cancellation window at the reference time (--now), as the plan did, not by the machine's clock", async () => {
    // The window closes six hours after the pinned now, long before this machine's clock.
    const world = await start({
      fixture: (f) => {
        const s = f.customers.find((c) => c.id === NCE.alpine)?.subscriptions[0];
        if (s) s.cancellationAllowedUntilDate = "2026-11-24T06:00:00Z";
      },
    });
    const r = await apply(world, "--customer", NCE.alpine);
    expect(r.stdout).toContain(`- cancel O365_BUSINESS_ESSENTIALS subscription ${ALPINE_SOURCE}`);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(subscription(world, NCE.alpine, ALPINE_SOURCE)).toMatchObject({ status: "deleted" });
  });

  it("a forced cancel after the window writes nothing and is not a pending change", async () => {
    const world = await start();
    const plan = await writePlan(
      world.cwd,
      "coho-cancel",
      basicToStandard("coho-cancel", `  decommission: cancel\n  customers:\n    - id: ${NCE.coho}\n      name: Coho Winery\n      purchase: { country: GB }\n`),
    );
    const impossible = `decommission: cancel is impossible: subscription ${COHO_SOURCE} can no longer be cancelled: its cancellation window closed 2026-03-08`;
    const preview = await world.cli(["plan", plan]);
    expect(preview.stdout).toContain(impossible);
    expect(preview.stdout).not.toMatch(/^ +- /m);

    const r = await world.cli(["apply", plan, "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(patches(world, NCE.coho)).toEqual([]);
    expect(subscription(world, NCE.coho, COHO_SOURCE)).toMatchObject({ status: "active", autoRenewEnabled: true });

    const after = await world.cli(["plan", plan, "--detailed-exitcode"]);
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain(impossible);
  });

  it("a source an excluded user still holds stays alive (Margie's)", async () => {
    const world = await start();
    const r = await apply(world, "--customer", NCE.margie);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const margies = world.customer(NCE.margie);
    expect(margies.carts[0]?.lineItems[0]).toMatchObject({ quantity: 5 });
    expect(holders(margies, SKU.BASIC)).toEqual(["bookings@margiestravel.onmicrosoft.com"]);
    expect(holders(margies, SKU.STANDARD)).toHaveLength(5);
    expect(margies.subscriptions.find((s) => s.offerId.startsWith("CFQ7TTC0LH18"))).toMatchObject({ status: "active", autoRenewEnabled: true });
    expect(patches(world, NCE.margie)).toEqual([]);
  });

  it("two source subscriptions (monthly in its window, annual outside) are both retired, each its own way (Relecloud)", async () => {
    const world = await start();
    const r = await apply(world, "--customer", NCE.relecloud);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(subscription(world, NCE.relecloud, RELECLOUD_MONTHLY)).toMatchObject({ status: "deleted" });
    expect(subscription(world, NCE.relecloud, RELECLOUD_ANNUAL)).toMatchObject({ status: "active", autoRenewEnabled: false });
    expect(holders(world.customer(NCE.relecloud), SKU.BASIC)).toEqual([]);
    expect(patches(world, NCE.relecloud)).toHaveLength(2);
    expect((await world.cli(["plan", NCE_PLAN, "--customer", NCE.relecloud, "--detailed-exitcode"])).code).toBe(0);
  });
});

describe("catalogs by country and what the catalog will not describe", () => {
  it("buys from the plan's country (Coho: GB); the US availability would be refused with 10001", async () => {
    const world = await start();
    const gb = await apply(world, "--customer", NCE.coho);
    expect(gb.code, gb.stdout + gb.stderr).toBe(0);
    expect(world.customer(NCE.coho).carts[0]?.lineItems[0]).toMatchObject({ catalogItemId: STANDARD_GB, quantity: 6 });
  });

  it("without the plan's country the cart is refused: the error names the customer, the catalog item and 10001; no order", async () => {
    const world = await start();
    const plan = await writePlan(world.cwd, "coho-us", basicToStandard("coho-us", `  customers:\n    - id: ${NCE.coho}\n      name: Coho Winery\n`));
    const r = await world.cli(["apply", plan, "--auto-approve"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(`failed +Coho Winery \\(${NCE.coho}\\): purchase failed: .*catalog item ${STANDARD_US}\\): 10001 CatalogItemIdIsNotValid`),
    );
    expect(r.stdout).toContain("later steps skipped (reassign, no-renew)");
    expect(kinds(world, NCE.coho)).toEqual(["cart"]);
    expect(world.changes(NCE.coho)[0]).toMatchObject({ kind: "cart", refusedLines: 1 });
  });

  it("an NCE subscription the catalog does not describe leaves that customer untouched with the reason (Wingtip); the others go on", async () => {
    const world = await start();
    const plan = await writePlan(
      world.cwd,
      "wingtip",
      basicToStandard("wingtip", `  customers:\n    - id: ${NCE.wingtip}\n      name: Wingtip Toys\n    - id: ${NCE.alpine}\n      name: Alpine Ski House\n`),
    );
    const preview = await world.cli(["plan", plan]);
    expect(preview.code).toBe(1);
    expect(preview.stdout).toContain(
      "subscription 1f7020c7-16e6-5523-a982-f861b364a4a6 (pcplandemo01:0001:pcplandemo02) is unmapped: the US catalog does not describe PCPLANDEMO01:0001",
    );

    const r = await world.cli(["apply", plan, "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toMatch(new RegExp(`blocked +Wingtip Toys \\(${NCE.wingtip}\\): subscription .* is unmapped`));
    expect(r.stdout).toMatch(new RegExp(`applied +Alpine Ski House \\(${NCE.alpine}\\)`));
    expect(world.writes(NCE.wingtip)).toEqual([]);
    expect(holders(world.customer(NCE.alpine), SKU.STANDARD)).toHaveLength(8);
  });
});

describe("hostile catalog and order answers: a clear error per customer, no stray write", () => {
  const standardSku = (f: Parameters<NonNullable<WorldOptions["fixture"]>>[0]) => {
    const sku = f.products?.find((p) => p.id === "CFQ7TTC0LDPB")?.skus[0];
    if (!sku) throw new Error("fixture: no Business Standard SKU");
    return sku;
  };

  it("a target SKU without provisioningId", async () => {
    const world = await start({ fixture: (f) => void delete standardSku(f).provisioningId });
    const r = await apply(world, "--customer", NCE.alpine);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `blocked +Alpine Ski House \\(${NCE.alpine}\\): catalog item CFQ7TTC0LDPB:0001 provisions no licence SKU \\(no provisioningId\\), not the target O365_BUSINESS_PREMIUM`,
      ),
    );
    expect(world.writes()).toEqual([]);
  });

  it("no purchasable availability for the plan's term and billing", async () => {
    const world = await start({
      fixture: (f) => {
        const us = standardSku(f).availabilities.find((a) => a.countries.includes("US"));
        if (us) us.isPurchasable = false;
      },
    });
    const r = await apply(world, "--customer", NCE.alpine);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(`blocked +Alpine Ski House \\(${NCE.alpine}\\): no purchasable availability of CFQ7TTC0LDPB:0001 in US sells a P1Y term billed monthly`),
    );
    expect(world.writes()).toEqual([]);
  });

  it("an availability gone between the plan's read and the purchase: nothing is bought", async () => {
    const world = await start();
    let reads = 0;
    // The first read (the plan's) is answered by the sandbox; later ones find nothing sold.
    const proxy = await startInterceptingProxy(world.sandbox.url, (method, url) =>
      method === "GET" && url.pathname.endsWith("/availabilities") && reads++ > 0
        ? { status: 200, body: { totalCount: 0, items: [], attributes: { objectType: "Collection" } } }
        : undefined,
    );
    try {
      const r = await world.cliAt(proxy.url, ["apply", NCE_PLAN, "--auto-approve", "--customer", NCE.alpine]);
      expect(proxy.intercepted).toHaveLength(1);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(
          `failed +Alpine Ski House \\(${NCE.alpine}\\): purchase failed: no purchasable availability of CFQ7TTC0LDPB:0001 in US sells a P1Y term billed monthly any more; nothing was bought`,
        ),
      );
      expect(world.changingWrites()).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("a cart line refused for quota (10002): someone's order, not listed yet, already holds the seats", async () => {
    const world = await start({ fixture: (f) => void (standardSku(f).maximumQuantity = 10) });
    // A person buys 5 seats in the portal; the order is not listed for an hour.
    world.sandbox.setDelays({ provisioningMs: 3_600_000, orderAppearanceMs: 3_600_000 });
    const headers = { authorization: "Bearer sandbox-admin-agent-token", "content-type": "application/json", "ms-requestid": crypto.randomUUID() };
    const cart = (await (
      await fetch(`${world.sandbox.url}/customers/${NCE.alpine}/carts`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          PartnerOnRecordAttestationAccepted: true,
          lineItems: [{ id: 0, catalogItemId: STANDARD_US, quantity: 5, billingCycle: "monthly", termDuration: "P1Y" }],
        }),
      })
    ).json()) as { id: string };
    expect(
      (
        await fetch(`${world.sandbox.url}/customers/${NCE.alpine}/carts/${cart.id}/checkout`, {
          method: "POST",
          headers: { ...headers, "ms-requestid": crypto.randomUUID() },
        })
      ).status,
    ).toBe(201);
    const before = world.changes(NCE.alpine).length;

    const r = await apply(world, "--customer", NCE.alpine);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `failed +Alpine Ski House \\(${NCE.alpine}\\): purchase failed: Customer ${NCE.alpine}: Partner Center refused cart \\S+ line 0 \\(catalog item ${STANDARD_US}\\): 10002 QuotaNotAvailable`,
      ),
    );
    expect(world.changes(NCE.alpine).slice(before)).toEqual([expect.objectContaining({ kind: "cart", refusedLines: 1 })]);
  });

  it("orderErrors at checkout", async () => {
    const world = await start({
      fixture: (f) => {
        const alpine = f.customers.find((c) => c.id === NCE.alpine);
        if (alpine) alpine.checkoutOrderError = { code: 800069, description: "Order failed Risk Management check" };
      },
    });
    const r = await apply(world, "--customer", NCE.alpine);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `failed +Alpine Ski House \\(${NCE.alpine}\\): purchase failed: Customer ${NCE.alpine}: checkout of cart \\S+ placed no order for order group 0 \\(${STANDARD_US}\\): 800069: Order failed Risk Management check`,
      ),
    );
    expect(kinds(world, NCE.alpine)).toEqual(["cart", "checkout"]);
    expect(world.changes(NCE.alpine)[1]).toMatchObject({ orderIds: [], orderErrors: 1 });
  });

  it("once the cause of orderErrors is resolved, the next run buys through a new cart: exactly one order", async () => {
    const statePath = join(await mkdtemp(join(tmpdir(), "pcplan-state-")), "sandbox.json");
    const world = await start({
      sandbox: { statePath },
      fixture: (f) => {
        const alpine = f.customers.find((c) => c.id === NCE.alpine);
        if (alpine) alpine.checkoutOrderError = { code: 800069, description: "Order failed Risk Management check" };
      },
    });
    expect((await apply(world, "--customer", NCE.alpine)).code).toBe(1);
    // Microsoft clears the check: the same world, restarted from its state without the error.
    await world.close();
    const state = JSON.parse(await readFile(statePath, "utf8")) as SandboxWorld;
    for (const c of state.customers) delete c.checkoutOrderError;
    await writeFile(statePath, JSON.stringify(state));
    // On the same port: the purchase journal belongs to one endpoint (a restarted sandbox elsewhere is another Partner Center).
    const port = Number(new URL(world.sandbox.url).port);
    const again = await startSandbox({ fixture: await loadFixture(DEMO_FIXTURE_PATH), statePath, port, clock: NOW });
    try {
      const r = await world.cliAt(again.url, ["apply", NCE_PLAN, "--auto-approve", "--customer", NCE.alpine]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const alpine = again.world().customers.find((c) => c.id === NCE.alpine);
      expect(alpine?.orders).toHaveLength(1);
      expect(alpine?.carts).toHaveLength(2);
      expect(holders(alpine ?? { users: [] }, SKU.STANDARD)).toHaveLength(8);
    } finally {
      await again.close();
    }
  });

  it("a provisioning status that never completes", async () => {
    const world = await start({ sandbox: { provisioningDelayMs: 10 * 365 * 86_400_000 } });
    const r = await apply(world, "--customer", NCE.alpine, "--provisioning-timeout", "1");
    expect(r.code).toBe(3);
    const [orderId] = ordersOf(world, NCE.alpine);
    expect(r.stdout).toMatch(
      new RegExp(`provisioning +Alpine Ski House \\(${NCE.alpine}\\): order ${orderId} is still provisioning after \\d+ s; its seats are bought`),
    );
    expect(kinds(world, NCE.alpine)).toEqual(["cart", "order", "checkout"]);
    expect(world.changingWrites(NCE.alpine).filter((e) => e.path.endsWith("/licenseupdates") || e.method === "PATCH")).toEqual([]);
  });
});

describe("purchase.commerce: auto", () => {
  /** Tailspin's target through a catalog item the sandbox's catalog does not have: a 404. */
  const governmentPlan = (cwd: string) =>
    writePlan(
      cwd,
      "government",
      `apiVersion: pcplan/v1
kind: MigrationPlan
metadata:
  name: government-nce
spec:
  source: { sku: MCOIMP_GOV }
  target: { sku: M365_F1_GOV }
  purchase: { catalogItem: CFQ7TTC0GOV1:0001 }
  decommission: auto
  customers:
    - id: ${NCE.tailspin}
      name: Tailspin County
`,
    );

  it("falls back to a legacy order where the catalog answers 404 (Tailspin's M365_F1_GOV)", async () => {
    const world = await start();
    const plan = await governmentPlan(world.cwd);
    const r = await world.cli(["apply", plan, "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("+ purchase M365_F1_GOV × 3 (legacy offer Microsoft 365 F3 GCC");
    expect(world.sandbox.requestLog.some((e) => e.path.startsWith("/v1/products/CFQ7TTC0GOV1") && e.status === 404)).toBe(true);
    expect(
      world
        .writes(NCE.tailspin)
        .filter((e) => e.method === "POST")
        .map((e) => e.path),
    ).toEqual(expect.arrayContaining([`/v1/customers/${NCE.tailspin}/orders`]));
    expect(world.writes(NCE.tailspin).some((e) => e.path.includes("/carts"))).toBe(false);
  });

  it("never falls back on a transient catalog error: the customer is blocked and nothing is bought", async () => {
    let proxy: InterceptingProxy | undefined;
    const world = await start();
    try {
      // Throttled for an hour, longer than pcplan waits: the catalog cannot be read this run.
      proxy = await startInterceptingProxy(world.sandbox.url, (method, url) =>
        method === "GET" && url.pathname.startsWith("/v1/products/")
          ? { status: 429, headers: { "Retry-After": "3600" }, body: { statusCode: 429, message: "Rate limit is exceeded. Try again in 3600 seconds." } }
          : undefined,
      );
      const plan = await governmentPlan(world.cwd);
      const r = await world.cliAt(proxy.url, ["apply", plan, "--auto-approve"]);
      expect(proxy.intercepted.length).toBeGreaterThan(0);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`blocked +Tailspin County \\(${NCE.tailspin}\\): the catalog could not be read for CFQ7TTC0GOV1:0001 in US`));
      expect(world.changingWrites()).toEqual([]);
    } finally {
      await proxy?.close();
    }
  });
});

describe("JSON preview of new-commerce actions (docs/json-format.md)", () => {
  it("shows transition, cancel, no-renew and a new-commerce purchase with their documented fields", async () => {
    const world = await start();
    const r = await world.cli(["plan", NCE_PLAN, "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    type Json = { summary: Record<string, unknown>; customers: { id: string; actions: ({ kind: string } & Record<string, unknown>)[]; notes: unknown[] }[] };
    const preview = JSON.parse(r.stdout) as Json;
    const actionsOf = (id: string) => preview.customers.find((c) => c.id === id)?.actions ?? [];
    expect(preview.summary).toMatchObject({ await: 1, purchase: 5, cancel: 2, "no-renew": 4, transition: 1, suspend: 0 });

    expect(actionsOf(NCE.fourth)).toEqual([
      {
        kind: "transition",
        subscriptionId: "c5dd123b-2415-5784-a87a-a6d7771b0c31",
        from: "O365_BUSINESS_ESSENTIALS",
        fromSkuId: SKU.BASIC,
        to: "O365_BUSINESS_PREMIUM",
        toSkuId: SKU.STANDARD,
        toCatalogItemId: STANDARD_US,
        quantity: 10,
        term: "P1Y",
        billing: "monthly",
        users: 10,
      },
    ]);
    expect(actionsOf(NCE.alpine).at(-1)).toEqual({
      kind: "cancel",
      subscriptionId: ALPINE_SOURCE,
      sku: "O365_BUSINESS_ESSENTIALS",
      skuId: SKU.BASIC,
      quantity: 8,
      cancellationAllowedUntil: "2026-11-27T09:00:00.000Z",
    });
    const coho = actionsOf(NCE.coho);
    expect(coho[0]).toEqual({
      kind: "purchase",
      commerce: "new",
      catalogItem: "CFQ7TTC0LDPB:0001",
      title: "Microsoft 365 Business Standard",
      term: "P1Y",
      billing: "monthly",
      country: "GB",
      sku: "O365_BUSINESS_PREMIUM",
      skuId: SKU.STANDARD,
      quantity: 6,
    });
    expect(coho.at(-1)).toEqual({
      kind: "no-renew",
      subscriptionId: COHO_SOURCE,
      sku: "O365_BUSINESS_ESSENTIALS",
      skuId: SKU.BASIC,
      quantity: 6,
      commitmentEndDate: "2027-03-01T00:00:00Z",
    });
    expect(preview.customers.find((c) => c.id === NCE.lamna)?.notes).toContainEqual(expect.objectContaining({ level: "info", code: "transition-fallback" }));
  });
});

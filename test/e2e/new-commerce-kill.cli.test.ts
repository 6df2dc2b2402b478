/**
 * New commerce's crash case (issue 13): `apply` killed with `kill -9` right after its checkout
 * needs a process of its own, so the built CLI runs as a child here, and so do the re-runs after
 * it (cheaper than loading the CLI's sources into this project). The rest of new commerce runs
 * in-process: new-commerce.e2e.test.ts.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { NCE, NCE_PLAN, SKU, holders, nceWorlds, type NceWorld } from "./nce-world.js";

const start = nceWorlds();

const apply = (world: NceWorld, ...args: string[]) => world.cli(["apply", NCE_PLAN, "--auto-approve", ...args]);
const ordersOf = (world: NceWorld, customerId: string) => world.changes(customerId).flatMap((c) => (c.kind === "order" ? [c.orderId] : []));

describe("buying through new commerce", () => {
  it("kill -9 right after checkout, then an immediate re-run: exactly one order", async () => {
    // The order is neither provisioned nor listed for an hour: only pcplan's journal, the
    // derived request ids and checkout's idempotency stand between the re-run and a second order.
    const world = await start({ sandbox: { provisioningDelayMs: 3_600_000, orderAppearanceDelayMs: 3_600_000 } });
    const run = world.spawn(["apply", NCE_PLAN, "--customer", NCE.alpine, "--auto-approve"]);
    while (!world.changes(NCE.alpine).some((c) => c.kind === "checkout")) {
      if (run.child.exitCode !== null) throw new Error(`apply ended before its checkout: ${(await run.done).stdout}`);
      await sleep(2);
    }
    run.child.kill("SIGKILL");
    expect((await run.done).signal).toBe("SIGKILL");

    const again = await apply(world, "--customer", NCE.alpine, "--provisioning-timeout", "0");
    expect([0, 3], again.stdout + again.stderr).toContain(again.code);
    expect(ordersOf(world, NCE.alpine)).toHaveLength(1);
    expect(world.changes(NCE.alpine).filter((c) => c.kind === "checkout")).toHaveLength(1);
    expect(world.customer(NCE.alpine).orders).toHaveLength(1);

    world.sandbox.setClock("2026-11-24T02:00:00Z");
    const last = await apply(world, "--customer", NCE.alpine);
    expect(last.code, last.stdout + last.stderr).toBe(0);
    expect(world.customer(NCE.alpine).orders).toHaveLength(1);
    expect(holders(world.customer(NCE.alpine), SKU.STANDARD)).toHaveLength(8);
    expect((await world.cli(["plan", NCE_PLAN, "--customer", NCE.alpine, "--detailed-exitcode"])).code).toBe(0);
  });
});

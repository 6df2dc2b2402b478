/**
 * `strategy: at-renewal`'s crash case (issue 26): `apply` killed with `kill -9` while the
 * schedule's answer is being retried needs a process of its own, so the built CLI runs as a child
 * here, and so do the runs after it (cheaper than loading the CLI's sources into this project).
 * The rest of at-renewal runs in-process: at-renewal.e2e.test.ts.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { NCE, atRenewalPlan, nceWorlds, type NceWorld } from "./nce-world.js";

const start = nceWorlds();

const patches = (world: NceWorld, customerId: string) => world.writes(customerId).filter((e) => e.method === "PATCH");
const scheduleChanges = (world: NceWorld, customerId: string) => world.changes(customerId).filter((c) => c.kind === "subscription");

describe("a customer Microsoft lets change at renewal (Coho Winery)", () => {
  it("kill -9 while the schedule's answer is being retried: the next run schedules nothing more", async () => {
    const world = await start();
    const plan = await atRenewalPlan(world, NCE.coho);
    // The PATCH commits but its answer is lost: the client waits to retry, and is killed then.
    world.sandbox.setFaults({ lostResponseRate: 1 });
    const run = world.spawn(["apply", plan, "--auto-approve"]);
    while (scheduleChanges(world, NCE.coho).length === 0) {
      if (run.child.exitCode !== null) throw new Error(`apply ended before its schedule: ${(await run.done).stdout}`);
      await sleep(2);
    }
    run.child.kill("SIGKILL");
    expect((await run.done).signal).toBe("SIGKILL");
    world.sandbox.setFaults({ lostResponseRate: 0 });

    const writesBefore = patches(world, NCE.coho).length;
    const rerun = await world.cli(["apply", plan, "--auto-approve"]);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(patches(world, NCE.coho)).toHaveLength(writesBefore);
    expect(scheduleChanges(world, NCE.coho)).toHaveLength(1);
    expect((await world.cli(["plan", plan])).stdout).toContain("scheduled: subscription");
  }, 60_000);
});

/**
 * The in-process demo world (`--sandbox`) and pcplan's shortened test waits (docs/testing.md):
 * the sandbox's clock adds the time those waits counted but did not sleep, so an order it
 * provisions a minute after it starts is provisioned after a minute of polls, however short they
 * ran. Without it, a test applying the demo world through `--sandbox` waits a real minute for
 * Tailwind's order, or gives up on it.
 */
import { rm } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JsonApplyResult } from "../../src/cli/views/apply.js";
import { Clock } from "../../src/sandbox/clock.js";
import { tempCheckout } from "../helpers/cli.js";
import { DEMO, DEMO_NOW } from "../helpers/demo-customers.js";
import { runMain } from "../helpers/in-process.js";

describe("the sandbox clock's skew", () => {
  it("adds what the skew gained since the clock started, and keeps it across a set", () => {
    let skew = 5_000;
    const clock = new Clock("2026-11-24T00:00:00Z", () => skew);
    expect(clock.nowMs() - Date.parse("2026-11-24T00:00:00Z")).toBeLessThan(1_000);
    skew += 60_000;
    expect(clock.nowMs() - Date.parse("2026-11-24T00:01:00Z")).toBeGreaterThanOrEqual(0);
    expect(clock.nowMs() - Date.parse("2026-11-24T00:01:00Z")).toBeLessThan(1_000);
    clock.set("2027-01-01T00:00:00Z");
    expect(clock.nowMs() - Date.parse("2027-01-01T00:00:00Z")).toBeLessThan(1_000);
    skew += 1_000;
    expect(clock.nowMs() - Date.parse("2027-01-01T00:00:01Z")).toBeGreaterThanOrEqual(0);
  });

  it("is real time without one", () => {
    const clock = new Clock("2026-11-24T00:00:00Z");
    expect(clock.nowMs() - Date.parse("2026-11-24T00:00:00Z")).toBeLessThan(1_000);
  });
});

describe("apply --sandbox under PCPLAN_TEST_TIME_SCALE", () => {
  let cwd: string;
  beforeEach(async () => {
    cwd = await tempCheckout();
  });
  afterEach(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it("sees Tailwind's order provisioned after a minute of shortened polls, within a 90 s provisioning timeout", async () => {
    const r = await runMain(
      ["apply", "--auto-approve", "--customer", DEMO.tailwind, "--provisioning-timeout", "90", "--sandbox", "--now", DEMO_NOW, "--format", "json"],
      { cwd, env: { PCPLAN_TEST_TIME_SCALE: "0.001" } },
    );
    // Without the skew, the sandbox's clock moves only the real time the polls took: still provisioning at the timeout (exit 3).
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as JsonApplyResult;
    expect(doc.customers.find((c) => c.id === DEMO.tailwind)?.result).toBe("applied");
  });
});

/**
 * `pcplan … | head`: the reader of stdout goes away while pcplan still writes. That is not an
 * error: the rest of the output is dropped, the command runs to its end with its own exit code,
 * and an apply is never cut short between two writes by a crash on EPIPE.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawnCli, tempCheckout } from "../helpers/cli.js";
import { DEMO_NOW } from "../helpers/demo-customers.js";
import { startDemoRun, type DemoRun } from "../helpers/demo-run.js";
import { SANDBOX_TOKENS } from "../../src/sandbox/index.js";

let run: DemoRun;
beforeEach(async () => {
  run = await startDemoRun();
});
afterEach(async () => {
  await run.close();
});

/** Starts pcplan with its stdout closed by the reader before it writes anything. */
function withClosedStdout(args: string[], cwd: string) {
  const c = spawnCli(args, { cwd, env: { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin } });
  c.child.stdout.destroy();
  return c.done;
}

describe("stdout closed by its reader", () => {
  it("--help: exit 0, no stack trace", async () => {
    const r = await withClosedStdout(["discover", "--help"], await tempCheckout());
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });

  it("apply runs to its end: every change made, exit 0, no stack trace", async () => {
    // Tailwind's order (placed before the run) has provisioned by then: nothing to wait for.
    run.sandbox.setClock("2026-11-24T00:02:00Z");
    const r = await withClosedStdout(["apply", "--auto-approve", "--endpoint", run.proxy.url, "--now", DEMO_NOW], run.cwd);
    expect(r.stderr).not.toMatch(/EPIPE|\n +at /);
    expect(r.code, r.stderr).toBe(0);
    const after = await run.cli(["plan", "--detailed-exitcode"]);
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain("No changes. Live state matches the plans.");
  });
});

/**
 * Issue 11, "one customer's failed read does not stop the run": a customer whose reads still
 * fail after the client's retries (503 on every call below `/customers/{id}/`, served by the
 * proxy in front of the sandbox) is reported and skipped; the others are applied; exit 3. When
 * no customer can be read, nothing is applied and the exit is 1. `plan` and `status` exit 1.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO, TAILWIND_PROVISIONED } from "../helpers/demo-customers.js";
import { startDemoRun, type DemoRun } from "../helpers/demo-run.js";
import { unavailable } from "../helpers/hostile-proxy.js";

let run: DemoRun;
beforeEach(async () => {
  // pcplan in-process, the retries' backoff from 1 ms (docs/testing.md): the 503s wait out no
  // real backoff. Tailwind's order, placed before the run, provisions a minute after the sandbox
  // starts (its clock runs in real time): the clock starts past it, so no apply waits that minute.
  run = await startDemoRun({ inProcess: true, env: { PCPLAN_TEST_BACKOFF_MS: "1", PCPLAN_TEST_TIME_SCALE: "0.001" } });
  run.sandbox.setClock(TAILWIND_PROVISIONED);
});
afterEach(async () => {
  await run.close();
});

const failing = (ids: readonly string[]) => ({
  request: (req: { customerId: string | undefined }) => (req.customerId && ids.includes(req.customerId) ? unavailable() : undefined),
});

describe("per-customer read failures", () => {
  it("apply: the unreadable customer is named and skipped, the others applied, exit 3", { timeout: 90_000 }, async () => {
    run.proxy.hooks = failing([DEMO.contoso]);
    const r = await run.cli(["apply", "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toMatch(
      new RegExp(`unreadable +Contoso Ltd \\(${DEMO.contoso}\\): could not read the customer's state, nothing is planned for it: .*503`),
    );
    expect(r.stdout).toMatch(/Apply partly failed: 83 changes applied; 1 customer not done: Contoso Ltd \(unreadable\)/);
    expect(r.stdout).not.toContain("Apply complete");
    // Retried before giving up, and nothing reached the sandbox for Contoso.
    expect(run.proxy.seen.filter((s) => s.customerId === DEMO.contoso && s.status === 503).length).toBeGreaterThan(1);
    expect(run.sandbox.requestLog.some((e) => e.path.includes(DEMO.contoso))).toBe(false);
    expect(run.orders(DEMO.woodgrove)).toBe(1);
    // 6 reassignments, a suspension (nothing bought: no access proof).
    expect(run.writes(DEMO.adventure).length).toBe(7);
  });

  it("plan and status exit 1 and name the customer; the others are still shown", { timeout: 90_000 }, async () => {
    run.proxy.hooks = failing([DEMO.wideworld]);
    const [plan, status] = await Promise.all([run.cli(["plan"]), run.cli(["status"])]);
    expect(plan.code, plan.stderr).toBe(1);
    expect(plan.stdout).toMatch(/Wide World Importers[\s\S]*could not read the customer's state/);
    expect(plan.stdout).toContain("+ purchase DESKLESSPACK × 12");
    expect(status.code, status.stderr).toBe(1);
    // Unread is not "not found": blocked, with the reason.
    expect(status.stdout).toMatch(new RegExp(`blocked +Wide World Importers \\(${DEMO.wideworld}\\)\n +error: could not read the customer's state.*503`));
    expect(status.stdout).not.toMatch(/not found +Wide World/);
    expect(status.stdout).toContain("Contoso Ltd");
    expect(run.writes()).toEqual([]);
  });

  it("apply: when no customer can be read, nothing is applied and the exit is 1", { timeout: 90_000 }, async () => {
    run.proxy.hooks = failing(Object.values(DEMO));
    const r = await run.cli(["apply", "--auto-approve", "--customer", DEMO.contoso, "--customer", DEMO.fabrikam]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      /Nothing was applied; 2 customers not done: (Contoso Ltd|Fabrikam Inc) \(unreadable\), (Contoso Ltd|Fabrikam Inc) \(unreadable\)\./,
    );
    expect(run.writes()).toEqual([]);
  });
});

/**
 * Issue 22 §4, "never hang": a server that sends its headers and then nothing kept `plan` for
 * 430 s (7 attempts × 60 s) printing nothing. The run has a time limit of its own (`--timeout`,
 * default 600 s + 10 s a planned customer, docs/partner-center.md, "Time limits"): once it is up nothing more is
 * started, a read in flight is abandoned, and the run exits 1 naming what it was waiting on;
 * an apply keeps what it did. While it waits the terminal's progress line says on what.
 * In-process runs against the demo world behind a proxy that stalls one of Adventure Works' calls
 * (each attempt would wait 30 s for data, the idle timeout: the run's limit ends it first).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SANDBOX_TOKENS } from "../../src/sandbox/index.js";
import { DEMO, DEMO_NOW } from "../helpers/demo-customers.js";
import type { ProxiedRequest } from "../helpers/hostile-proxy.js";
import { runMain } from "../helpers/in-process.js";
import { proxiedDemoPerTest } from "../helpers/proxied-demo.js";

const SOURCE_SUB = "2e4596ea-b9ac-4f2e-a473-8a4cef18b42c";
const demo = proxiedDemoPerTest();
const adventure = ["--customer", DEMO.adventure, "--license-api", "partner-center"];

/** Headers, then nothing, for the calls `which` picks. */
const stall = (which: (req: ProxiedRequest) => boolean) => ({
  request: (req: ProxiedRequest) => (which(req) ? { status: 200, body: "", stall: true } : undefined),
});
/**
 * Runs `fn` with the run's time limit lasting `scale` of itself (PCPLAN_TEST_TIMEOUT_SCALE,
 * docs/testing.md): the limit as given is what the run says, the wait is shorter.
 */
async function scaledLimit<T>(scale: number, fn: () => Promise<T>): Promise<T> {
  const before = process.env.PCPLAN_TEST_TIMEOUT_SCALE;
  process.env.PCPLAN_TEST_TIMEOUT_SCALE = String(scale);
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.PCPLAN_TEST_TIMEOUT_SCALE;
    else process.env.PCPLAN_TEST_TIMEOUT_SCALE = before;
  }
}
const listing = (req: ProxiedRequest) => req.method === "GET" && req.customerId === DEMO.adventure && req.path.endsWith("/subscriptions");

describe("the run's time limit", { timeout: 60_000 }, () => {
  it("plan --timeout 5: ends by it, exit 1, naming the call it waited on", async () => {
    demo().proxy.hooks = stall(listing);
    const started = Date.now();
    // 2 s of real time: the stalled listing is reached in well under that.
    const r = await scaledLimit(0.4, () => demo().pcplan("plan", "--timeout", "5", ...adventure));
    expect(r.code, r.stdout + r.stderr).toBe(1);
    // Long before one attempt's idle time (30 s) is out.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.stderr).toMatch(
      new RegExp(
        `error: the run's time is up \\(--timeout 5 s\\) while waiting on Partner Center: GET /v1/customers/${DEMO.adventure}/subscriptions \\(no answer after \\d`,
      ),
    );
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stdout).toBe("");
  });

  it("the default is sized to the work and said so (600 s + 10 s a customer; the test knob runs it at 1/300)", async () => {
    demo().proxy.hooks = stall(listing);
    const r = await scaledLimit(1 / 300, () => demo().pcplan("plan", ...adventure));
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain(
      "error: the run's time is up (--timeout 610 s, the default for 1 customer: 600 s + 10 s a customer) while waiting on Partner Center: GET",
    );
  });

  it("on a terminal the progress line says what the run waits on", async () => {
    demo().proxy.hooks = stall(listing);
    // 4 s of real time: the line names a call once it has waited 2 s (src/cli/wait-tracker.ts).
    const r = await runMain(["plan", "--timeout", "10", ...adventure, "--endpoint", demo().proxy.url, "--now", DEMO_NOW], {
      cwd: demo().cwd,
      env: { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin, CI: undefined, PCPLAN_TEST_TIMEOUT_SCALE: "0.4" },
      tty: { stderr: true },
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`Reading customers[^\\r]* · waiting on Partner Center: GET /v1/customers/${DEMO.adventure}/subscriptions \\(\\d+s without an answer\\)`),
    );
  });

  it("apply: what was done before is kept, no write starts after, the lock is released", async () => {
    // The suspension's pre-check reads the source subscription: it stalls after the six reassignments.
    demo().proxy.hooks = stall((req) => req.method === "GET" && req.path.toLowerCase().endsWith(`/subscriptions/${SOURCE_SUB}`));
    // 4.8 s of real time: the reads and the six reassignments before the stall take under 1 s.
    const r = await scaledLimit(0.4, () => demo().pcplan("apply", "--auto-approve", "--timeout", "12", ...adventure));
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `error: the run's time is up \\(--timeout 12 s\\) while waiting on Partner Center: GET /v1/customers/${DEMO.adventure}/subscriptions/${SOURCE_SUB}`,
      ),
    );
    const users = demo().users(DEMO.adventure);
    expect(users.filter((u) => u.licenses.some((l) => l.toLowerCase() === "b8b749f8-a4ef-4887-9539-c95b1eaa5db7"))).toEqual([]);
    expect(
      demo()
        .subscriptions(DEMO.adventure)
        .find((s) => s.id.toLowerCase() === SOURCE_SUB)?.status,
    ).toBe("active");
    const writes = demo().sandbox.requestLog.filter((x) => x.write && x.path.toLowerCase().includes(DEMO.adventure));
    expect(writes.every((w) => w.path.endsWith("/licenseupdates"))).toBe(true);
    // The audit log has the suspension's attempt and its failure; the next apply may start (no lock left).
    const audit = (await readFile(join(demo().cwd, ".pcplan/audit.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audit.filter((e) => e.action === "suspend").map((e) => [e.phase, e.outcome])).toEqual([
      ["attempt", undefined],
      ["result", "failed"],
    ]);
    demo().proxy.hooks = {};
    const again = await demo().pcplan("apply", "--auto-approve", ...adventure);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(
      demo()
        .subscriptions(DEMO.adventure)
        .find((s) => s.id.toLowerCase() === SOURCE_SUB)?.status,
    ).toBe("suspended");
  });
});

describe("the run's time limit while an order provisions", { timeout: 60_000 }, () => {
  it("apply stops waiting on the order, names it, and leaves it to the next run", async () => {
    const tailwind = ["--customer", DEMO.tailwind, "--license-api", "partner-center"];
    // 2.4 s of real time: the reads before the wait on the order take well under 1 s.
    const r = await scaledLimit(0.6, () => demo().pcplan("apply", "--auto-approve", "--timeout", "4", ...tailwind));
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain("error: the run's time is up (--timeout 4 s) while waiting on order 7a1c0d2e3f40 provisioning;");
    // Nothing bought, nothing written: the order is still the one to wait for.
    expect(demo().sandbox.changes.filter((c) => c.customerId.toLowerCase() === DEMO.tailwind)).toEqual([]);
    const next = await demo().pcplan("plan", ...tailwind);
    expect(next.stdout).toContain("~ await order 7a1c0d2e3f40");
  });
});

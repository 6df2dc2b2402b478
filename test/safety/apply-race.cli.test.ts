/**
 * Issue 11, "no two applies on one customer at once". Two `apply` runs of one world from two
 * working folders (two checkouts: no shared lock) must never buy twice: right before buying,
 * each re-reads the customer's subscriptions and orders and stops the customer if they moved.
 * Two runs in ONE folder are serialised by the lock in .pcplan/, which a `kill -9` cannot wedge.
 */
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_PRICES_PATH, SANDBOX_TOKENS, generateWorld, startSandbox, type SandboxHandle } from "../../src/sandbox/index.js";
import { runCli, spawnCli, tempCheckout, type CliChild } from "../helpers/cli.js";
import { DEMO, DEMO_NOW } from "../helpers/demo-customers.js";
import { startDemoRun, type DemoRun } from "../helpers/demo-run.js";
import { gate } from "../helpers/hostile-proxy.js";
import { checkWorldInvariants } from "../helpers/world-invariants.js";
import { writeWorldPlans } from "../helpers/world-plans.js";

const env = { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `ready()` (no timing is asserted: the test's own timeout bounds it). */
async function until(ready: () => boolean, what: string, child?: CliChild): Promise<void> {
  while (!ready()) {
    if (child && (child.child.exitCode !== null || child.child.signalCode !== null))
      throw new Error(`the run ended before ${what}: ${(await child.done).stderr}`);
    await sleep(5);
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe("two applies from two folders against one Partner Center", () => {
  it("a second run started mid-apply buys nothing twice, and a third run converges", { timeout: 120_000 }, async () => {
    const world = generateWorld({ customers: 60, users: 400, seed: 11 });
    // 30 ms a request: the first run is still applying when the second reads.
    const sandbox: SandboxHandle = await startSandbox({ fixture: world, clock: DEMO_NOW, seed: 11, latencyMs: 30 });
    cleanups.push(() => sandbox.close());
    const a = await mkdtemp(join(tmpdir(), "pcplan-race-a-"));
    const b = await mkdtemp(join(tmpdir(), "pcplan-race-b-"));
    const plans = await writeWorldPlans(world, join(a, "plans"), { perFile: 30, excludeEvery: 7 });
    await cp(join(a, "plans"), join(b, "plans"), { recursive: true });
    const apply = (cwd: string, more: string[] = []) =>
      spawnCli(["apply", "--auto-approve", "plans", "--endpoint", sandbox.url, "--now", DEMO_NOW, ...more], { cwd, env });

    // The first applies four customers at a time: most are still ahead of it when the second has read them.
    const first = apply(a, ["--concurrency", "4"]);
    await until(() => sandbox.requestLog.some((r) => r.write && r.status > 0), "its first write", first);
    const second = apply(b);
    const [r1, r2] = await Promise.all([first.done, second.done]);
    // Both did part of the work; where they met on one customer, one of them stopped it.
    expect(r1.stdout + r2.stdout).toMatch(/applied +Customer/);

    const third = await runCli(["apply", "--auto-approve", "plans", "--endpoint", sandbox.url, "--now", DEMO_NOW], { cwd: a, env });
    expect(third.code, third.stdout + third.stderr).toBe(0);
    const final = await runCli(["plan", "plans", "--detailed-exitcode", "--endpoint", sandbox.url, "--now", DEMO_NOW], { cwd: a, env });
    expect(final.code, final.stdout + final.stderr).toBe(0);
    expect(final.stdout).toContain("No changes. Live state matches the plans.");
    checkWorldInvariants(sandbox, world, plans, { converged: true });
  });

  it("a run that read before another run bought refuses to buy: its re-check before the first write sees the change", async () => {
    // Folder B is an older checkout whose plan asks 15 seats for Contoso (A's asks 12, one per
    // user): B's purchase would carry another request id, so only the re-check can stop it.
    const run: DemoRun = await startDemoRun();
    cleanups.push(() => run.close());
    const b = await tempCheckout();
    const f1 = join(b, "plans/office365-f1.yaml");
    await writeFile(f1, (await readFile(f1, "utf8")).replace("name: Contoso Ltd\n", "name: Contoso Ltd\n      seats: 15\n"));

    // B reads Contoso, then is held at its first request after planning (whatever it is) while A
    // applies Contoso in full. How many requests planning takes: a `plan` of the same plans says
    // (priced from the file, so it asks no price sheet, which apply does not ask either).
    const seen = run.proxy.seen.length;
    const dry = await run.cli(["plan", "--customer", DEMO.contoso, "--prices", DEMO_PRICES_PATH], { cwd: b });
    expect(dry.stdout).toContain("+ purchase DESKLESSPACK × 15");
    const planningRequests = run.proxy.seen.length - seen;
    const held = gate();
    const release = gate();
    let requests = 0;
    run.proxy.hooks = {
      request: async () => {
        if (++requests > planningRequests) {
          held.open();
          await release.wait();
        }
        return undefined;
      },
    };
    const second = spawnCli(["apply", "--auto-approve", "--customer", DEMO.contoso, "--endpoint", run.proxy.url, "--now", DEMO_NOW], { cwd: b, env });
    await Promise.race([held.wait(), second.done.then((r) => Promise.reject(new Error(`B ended before it finished planning: ${r.stdout}${r.stderr}`)))]);

    const first = await runCli(["apply", "--auto-approve", "--customer", DEMO.contoso, "--endpoint", run.sandbox.url, "--now", DEMO_NOW], {
      cwd: run.cwd,
      env,
    });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(run.orders(DEMO.contoso)).toBe(1);
    const writesOfA = run.writes().length;

    release.open();
    const r = await second.done;
    expect(run.orders(DEMO.contoso), r.stdout).toBe(1);
    expect(run.writes().length).toBe(writesOfA);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    // B's purchase re-reads the customer's subscriptions before anything is sent: A's purchase
    // changed them, so B stops there, nothing bought and no write at all — not even the licence
    // access proof, which runs only after the purchase's re-check has passed (src/apply/access-check.ts).
    expect(r.stdout).toMatch(/failed +Contoso Ltd .*: purchase failed: the customer's subscriptions changed since they were read .*; nothing was bought/);
  });
});

describe("two applies in one folder (--sandbox)", () => {
  /** A folder whose .pcplan/ holds a generated world big enough that an apply takes a while. */
  async function seededFolder(): Promise<string> {
    const world = generateWorld({ customers: 60, users: 400, seed: 12 });
    const cwd = await mkdtemp(join(tmpdir(), "pcplan-lock-"));
    await writeWorldPlans(world, join(cwd, "plans"), { perFile: 30 });
    // The sandbox writes its fresh world to the state file at once; `--sandbox` then serves it.
    await mkdir(join(cwd, ".pcplan"));
    const s = await startSandbox({ fixture: world, clock: DEMO_NOW, statePath: join(cwd, ".pcplan/sandbox-state.json") });
    await s.close();
    return cwd;
  }
  const locks = (cwd: string) => [join(cwd, ".pcplan/apply.lock"), join(cwd, ".pcplan/sandbox-state.json.lock")];
  const sandboxCli = (cwd: string, args: string[]) => runCli([...args, "--sandbox", "--now", DEMO_NOW], { cwd });

  it("the second is refused by the lock, naming its holder, and no write of the first is lost", { timeout: 120_000 }, async () => {
    const cwd = await seededFolder();
    const first = spawnCli(["apply", "--auto-approve", "--sandbox", "--now", DEMO_NOW], { cwd });
    cleanups.push(() => Promise.resolve(void first.child.kill("SIGKILL")));
    await until(() => locks(cwd).every((l) => existsSync(l)), "it took its locks", first);
    // Stopped mid-apply: it holds both locks for as long as the test needs.
    first.child.kill("SIGSTOP");
    const pid = first.child.pid!;

    const second = await sandboxCli(cwd, ["apply", "--auto-approve"]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`another pcplan apply (pid ${pid} on `);
    expect(second.stderr).toContain(join(".pcplan", "apply.lock"));
    expect(second.stdout).toBe("");
    // plan --sandbox takes no apply lock, but may not serve the same state file at once either.
    const plan = await sandboxCli(cwd, ["plan"]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(`another pcplan --sandbox (pid ${pid} on `);

    first.child.kill("SIGCONT");
    const r = await first.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Apply complete: \d+ changes applied/);
    for (const l of locks(cwd)) expect(existsSync(l), l).toBe(false);
    const after = await sandboxCli(cwd, ["plan", "--detailed-exitcode"]);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(after.stdout).toContain("No changes. Live state matches the plans.");
  });

  it("a lock left by a kill -9 is taken over by the next run, which finishes the work", { timeout: 120_000 }, async () => {
    const cwd = await seededFolder();
    const first = spawnCli(["apply", "--auto-approve", "--sandbox", "--now", DEMO_NOW], { cwd });
    await until(() => locks(cwd).every((l) => existsSync(l)) && existsSync(join(cwd, ".pcplan/audit.jsonl")), "its first write", first);
    first.child.kill("SIGKILL");
    expect((await first.done).signal).toBe("SIGKILL");
    for (const l of locks(cwd)) expect(existsSync(l), l).toBe(true);

    const next = await sandboxCli(cwd, ["apply", "--auto-approve"]);
    expect(next.code, next.stdout + next.stderr).toBe(0);
    for (const l of locks(cwd)) expect(existsSync(l), l).toBe(false);
    const after = await sandboxCli(cwd, ["plan", "--detailed-exitcode"]);
    expect(after.code, after.stdout + after.stderr).toBe(0);
  });
});

/**
 * The demo world's new-commerce customers (docs/demo-world.md rows a–h) for end-to-end tests:
 * an in-process sandbox started from the demo fixture (or a copy a test changes), a temp checkout
 * of plans/, pcplan run against it, and readers of what the sandbox was asked to write.
 * pcplan runs through `main` in the test's own process (test/helpers/in-process.ts) when the
 * world is started with `inProcess`, loaded only then; otherwise (and always for `spawn`, whose
 * child a test may kill) it is the built CLI in a child process.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach } from "vitest";
import {
  DEMO_FIXTURE_PATH,
  SANDBOX_TOKENS,
  loadFixture,
  startSandbox,
  type SandboxFixture,
  type SandboxHandle,
  type SandboxOptions,
} from "../../src/sandbox/index.js";
import { runCli, spawnCli, tempCheckout, type CliChild, type CliResult } from "../helpers/cli.js";
import { ITEM, N, NOW, SKU } from "../sandbox/helpers/sandbox.js";

export { NOW, SKU };

/** The new-commerce customers (rows a–h), and Tailspin (legacy: its target has no new-commerce product). */
export const NCE = { ...N, tailspin: "b555b80f-3038-4c1d-8fef-38acb8d6af89" } as const;

/** The plan of rows a–h in the temp checkout (relative to its cwd). */
export const NCE_PLAN = "plans/business-basic-to-standard.yaml";

/** Business Standard, sold in the US and in GB under different availabilities. */
export const STANDARD_US = ITEM.standardUS;
export const STANDARD_GB = ITEM.standardGB;

export interface NceWorld {
  sandbox: SandboxHandle;
  /** The temp checkout the CLI runs in (plans/ copied; .pcplan/ holds the journal and audit log). */
  cwd: string;
  /** pcplan against the sandbox, with the admin agent's token and the pinned now. */
  cli(args: string[]): Promise<CliResult>;
  /** The same, sent to another endpoint (a proxy in front of the sandbox). */
  cliAt(endpoint: string, args: string[]): Promise<CliResult>;
  /** pcplan ARGS as given (no endpoint nor now added), from `opts.cwd`, with `opts.env` over the world's. */
  run(args: string[], opts: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliResult>;
  /** The built CLI in a child process, whatever the world's mode: the test may kill it. */
  spawn(args: string[]): CliChild;
  /** Writes the sandbox was asked for, optionally of one customer. */
  writes(customerId?: string): SandboxHandle["requestLog"];
  /**
   * Writes that changed something, optionally of one customer: all but apply's access proof (a
   * licence update re-asserting a held licence, which commits no change; src/apply/access-check.ts).
   */
  changingWrites(customerId?: string): SandboxHandle["requestLog"];
  /** State changes the sandbox committed, optionally of one customer. */
  changes(customerId?: string): SandboxHandle["changes"];
  /** A customer of the live world (a copy). */
  customer(id: string): ReturnType<SandboxHandle["world"]>["customers"][number];
  /** Stops the sandbox (once; later calls do nothing). */
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Changes a copy of the demo fixture before the sandbox starts. */
  fixture?: (f: SandboxFixture) => void;
  sandbox?: Partial<Omit<SandboxOptions, "fixture">>;
  /** pcplan through `main` in this process instead of the built CLI in a child process. */
  inProcess?: boolean;
}

export async function startNceWorld(opts: WorldOptions = {}): Promise<NceWorld> {
  const fixture = structuredClone(await loadFixture(DEMO_FIXTURE_PATH));
  opts.fixture?.(fixture);
  const sandbox = await startSandbox({ fixture, port: 0, clock: NOW, ...opts.sandbox });
  const cwd = await tempCheckout();
  const argv = (args: string[], endpoint = sandbox.url) => [...args, "--endpoint", endpoint, "--now", NOW];
  // Provisioning polls a hundred times shorter (docs/testing.md): the sandbox's delays set the pace.
  const env = { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin, PCPLAN_TEST_TIME_SCALE: "0.01" };
  const runner: (args: string[], o: { cwd: string; env: Record<string, string | undefined> }) => Promise<CliResult> = opts.inProcess
    ? (await import("../helpers/in-process.js")).runMain
    : runCli;
  let closed: Promise<void> | undefined;
  const of = (customerId: string | undefined) => (e: { customerId?: string }) => customerId === undefined || e.customerId?.toLowerCase() === customerId;
  return {
    sandbox,
    cwd,
    cli: (args) => runner(argv(args), { cwd, env }),
    cliAt: (endpoint, args) => runner(argv(args, endpoint), { cwd, env }),
    run: (args, o) => runner(args, { cwd: o.cwd, env: { ...env, ...o.env } }),
    spawn: (args) => spawnCli(argv(args), { cwd, env }),
    writes: (customerId) => sandbox.requestLog.filter((r) => r.write).filter(of(customerId)),
    changes: (customerId) => sandbox.changes.filter(of(customerId)),
    changingWrites: (customerId) => {
      const committed = new Set(sandbox.changes.map((c) => c.requestId));
      return sandbox.requestLog.filter((r) => r.write && !(r.path.endsWith("/licenseupdates") && !committed.has(r.requestId))).filter(of(customerId));
    },
    customer: (id) => {
      const c = sandbox.world().customers.find((x) => x.id.toLowerCase() === id);
      if (!c) throw new Error(`no customer ${id} in the sandbox world`);
      return c;
    },
    close: () => (closed ??= sandbox.close()),
  };
}

/** A starter for the tests of one file: each world it starts is closed after its test; `defaults` under each test's options. */
export function nceWorlds(defaults: WorldOptions = {}): (opts?: WorldOptions) => Promise<NceWorld> {
  const open: NceWorld[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((w) => w.close()));
  });
  return async (opts) => {
    const w = await startNceWorld({ ...defaults, ...opts });
    open.push(w);
    return w;
  };
}

/** Writes a plan file into the checkout's plans-extra/ (kept apart from plans/) and returns its relative path. */
export async function writePlan(cwd: string, name: string, yaml: string): Promise<string> {
  await mkdir(join(cwd, "plans-extra"), { recursive: true });
  const rel = `plans-extra/${name}.yaml`;
  await writeFile(join(cwd, rel), yaml);
  return rel;
}

/** A Business Basic → Business Standard plan with the given spec lines after source/target. */
export function basicToStandard(name: string, spec: string): string {
  return `apiVersion: pcplan/v1
kind: MigrationPlan
metadata:
  name: ${name}
spec:
  source: { sku: O365_BUSINESS_ESSENTIALS }
  target: { sku: O365_BUSINESS_PREMIUM }
${spec}`;
}

/** A `strategy: at-renewal` Business Basic → Business Standard plan for the given customers; its relative path. */
export async function atRenewalPlan(world: NceWorld, ...customers: string[]): Promise<string> {
  const list = customers.map((id) => `    - id: ${id}`).join("\n");
  return writePlan(world.cwd, "at-renewal", basicToStandard("at-renewal", `  strategy: at-renewal\n  customers:\n${list}\n`));
}

/** Users of a customer holding the SKU (ids compared case-insensitively). */
export function holders(c: { users: { userPrincipalName: string; licenses: string[] }[] }, skuId: string): string[] {
  return c.users.filter((u) => u.licenses.some((l) => l.toLowerCase() === skuId)).map((u) => u.userPrincipalName);
}

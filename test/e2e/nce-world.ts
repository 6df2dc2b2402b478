/**
 * The demo world's new-commerce customers (docs/demo-world.md rows a–h) for end-to-end tests:
 * an in-process sandbox started from the demo fixture (or a copy a test changes), a temp checkout
 * of plans/, the built CLI run against it, and readers of what the sandbox was asked to write.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox, type SandboxFixture, type SandboxHandle, type SandboxOptions } from "../../src/sandbox/index.js";
import { runCli, spawnCli, tempCheckout, type CliChild, type CliResult } from "../helpers/cli.js";

export const NOW = "2026-11-24T00:00:00Z";

export const NCE = {
  alpine: "339e3d7f-8e5f-59cd-8ba8-b4ea3439cd58",
  coho: "19d86303-f2cd-5cdc-9447-882a9180c201",
  fourth: "ae9ee984-1c1c-54bf-8918-c05dc844a60f",
  lamna: "1b5e3fee-d662-5369-a921-3cb589900b0b",
  margies: "8db00d41-1c8b-5e16-80fd-b6a4fcebb7c2",
  relecloud: "d7df7cfa-6aec-50a5-aeca-3e28de1ff8d0",
  wingtip: "b6004f4b-1b85-5c1e-9d24-68c02076c606",
  tailwind: "b8b8f5f6-9eb2-57fb-b5a5-39f5dfd008e6",
  /** Legacy: US government, whose target M365_F1_GOV has no new-commerce product. */
  tailspin: "b555b80f-3038-4c1d-8fef-38acb8d6af89",
} as const;

/** The plan of rows a–h in the temp checkout (relative to its cwd). */
export const NCE_PLAN = "plans/business-basic-to-standard.yaml";

export const SKU = {
  basic: "3b555118-da6a-4418-894f-7df1e2096870",
  standard: "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
} as const;

/** Business Standard, sold in the US and in GB under different availabilities. */
export const STANDARD_US = "CFQ7TTC0LDPB:0001:CFQ7TTC0LGNT";
export const STANDARD_GB = "CFQ7TTC0LDPB:0001:CFQ7TTC0LGNU";

export interface NceWorld {
  sandbox: SandboxHandle;
  /** The temp checkout the CLI runs in (plans/ copied; .pcplan/ holds the journal and audit log). */
  cwd: string;
  /** The built CLI against the sandbox, with the admin agent's token and the pinned now. */
  cli(args: string[]): Promise<CliResult>;
  /** The same, sent to another endpoint (a proxy in front of the sandbox). */
  cliAt(endpoint: string, args: string[]): Promise<CliResult>;
  spawn(args: string[]): CliChild;
  /** Writes the sandbox was asked for, optionally of one customer. */
  writes(customerId?: string): SandboxHandle["requestLog"];
  /** State changes the sandbox committed, optionally of one customer. */
  changes(customerId?: string): SandboxHandle["changes"];
  /** A customer of the live world (a copy). */
  customer(id: string): ReturnType<SandboxHandle["world"]>["customers"][number];
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Changes a copy of the demo fixture before the sandbox starts. */
  fixture?: (f: SandboxFixture) => void;
  sandbox?: Partial<Omit<SandboxOptions, "fixture">>;
}

export async function startNceWorld(opts: WorldOptions = {}): Promise<NceWorld> {
  const fixture = structuredClone(await loadFixture(DEMO_FIXTURE_PATH));
  opts.fixture?.(fixture);
  const sandbox = await startSandbox({ fixture, port: 0, clock: NOW, ...opts.sandbox });
  const cwd = await tempCheckout();
  const argv = (args: string[], endpoint = sandbox.url) => [...args, "--endpoint", endpoint, "--now", NOW];
  const env = { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin };
  const of = (customerId: string | undefined) => (e: { customerId?: string }) => customerId === undefined || e.customerId?.toLowerCase() === customerId;
  return {
    sandbox,
    cwd,
    cli: (args) => runCli(argv(args), { cwd, env }),
    cliAt: (endpoint, args) => runCli(argv(args, endpoint), { cwd, env }),
    spawn: (args) => spawnCli(argv(args), { cwd, env }),
    writes: (customerId) => sandbox.requestLog.filter((r) => r.write).filter(of(customerId)),
    changes: (customerId) => sandbox.changes.filter(of(customerId)),
    customer: (id) => {
      const c = sandbox.world().customers.find((x) => x.id.toLowerCase() === id);
      if (!c) throw new Error(`no customer ${id} in the sandbox world`);
      return c;
    },
    close: () => sandbox.close(),
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

export const subscriptionOf = (fx: SandboxFixture, customerId: string, index = 0) => {
  const c = fx.customers.find((x) => x.id === customerId);
  const s = c?.subscriptions[index];
  if (!s) throw new Error(`fixture: no subscription ${index} of ${customerId}`);
  return s;
};

/** Users of a customer holding the SKU (ids compared case-insensitively). */
export function holders(c: { users: { userPrincipalName: string; licenses: string[] }[] }, skuId: string): string[] {
  return c.users.filter((u) => u.licenses.some((l) => l.toLowerCase() === skuId)).map((u) => u.userPrincipalName);
}

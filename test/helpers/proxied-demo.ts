/**
 * The demo world served by a real sandbox behind the hostile proxy (test/helpers/hostile-proxy.ts),
 * with `pcplan` run in this process through `main` (test/helpers/in-process.ts): what
 * demo-run.ts gives the spawned CLI, for tests of the unit loop. The credential is set in
 * `process.env` for the run and restored after.
 */
import { rm } from "node:fs/promises";
import { afterEach, beforeEach } from "vitest";
import { DEMO_FIXTURE_PATH, SANDBOX_TOKENS, loadFixture, startSandbox, type SandboxFixture, type SandboxHandle } from "../../src/sandbox/index.js";
import type { FixtureUser } from "../../src/sandbox/fixture-types.js";
import type { WorldSubscription } from "../../src/sandbox/world-types.js";
import { partnerCenterCheckout } from "./cli.js";
import { DEMO_NOW } from "./demo-customers.js";
import { startHostileProxy, type HostileProxy } from "./hostile-proxy.js";
import { runMain, type MainResult } from "./in-process.js";

export interface ProxiedDemo {
  sandbox: SandboxHandle;
  proxy: HostileProxy;
  cwd: string;
  /** `pcplan ARGS --endpoint <proxy> --now <demo now>` in this process. */
  pcplan(...args: string[]): Promise<MainResult>;
  /** A customer's users as the sandbox holds them now. */
  users(customerId: string): FixtureUser[];
  /** A customer's subscriptions as the sandbox holds them now. */
  subscriptions(customerId: string): WorldSubscription[];
  close(): Promise<void>;
}

export async function startProxiedDemo(fixtureEdit?: (f: SandboxFixture) => void, token: string = SANDBOX_TOKENS.admin): Promise<ProxiedDemo> {
  const fixture = await loadFixture(DEMO_FIXTURE_PATH);
  fixtureEdit?.(fixture);
  const sandbox = await startSandbox({ fixture, clock: DEMO_NOW });
  const proxy = await startHostileProxy(sandbox.url);
  const cwd = await partnerCenterCheckout();
  const customer = (id: string) => sandbox.world().customers.find((c) => c.id.toLowerCase() === id);
  return {
    sandbox,
    proxy,
    cwd,
    async pcplan(...args) {
      const before = process.env.PARTNER_CENTER_TOKEN;
      process.env.PARTNER_CENTER_TOKEN = token;
      try {
        return await runMain([...args, "--endpoint", proxy.url, "--now", DEMO_NOW], { cwd });
      } finally {
        if (before === undefined) delete process.env.PARTNER_CENTER_TOKEN;
        else process.env.PARTNER_CENTER_TOKEN = before;
      }
    },
    users: (id) => customer(id)?.users ?? [],
    subscriptions: (id) => customer(id)?.subscriptions ?? [],
    close: async () => {
      await proxy.close();
      await sandbox.close();
      await rm(cwd, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh proxied demo for each test of the calling file (started in `beforeEach`, closed in
 * `afterEach`); the returned function gives the current test's.
 */
export function proxiedDemoPerTest(fixtureEdit?: (f: SandboxFixture) => void): () => ProxiedDemo {
  let demo: ProxiedDemo | undefined;
  beforeEach(async () => {
    demo = await startProxiedDemo(fixtureEdit);
  });
  afterEach(async () => {
    await demo?.close();
    demo = undefined;
  });
  return () => {
    if (!demo) throw new Error("proxiedDemoPerTest: no test is running");
    return demo;
  };
}

/**
 * The demo world served by a real sandbox behind a hostile proxy (test/helpers/hostile-proxy.ts),
 * and the shipped CLI run against the proxy from a fresh checkout of the plans: what the safety
 * and exit-code tests share. Assertions read the sandbox (its request log and changes), which
 * sees only what got through the proxy. With `inProcess` the CLI runs through `main` in the
 * test's own process (test/helpers/in-process.ts), loaded only then: the child-process tests
 * sharing this file do not pay for importing the CLI.
 */
import {
  DEMO_FIXTURE_PATH,
  SANDBOX_TOKENS,
  loadFixture,
  startSandbox,
  type SandboxFixture,
  type SandboxHandle,
  type SandboxOptions,
} from "../../src/sandbox/index.js";
import { partnerCenterCheckout, runCli, type CliResult } from "./cli.js";
import { DEMO_NOW } from "./demo-customers.js";
import { startHostileProxy, type HostileProxy } from "./hostile-proxy.js";

export interface DemoRun {
  sandbox: SandboxHandle;
  proxy: HostileProxy;
  cwd: string;
  /** `pcplan ARGS`; online commands get `--endpoint <proxy>` (unless ARGS name one) and `--now <demo now>`. */
  cli(args: string[], opts?: { cwd?: string; env?: Record<string, string | undefined>; uid?: number; gid?: number }): Promise<CliResult>;
  /** Writes the sandbox saw (after the proxy), optionally for one customer. */
  writes(customerId?: string): RequestLogWrite[];
  /** Orders the sandbox took for a customer (one per order line, carts included). */
  orders(customerId: string): number;
  close(): Promise<void>;
}

type RequestLogWrite = SandboxHandle["requestLog"][number];

const ONLINE = new Set(["plan", "apply", "status", "discover"]);

/**
 * A fixture edit: the demo's earlier orders (Tailwind's, which provisions a minute after the
 * sandbox starts and which apply awaits) provisioned before the run, for tests that apply the whole
 * world and are not about awaiting them: no minute's real wait, no "provisioning" customer.
 */
export function settleEarlierOrders(f: SandboxFixture): void {
  for (const c of f.customers) for (const o of c.orders ?? []) if (o.fulfillAt !== undefined) o.fulfillAt = "now-PT1S";
}

export async function startDemoRun(
  opts: {
    fixture?: (f: SandboxFixture) => void;
    sandbox?: Partial<SandboxOptions>;
    inProcess?: boolean;
    /** Variables for every run (a run's own `env` goes over them), e.g. the test speed knobs of docs/testing.md. */
    env?: Record<string, string | undefined>;
  } = {},
): Promise<DemoRun> {
  const fixture = await loadFixture(DEMO_FIXTURE_PATH);
  opts.fixture?.(fixture);
  const sandbox = await startSandbox({ fixture, clock: DEMO_NOW, ...opts.sandbox });
  const proxy = await startHostileProxy(sandbox.url);
  const cwd = await partnerCenterCheckout();
  const run = opts.inProcess ? (await import("./in-process.js")).runMain : runCli;
  return {
    sandbox,
    proxy,
    cwd,
    cli: (args, o = {}) =>
      run([...args, ...(ONLINE.has(args[0] ?? "") ? [...(args.includes("--endpoint") ? [] : ["--endpoint", proxy.url]), "--now", DEMO_NOW] : [])], {
        cwd: o.cwd ?? cwd,
        env: { PARTNER_CENTER_TOKEN: SANDBOX_TOKENS.admin, ...opts.env, ...o.env },
        uid: o.uid,
        gid: o.gid,
      }),
    writes: (customerId) =>
      sandbox.requestLog.filter((r) => r.write && (customerId === undefined || r.path.toLowerCase().includes(`/customers/${customerId}`))),
    orders: (customerId) => sandbox.changes.filter((c) => c.kind === "order" && c.customerId.toLowerCase() === customerId).length,
    close: async () => {
      await proxy.close();
      await sandbox.close();
    },
  };
}

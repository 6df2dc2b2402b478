/**
 * `pcplan sandbox`: serve a world until SIGINT/SIGTERM. The CLI loads this module only when the
 * command runs (a dynamic import), so nothing of the sandbox is on the product's path.
 */
import { PcplanError } from "../errors.js";
import { DEMO_FIXTURE_PATH, loadFixture } from "./fixture.js";
import { generateWorld } from "./generate.js";
import { startSandbox } from "./start.js";
import type { SandboxFixture, SandboxHandle, SandboxOptions } from "./types.js";

/** The command's flags, as commander parsed them. */
export interface ServeFlags {
  fixture?: string;
  port: number;
  state?: string;
  latency?: number;
  rateLimit?: number;
  rateLimitCustomer?: number;
  faultRate?: number;
  lostResponseRate?: number;
  seed: number;
  clock?: string;
  generate?: { customers: number; users: number; nce?: number };
  provisioningDelay?: number;
  orderAppearanceDelay?: number;
  transitionDelay?: number;
  graphPort?: number;
  graphRateLimit?: number;
  graphRateLimitTenant?: number;
}

/** Where the command writes: the URLs to stdout, the summary to stderr. */
export interface ServeOutput {
  out(text: string): void;
  err(text: string): void;
}

async function worldOf(flags: ServeFlags): Promise<{ fixture: SandboxFixture; source: string }> {
  if (flags.generate) return { fixture: generateWorld({ ...flags.generate, seed: flags.seed }), source: `generated (seed ${flags.seed})` };
  // The shipped demo world is schema-checked by its tests, not at each start (loadFixture); a file given is checked whole.
  return { fixture: await loadFixture(flags.fixture ?? DEMO_FIXTURE_PATH, { shipped: flags.fixture === undefined }), source: flags.fixture ?? "demo world" };
}

function optionsOf(flags: ServeFlags, fixture: SandboxFixture): SandboxOptions {
  return {
    fixture,
    port: flags.port,
    seed: flags.seed,
    statePath: flags.state,
    latencyMs: flags.latency,
    rateLimit: flags.rateLimit,
    rateLimitCustomer: flags.rateLimitCustomer,
    faultRate: flags.faultRate,
    lostResponseRate: flags.lostResponseRate,
    clock: flags.clock,
    provisioningDelayMs: flags.provisioningDelay,
    orderAppearanceDelayMs: flags.orderAppearanceDelay,
    transitionDelayMs: flags.transitionDelay,
    graphPort: flags.graphPort,
    graphRateLimit: flags.graphRateLimit,
    graphRateLimitTenant: flags.graphRateLimitTenant,
  };
}

/** The stderr summary: the world, where its state goes, the faults and delays injected, the credentials (never their tokens). */
function summary(opts: SandboxOptions, sandbox: SandboxHandle, source: string): string {
  const world = sandbox.world();
  const users = world.customers.reduce((n, c) => n + c.users.length, 0);
  const listed = (items: [number | undefined, string][]) =>
    items
      .filter(([v]) => v)
      .map(([, text]) => text)
      .join(", ");
  const faults = listed([
    [opts.latencyMs, `latency ${opts.latencyMs}ms`],
    [opts.rateLimit, `rate limit ${opts.rateLimit}/s`],
    [opts.rateLimitCustomer, `rate limit ${opts.rateLimitCustomer}/s per customer`],
    [opts.faultRate, `5xx ${opts.faultRate}`],
    [opts.lostResponseRate, `lost responses ${opts.lostResponseRate}`],
    [opts.graphRateLimit, `Graph rate limit ${opts.graphRateLimit}/s`],
    [opts.graphRateLimitTenant, `Graph rate limit ${opts.graphRateLimitTenant}/s per tenant`],
  ]);
  const delays = listed([
    [opts.provisioningDelayMs, `provisioning ${opts.provisioningDelayMs}ms`],
    [opts.orderAppearanceDelayMs, `order appearance ${opts.orderAppearanceDelayMs}ms`],
    [opts.transitionDelayMs, `transitions ${opts.transitionDelayMs}ms`],
  ]);
  return [
    `pcplan sandbox: ${world.customers.length} customers, ${users} users, ${world.offers.length} offers (${source})`,
    `  state: ${opts.statePath ?? "in memory only"}; clock: ${opts.clock ?? "now"}; faults: ${faults || "none"}`,
    `  commerce delays: ${delays || "none"}`,
    `  credentials: ${world.credentials.map((c) => `${c.name} (${c.role})`).join(", ")} — tokens are in the fixture`,
    `  Graph and tokens: ${sandbox.graph.endpoint} (HTTPS; trust it with NODE_EXTRA_CA_CERTS=${sandbox.graph.caPath}); partner tenant ${world.partner.id}`,
    "  Ctrl-C to stop.",
    "",
  ].join("\n");
}

function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** Serves the world the flags name until interrupted, then closes it cleanly. */
export async function serveSandbox(flags: ServeFlags, io: ServeOutput): Promise<void> {
  const { fixture, source } = await worldOf(flags);
  const opts = optionsOf(flags, fixture);
  let sandbox: SandboxHandle;
  try {
    sandbox = await startSandbox(opts);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") throw new PcplanError("SANDBOX_PORT", `port ${flags.port} is already in use`);
    throw err;
  }
  // Listening for the stop before the URL is printed: a caller may signal as soon as it reads it.
  const stopped = untilStopped();
  io.out(`${sandbox.url}\n${sandbox.graph.endpoint}\n`);
  io.err(summary(opts, sandbox, source));
  await stopped;
  await sandbox.close();
  io.err("pcplan sandbox: stopped\n");
}

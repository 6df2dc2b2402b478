import { InvalidArgumentError, Option, type Command } from "commander";
import { PcplanError } from "../../errors.js";
import { DEMO_FIXTURE_PATH, generateWorld, loadFixture, startSandbox, type SandboxFixture, type SandboxOptions } from "../../sandbox/index.js";

interface SandboxFlags {
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
  generate?: { customers: number; users: number };
}

function intArg(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}

function probabilityArg(value: string): number {
  const p = Number(value);
  if (value.trim() === "" || !Number.isFinite(p) || p < 0 || p > 1) throw new InvalidArgumentError(`expected a probability from 0 to 1, got "${value}"`);
  return p;
}

/** `10` or `10/s`: requests per second. */
function rateArg(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(value.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0)) throw new InvalidArgumentError(`expected requests per second like 10 or 10/s, got "${value}"`);
  return n;
}

function isoArg(value: string): string {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError(`expected an ISO date-time like 2026-11-24T00:00:00Z, got "${value}"`);
  return new Date(value).toISOString();
}

/** `customers=N,users=M`. */
function generateArg(value: string): { customers: number; users: number } {
  const parts = new Map(value.split(",").map((kv) => kv.split("=").map((s) => s.trim()) as [string, string | undefined]));
  const customers = Number(parts.get("customers"));
  const users = Number(parts.get("users"));
  const extra = [...parts.keys()].filter((k) => k !== "customers" && k !== "users");
  if (extra.length > 0 || !Number.isInteger(customers) || customers < 1 || !Number.isInteger(users) || users < 0) {
    throw new InvalidArgumentError(`expected customers=N,users=M (N ≥ 1, M ≥ 0), got "${value}"`);
  }
  return { customers, users };
}

export function registerSandboxCommand(program: Command): void {
  program
    .command("sandbox")
    .summary("run a local Partner Center (no account needed)")
    .description(
      "Serves a Partner Center world over the real REST protocol on 127.0.0.1 until interrupted. " +
        "Prints the base URL as the first line on stdout. See docs/sandbox.md.",
    )
    .option("--fixture <file>", "world to serve (JSON, schemas/sandbox.schema.json); default the demo world")
    .addOption(new Option("--port <n>", "port on 127.0.0.1 (0 = any free port)").argParser(intArg(0, 65535)).default(0))
    .option("--state <file>", "persist state here; an existing file is loaded instead of the fixture")
    .addOption(new Option("--latency <ms>", "added to every request").argParser(intArg(0, 600_000)))
    .addOption(new Option("--rate-limit <n/s>", "requests per second before answering 429 Retry-After").argParser(rateArg))
    .addOption(
      new Option("--rate-limit-customer <n/s>", "requests per second per customer (calls below /customers/{id}/) before answering 429 Retry-After").argParser(rateArg),
    )
    .addOption(new Option("--fault-rate <p>", "probability of a 500/503 before a request is processed").argParser(probabilityArg))
    .addOption(new Option("--lost-response-rate <p>", "probability a committed write gets no response").argParser(probabilityArg))
    .addOption(new Option("--seed <n>", "seed for faults and generated ids").argParser(intArg(0, 2 ** 32 - 1)).default(1))
    .addOption(new Option("--clock <iso>", "start the sandbox clock at this instant").argParser(isoArg))
    .addOption(new Option("--generate <spec>", "serve a synthetic world: customers=N,users=M").argParser(generateArg).conflicts("fixture"))
    .action(async (flags: SandboxFlags) => {
      let fixture: SandboxFixture;
      let source: string;
      if (flags.generate) {
        fixture = generateWorld({ ...flags.generate, seed: flags.seed });
        source = `generated (seed ${flags.seed})`;
      } else {
        const path = flags.fixture ?? DEMO_FIXTURE_PATH;
        fixture = await loadFixture(path);
        source = flags.fixture ?? "demo world";
      }
      const opts: SandboxOptions = { fixture, port: flags.port, seed: flags.seed };
      if (flags.state !== undefined) opts.statePath = flags.state;
      if (flags.latency !== undefined) opts.latencyMs = flags.latency;
      if (flags.rateLimit !== undefined) opts.rateLimit = flags.rateLimit;
      if (flags.rateLimitCustomer !== undefined) opts.rateLimitCustomer = flags.rateLimitCustomer;
      if (flags.faultRate !== undefined) opts.faultRate = flags.faultRate;
      if (flags.lostResponseRate !== undefined) opts.lostResponseRate = flags.lostResponseRate;
      if (flags.clock !== undefined) opts.clock = flags.clock;

      let sandbox;
      try {
        sandbox = await startSandbox(opts);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") throw new PcplanError("SANDBOX_PORT", `port ${flags.port} is already in use`);
        throw err;
      }
      process.stdout.write(`${sandbox.url}\n`);

      const world = sandbox.world();
      const users = world.customers.reduce((n, c) => n + c.users.length, 0);
      const faults = [
        opts.latencyMs ? `latency ${opts.latencyMs}ms` : "",
        opts.rateLimit ? `rate limit ${opts.rateLimit}/s` : "",
        opts.rateLimitCustomer ? `rate limit ${opts.rateLimitCustomer}/s per customer` : "",
        opts.faultRate ? `5xx ${opts.faultRate}` : "",
        opts.lostResponseRate ? `lost responses ${opts.lostResponseRate}` : "",
      ].filter(Boolean);
      process.stderr.write(
        [
          `pcplan sandbox: ${world.customers.length} customers, ${users} users, ${world.offers.length} offers (${source})`,
          `  state: ${opts.statePath ?? "in memory only"}; clock: ${opts.clock ?? "now"}; faults: ${faults.join(", ") || "none"}`,
          `  credentials: ${world.credentials.map((c) => `${c.name} (${c.role})`).join(", ")} — tokens are in the fixture`,
          "  Ctrl-C to stop.",
          "",
        ].join("\n"),
      );

      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      await sandbox.close();
      process.stderr.write("pcplan sandbox: stopped\n");
    });
}

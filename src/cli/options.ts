import { InvalidArgumentError, Option, type Command } from "commander";
import { parseShard, type Shard } from "../engine/shard.js";
import { PcplanError } from "../errors.js";
import { isGuid } from "../util/guid.js";

/** Every option parser the commands share; messages say what was expected and what came. */
export function intOption(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER ? `expected an integer ≥ ${min}, got "${value}"` : `expected an integer from ${min} to ${max}, got "${value}"`,
      );
    }
    return n;
  };
}

export function isoOption(value: string): string {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError(`expected an ISO date or time like 2026-11-24T00:00:00Z, got "${value}"`);
  return new Date(value).toISOString();
}

export function probabilityOption(value: string): number {
  const p = Number(value);
  if (value.trim() === "" || !Number.isFinite(p) || p < 0 || p > 1) throw new InvalidArgumentError(`expected a probability from 0 to 1, got "${value}"`);
  return p;
}

/** `10` or `10/s`: requests per second. */
export function rateOption(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(value.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0)) throw new InvalidArgumentError(`expected requests per second like 10 or 10/s, got "${value}"`);
  return n;
}

export function guidList(value: string, previous: string[] = []): string[] {
  if (!isGuid(value)) throw new InvalidArgumentError(`expected a customer tenant id (GUID), got "${value}"`);
  return [...previous, value.trim().toLowerCase()];
}

export function shardOption(value: string): Shard {
  try {
    return parseShard(value);
  } catch (err) {
    throw new InvalidArgumentError(err instanceof PcplanError ? err.message : String(err));
  }
}

/** `--customer` and `--shard`: which customers a command works on. */
export function addCustomerOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--customer <id>", "only this customer (repeatable)").argParser(guidList))
    .addOption(new Option("--shard <K/N>", "only the customers in shard K of N (a stable hash of the customer id)").argParser(shardOption));
}

/** Options every command that talks to Partner Center shares. */
export function addConnectionOptions(cmd: Command): Command {
  return addCustomerOptions(
    cmd
      .option("--sandbox", "run against the built-in demo Partner Center (no account needed; state in .pcplan/)")
      .option(
        "--endpoint <url>",
        "Partner Center REST endpoint (env PARTNER_CENTER_ENDPOINT)",
        process.env.PARTNER_CENTER_ENDPOINT ?? "https://api.partnercenter.microsoft.com/v1",
      )
      .addOption(new Option("--max-rps <n>", "cap on requests per second (default: none; the client finds the service's limit)").argParser(intOption(1)))
      .addOption(new Option("--concurrency <n>", "requests in flight at once").argParser(intOption(1)).default(32))
      .option("--country <code>", "catalog country (ISO 3166 alpha-2)", "US")
      .addOption(new Option("--now <iso>", "reference time for deadlines (default: the current time)").argParser(isoOption))
      .addOption(new Option("--warn-days <n>", "flag sources ending within this many days").argParser(intOption(0)).default(30))
      .option("--verbose", "report request rate, throttling and time spent waiting on stderr")
      .addOption(
        new Option(
          "--license-api <api>",
          "where licence state is read and changed: partner-center, graph (Microsoft Graph on each customer tenant) or auto (Graph when the app credentials reach it, else Partner Center)",
        )
          .choices(["partner-center", "graph", "auto"])
          .default("auto"),
      )
      .option(
        "--graph-endpoint <url>",
        "Microsoft Graph host, without /v1.0 (env GRAPH_ENDPOINT)",
        process.env.GRAPH_ENDPOINT ?? "https://graph.microsoft.com",
      ),
  );
}

/**
 * `--timeout`: the whole run's time limit (plan, apply, status). Its default is sized to the work
 * (src/http/deadline.ts, docs/partner-center.md, "Time limits").
 */
export function addTimeoutOption(cmd: Command, extra = ""): Command {
  return cmd.addOption(
    new Option(
      "--timeout <seconds>",
      `give up the whole run after this long: nothing more is started, what was done is kept, exit 1 (default: 600 + 10 a planned customer${extra})`,
    ).argParser(intOption(1)),
  );
}

export interface CustomerFlags {
  customer?: string[];
  shard?: Shard;
}

export interface ConnectionFlags extends CustomerFlags {
  sandbox?: boolean;
  endpoint: string;
  maxRps?: number;
  concurrency: number;
  country: string;
  now?: string;
  warnDays: number;
  verbose?: boolean;
  licenseApi: "partner-center" | "graph" | "auto";
  graphEndpoint: string;
  /** `--timeout` (plan, apply, status): seconds for the whole run. */
  timeout?: number;
}

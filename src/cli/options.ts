import { InvalidArgumentError, Option, type Command } from "commander";
import { parseShard, type Shard } from "../engine/shard.js";
import { PcplanError } from "../errors.js";

export function intOption(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}, got "${value}"`);
    return n;
  };
}

export function isoOption(value: string): string {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError(`expected an ISO date or time, got "${value}"`);
  return new Date(value).toISOString();
}

export function guidList(value: string, previous: string[] = []): string[] {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new InvalidArgumentError(`expected a customer tenant id (GUID), got "${value}"`);
  }
  return [...previous, value.toLowerCase()];
}

export function shardOption(value: string): Shard {
  try {
    return parseShard(value);
  } catch (err) {
    throw new InvalidArgumentError(err instanceof PcplanError ? err.message : String(err));
  }
}

/** Options every command that talks to Partner Center shares. */
export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option("--sandbox", "run against the built-in demo Partner Center (no account needed; state in .pcplan/)")
    .option("--endpoint <url>", "Partner Center REST endpoint (env PARTNER_CENTER_ENDPOINT)")
    .addOption(
      new Option("--max-rps <n>", "cap on requests per second (default: none, the client finds Partner Center's limit itself; divided by N with --shard)").argParser(
        intOption(1),
      ),
    )
    .addOption(new Option("--concurrency <n>", "requests in flight at once").argParser(intOption(1)).default(32))
    .option("--country <code>", "offer catalog country", "US")
    .addOption(new Option("--now <iso>", "reference time for deadlines (default: now)").argParser(isoOption))
    .addOption(new Option("--warn-days <n>", "flag sources ending within this many days").argParser(intOption(0)).default(30))
    .addOption(new Option("--customer <id>", "only this customer (repeatable)").argParser(guidList))
    .addOption(
      new Option("--shard <K/N>", "only the customers in shard K of N (stable hash of the customer id)").argParser(
        shardOption,
      ),
    );
}

export interface ConnectionFlags {
  sandbox?: boolean;
  endpoint?: string;
  maxRps?: number;
  concurrency: number;
  country: string;
  now?: string;
  warnDays: number;
  customer?: string[];
  shard?: Shard;
}

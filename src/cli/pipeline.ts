import { computePlan, selectCustomers, type ComputedPlan } from "../engine/compute-plan.js";
import { inShard, shardRps } from "../engine/shard.js";
import { ExitError } from "../errors.js";
import { formatDiagnostic, loadPlans } from "../plan-file/index.js";
import type { LoadResult, MigrationPlan } from "../plan-file/types.js";
import { connect, type Connection } from "./connection.js";
import type { ConnectionFlags } from "./options.js";
import { progress } from "./terminal.js";

/** Loads and validates plan files; any error is printed (file:line:col) and stops before the network. */
export async function loadValidPlans(paths: string[]): Promise<LoadResult> {
  const given = paths.length > 0 ? paths : ["plans"];
  const result = await loadPlans(given);
  for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d) + "\n");
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) throw new ExitError(1, `${errors} error${errors === 1 ? "" : "s"} in plan files; nothing was read or written`);
  // A wrong path must not look like "No changes": plan and apply need at least one plan file.
  if (result.files.length === 0) throw new ExitError(1, `no plan files (.yaml, .yml) in ${given.join(", ")}; nothing was read or written`);
  return result;
}

/** `--customer` and `--shard` narrow the planned customers; plans left empty are dropped. */
export function filterPlans(plans: readonly MigrationPlan[], flags: Pick<ConnectionFlags, "customer" | "shard">): MigrationPlan[] {
  const only = flags.customer && flags.customer.length > 0 ? new Set(flags.customer) : undefined;
  const shard = flags.shard;
  if (!only && !shard) return [...plans];
  return selectCustomers(plans, (id) => (!only || only.has(id.toLowerCase())) && (!shard || inShard(id, shard)));
}

/**
 * The rate cap for this process: none by default (the client finds the limit itself, and each
 * shard finds its own); an explicit --max-rps is the partner's total, divided by N under --shard K/N.
 */
export function effectiveMaxRps(flags: Pick<ConnectionFlags, "maxRps" | "shard">): number | undefined {
  return flags.maxRps === undefined ? undefined : shardRps(flags.maxRps, flags.shard);
}

export function connectFrom(flags: ConnectionFlags): Promise<Connection> {
  const maxRps = effectiveMaxRps(flags);
  return connect({
    ...(flags.sandbox ? { sandbox: true } : {}),
    ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
    ...(maxRps ? { maxRps } : {}),
    ...(flags.now ? { clock: flags.now } : {}),
  });
}

export async function computeWithProgress(conn: Connection, plans: readonly MigrationPlan[], flags: ConnectionFlags): Promise<ComputedPlan> {
  const bar = progress("Reading customers");
  try {
    return await computePlan(conn.api, plans, {
      now: flags.now ?? new Date().toISOString(),
      warnDays: flags.warnDays,
      concurrency: flags.concurrency,
      country: flags.country,
      onProgress: (e) => bar.update(e.customersDone, e.customersTotal),
    });
  } finally {
    bar.end();
  }
}

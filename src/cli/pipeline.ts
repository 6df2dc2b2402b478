import { computePlan, selectCustomers, type ComputedPlan } from "../engine/compute-plan.js";
import { inShard, shardRps } from "../engine/shard.js";
import { PcplanError } from "../errors.js";
import { formatDiagnostic, loadPlans } from "../plan-file/index.js";
import type { LoadResult, MigrationPlan } from "../plan-file/types.js";
import type { ReportMeta } from "../render/html/index.js";
import { PCPLAN_VERSION } from "../version.js";
import { connect, purchaseJournal, scheduleJournal, type Connection } from "./connection.js";
import { TIMEOUT_BASE_S, TIMEOUT_PER_CUSTOMER_S, defaultTimeoutS, runDeadline, type RunDeadline } from "../http/deadline.js";
import { TEST_TIMEOUT_SCALE_VAR, testTimeScale } from "../util/wait-clock.js";
import type { ClientStats } from "../partner-center/events.js";
import type { Io } from "./io.js";
import type { ConnectionFlags, CustomerFlags } from "./options.js";

/** Loads and validates plan files; any error is printed (file:line:col) and stops before the network. */
export async function loadValidPlans(io: Io, paths: string[]): Promise<LoadResult> {
  const given = paths.length > 0 ? paths : ["plans"];
  const result = await loadPlans(given);
  for (const d of result.diagnostics) io.err(formatDiagnostic(d) + "\n");
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) throw new PcplanError("PLAN_INVALID", `${errors} error${errors === 1 ? "" : "s"} in plan files; nothing was read or written`);
  // A wrong path must not look like "No changes": plan and apply need at least one plan file.
  if (result.files.length === 0) throw new PcplanError("NO_PLANS", `no plan files (.yaml, .yml) in ${given.join(", ")}; nothing was read or written`);
  return result;
}

/** `--customer` and `--shard` as one predicate over lowercase customer ids. */
export function customerFilter(flags: CustomerFlags): (customerId: string) => boolean {
  const only = flags.customer && flags.customer.length > 0 ? new Set(flags.customer) : undefined;
  const shard = flags.shard;
  return (id) => (!only || only.has(id.toLowerCase())) && (!shard || inShard(id, shard));
}

/**
 * `--customer` and `--shard` narrow the planned customers; plans left empty are dropped. A
 * `--customer` that no plan names is a mistake, not "no changes".
 */
export function filterPlans(plans: readonly MigrationPlan[], flags: CustomerFlags): MigrationPlan[] {
  const planned = new Set(plans.flatMap((p) => p.customers.map((c) => c.id)));
  const strangers = (flags.customer ?? []).filter((id) => !planned.has(id));
  if (strangers.length > 0) {
    throw new PcplanError("CUSTOMER_NOT_PLANNED", `--customer ${strangers.join(", ")}: in no plan; nothing was read. Add the customer to a plan file first`);
  }
  if (!flags.customer?.length && !flags.shard) return [...plans];
  return selectCustomers(plans, customerFilter(flags));
}

/**
 * The request-rate cap for this process: none unless `--max-rps` is given (the client finds the
 * service's limit itself); an explicit cap is shared by the N shards of `--shard K/N`.
 */
export function effectiveMaxRps(flags: Pick<ConnectionFlags, "maxRps" | "shard">): number | undefined {
  return flags.maxRps === undefined ? undefined : shardRps(flags.maxRps, flags.shard);
}

/**
 * The run's time limit: `--timeout`, or the default sized to the work, 600 s + 10 s a planned
 * customer (apply extends it once it knows its changes). Under the test runner the timer follows
 * PCPLAN_TEST_TIMEOUT_SCALE (docs/testing.md).
 */
export function deadlineFor(flags: Pick<ConnectionFlags, "timeout">, customers: number): RunDeadline {
  const scale = testTimeScale(process.env, TEST_TIMEOUT_SCALE_VAR);
  if (flags.timeout !== undefined) return runDeadline({ limitMs: flags.timeout * 1000, scale });
  const why = `the default for ${customers} customer${customers === 1 ? "" : "s"}: ${TIMEOUT_BASE_S} s + ${TIMEOUT_PER_CUSTOMER_S} s a customer`;
  return runDeadline({ limitMs: defaultTimeoutS(customers) * 1000, why, scale });
}

export function connectFrom(io: Io, flags: ConnectionFlags, deadline?: RunDeadline): Promise<Connection> {
  const maxRps = effectiveMaxRps(flags);
  return connect(io, {
    ...(deadline ? { deadline } : {}),
    ...(flags.sandbox ? { sandbox: true } : {}),
    endpoint: flags.endpoint,
    ...(maxRps ? { maxRps } : {}),
    ...(flags.now ? { clock: flags.now } : {}),
    licenseApi: flags.licenseApi,
    graphEndpoint: flags.graphEndpoint,
  });
}

/** What a command that reads Partner Center works with: the plans, the reference time, the open connection, the diff. */
export interface Planned {
  loaded: LoadResult;
  plans: MigrationPlan[];
  now: string;
  conn: Connection;
  computed: ComputedPlan;
  deadline: RunDeadline;
}

/**
 * Loads and narrows the plan files, connects, reads and diffs the planned customers, then runs
 * `use` while the connection is open; it is closed after, whatever happened.
 */
export async function withPlanned<T>(io: Io, paths: string[], flags: ConnectionFlags, use: (p: Planned) => Promise<T>): Promise<T> {
  const loaded = await loadValidPlans(io, paths);
  const plans = filterPlans(loaded.plans, flags);
  const now = flags.now ?? new Date().toISOString();
  const deadline = deadlineFor(flags, new Set(plans.flatMap((p) => p.customers.map((c) => c.id))).size);
  try {
    const conn = await connectFrom(io, flags, deadline);
    try {
      return await use({ loaded, plans, now, conn, deadline, computed: await computeWithProgress(io, conn, plans, flags, now) });
    } finally {
      await conn.close();
    }
  } finally {
    deadline.close();
  }
}

/** The progress line's detail: the request rate, and what the run waits on when something waits. */
export function progressDetail(conn: Connection): () => string {
  return () => {
    const waiting = conn.waitingOn();
    return `${Math.round(conn.api.stats().currentRps)} req/s${waiting ? ` · waiting on ${waiting}` : ""}`;
  };
}

/** What an HTML page says of its making. */
export function reportMeta(loaded: LoadResult, flags: Pick<ConnectionFlags, "warnDays">): ReportMeta {
  return { generatedAt: new Date().toISOString(), plansHash: loaded.hash, version: PCPLAN_VERSION, warnDays: flags.warnDays };
}

export async function computeWithProgress(
  io: Io,
  conn: Connection,
  plans: readonly MigrationPlan[],
  flags: ConnectionFlags,
  now: string,
): Promise<ComputedPlan> {
  const bar = io.progress("Reading customers", progressDetail(conn));
  try {
    return await computePlan(conn.api, plans, {
      now,
      licenses: conn.licenses,
      access: conn.access,
      journal: purchaseJournal(io, conn),
      schedules: scheduleJournal(),
      warnDays: flags.warnDays,
      concurrency: flags.concurrency,
      country: flags.country,
      onProgress: (e) => bar.update(e.customersDone, e.customersTotal),
    });
  } finally {
    bar.end();
  }
}

/** `--verbose`: what the request budget did, on stderr. */
export function reportTraffic(io: Io, conn: Connection, flags: Pick<ConnectionFlags, "verbose">): void {
  if (!flags.verbose) return;
  io.err(trafficLine(conn.api.stats()) + "\n");
  const g = conn.graphStats?.();
  if (g)
    io.err(
      `Licences through Microsoft Graph: ${g.requests} requests (${g.retries} retries, ${g.throttled} throttled, ${g.memberRetries} $batch members sent again)\n`,
    );
  else io.err("Licences through Partner Center\n");
}

/** "Requests: 2441 (3 retries, 2 throttled with 429, 0 network errors); rate reached 398 req/s; waited 1.2 s for the budget, 0.4 s for 429s". */
export function trafficLine(s: ClientStats): string {
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return (
    `Requests: ${s.requests} (${s.retries} retries, ${s.throttled} throttled with 429, ${s.networkErrors} network errors); ` +
    `rate reached ${Math.round(s.peakRps)} req/s; waited ${sec(s.waitMs)} for the budget, ${sec(s.throttleWaitMs)} for 429s`
  );
}

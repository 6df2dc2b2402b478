import { Option, type Command } from "commander";
import { join } from "node:path";
import { fileAuditLog } from "../../apply/audit.js";
import { executePlan, type CustomerResult } from "../../apply/execute.js";
import { ExitError } from "../../errors.js";
import { summarize, totalChanges } from "../../reconcile/summary.js";
import type { CustomerPlan } from "../../reconcile/types.js";
import { renderText } from "../../render/text.js";
import { canonicalJson, readSavedPlan } from "../../saved-plan/saved-plan.js";
import { findStale } from "../../saved-plan/stale.js";
import { addConnectionOptions, intOption, type ConnectionFlags } from "../options.js";
import { computeWithProgress, connectFrom, filterPlans, loadValidPlans } from "../pipeline.js";
import { confirm, interactive, progress, useColor } from "../terminal.js";
import type { Connection } from "../connection.js";

interface ApplyFlags extends ConnectionFlags {
  autoApprove?: boolean;
  partial?: boolean;
  maxChanges?: number;
  auditLog: string;
  userConcurrency: number;
}

export function registerApplyCommand(program: Command): void {
  addConnectionOptions(
    program
      .command("apply")
      .summary("apply exactly the changes the plans need (or a saved plan)")
      .description(
        "Applies plans to Partner Center: per customer purchase/resize → reassign → suspend. With plan files it previews and asks for confirmation (or --auto-approve). With a saved plan (from `plan --out`) it re-reads each customer and refuses those whose state changed since.",
      )
      .argument("[paths...]", "plan files or folders, or one saved plan (.json)", ["plans"])
      .option("--auto-approve", "apply without asking (required when not on a terminal)")
      .option("--partial", "with a saved plan: apply the customers whose state is unchanged even if others are stale")
      .addOption(new Option("--max-changes <n>", "refuse to apply more than this many changes").argParser(intOption(0)))
      .option("--audit-log <file>", "append every write to this JSONL file", join(".pcplan", "audit.jsonl"))
      .addOption(new Option("--user-concurrency <n>", "license updates in flight per customer").argParser(intOption(1)).default(4)),
  ).action(async (paths: string[], flags: ApplyFlags) => {
    const savedPlanPath = paths.length === 1 && paths[0]?.endsWith(".json") ? paths[0] : undefined;
    if (savedPlanPath) await applySaved(savedPlanPath, flags);
    else await applyPlans(paths, flags);
  });
}

async function applyPlans(paths: string[], flags: ApplyFlags): Promise<void> {
  const loaded = await loadValidPlans(paths);
  const plans = filterPlans(loaded.plans, flags);
  const conn = await connectFrom(flags);
  try {
    const { customers, fingerprints } = await computeWithProgress(conn, plans, flags);
    process.stdout.write(renderText(customers, { color: useColor() }));
    const summary = summarize(customers);
    if (totalChanges(summary) === 0) {
      if (summary.errors > 0) process.exitCode = 1;
      return;
    }
    checkMaxChanges(totalChanges(summary), flags);
    if (!flags.autoApprove) {
      if (!interactive()) throw new ExitError(1, "apply needs --auto-approve when not run on a terminal; nothing was applied");
      if (!(await confirm(`Apply ${totalChanges(summary)} changes to Partner Center (${conn.endpoint})?`))) {
        throw new ExitError(1, "Apply cancelled; nothing was applied");
      }
    }
    await execute(conn, customers, fingerprints, flags);
  } finally {
    await conn.close();
  }
}

async function applySaved(file: string, flags: ApplyFlags): Promise<void> {
  const saved = await readSavedPlan(file);
  const conn = await connectFrom(flags);
  try {
    const { fingerprints, customers: fresh } = await computeWithProgress(conn, saved.plans, flags);
    const stale = findStale(saved, fingerprints);
    const staleIds = new Set(stale.map((s) => s.customerId));
    for (const s of stale) process.stderr.write(`stale: ${s.name} (${s.customerId}): ${s.reason}\n`);
    if (stale.length > 0 && !flags.partial) {
      throw new ExitError(3, `${stale.length} customer${stale.length === 1 ? "" : "s"} changed since the plan was saved; nothing was applied. Run plan again, or apply the others with --partial`);
    }
    const customers = saved.customers.map((c) => c.plan).filter((c) => !staleIds.has(c.customerId));
    // Same live state, same plans → same actions. Anything else means the file's actions were
    // altered (its digest is not a signature) or the offer catalog moved: refuse before writing.
    const altered = mismatchedActions(customers, fresh);
    if (altered.length > 0) {
      throw new ExitError(
        1,
        `${file}: the saved actions for ${altered.map((c) => `${c.name} (${c.customerId})`).join(", ")} are not what its plans give for the same live state (the file was altered, or the offer catalog changed); nothing was applied. Run plan again`,
      );
    }
    const changes = totalChanges(summarize(customers));
    checkMaxChanges(changes, flags);
    process.stdout.write(renderText(customers, { color: useColor() }));
    if (changes > 0) await execute(conn, customers, fingerprints, flags);
    if (stale.length > 0) process.exitCode = 3;
  } finally {
    await conn.close();
  }
}

function mismatchedActions(saved: readonly CustomerPlan[], fresh: readonly CustomerPlan[]): CustomerPlan[] {
  const now = new Map(fresh.map((c) => [c.customerId, canonicalJson(c.actions)]));
  return saved.filter((c) => now.get(c.customerId) !== canonicalJson(c.actions));
}

function checkMaxChanges(changes: number, flags: ApplyFlags): void {
  if (flags.maxChanges !== undefined && changes > flags.maxChanges) {
    throw new ExitError(1, `the plan has ${changes} changes, more than --max-changes ${flags.maxChanges}; nothing was applied`);
  }
}

async function execute(conn: Connection, customers: CustomerPlan[], fingerprints: ReadonlyMap<string, string>, flags: ApplyFlags): Promise<void> {
  const total = totalChanges(summarize(customers));
  const bar = progress("Applying changes");
  let done = 0;
  let results: CustomerResult[];
  try {
    results = await executePlan(
      conn.api,
      customers.filter((c) => c.actions.length > 0),
      {
        concurrency: flags.concurrency,
        userConcurrency: flags.userConcurrency,
        audit: fileAuditLog(flags.auditLog),
        fingerprints,
        onEvent: (e) => {
          if (e.type === "action-done" || e.type === "action-failed") bar.update(++done, total);
        },
      },
    );
  } finally {
    bar.end();
  }
  const applied = results.reduce((n, r) => n + r.applied.length, 0);
  const failed = results.filter((r) => r.status === "failed");
  for (const r of failed) {
    process.stderr.write(`failed: ${r.name} (${r.customerId})\n`);
    for (const f of r.failed) process.stderr.write(`  ${f.action.kind}: ${f.error}\n`);
    if (r.skipped.length > 0) process.stderr.write(`  skipped ${r.skipped.length} later step(s): ${[...new Set(r.skipped.map((a) => a.kind))].join(", ")}\n`);
  }
  process.stdout.write(
    failed.length === 0
      ? `Apply complete: ${applied} change${applied === 1 ? "" : "s"} applied.\n`
      : `Apply partly failed: ${applied} change${applied === 1 ? "" : "s"} applied, ${failed.length} customer${failed.length === 1 ? "" : "s"} failed. Run plan to see what is still missing.\n`,
  );
  if (failed.length > 0) process.exitCode = 3;
}

import { Option, type Command } from "commander";
import { isAbsolute, join, relative, resolve } from "node:path";
import { fileAuditLog } from "../../apply/audit.js";
import { executePlan, type CustomerResult } from "../../apply/execute.js";
import type { ComputedPlan } from "../../engine/compute-plan.js";
import { selectCustomers } from "../../engine/compute-plan.js";
import { PcplanError } from "../../errors.js";
import type { MigrationPlan } from "../../plan-file/types.js";
import { summarize, totalChanges } from "../../reconcile/summary.js";
import type { CustomerPlan } from "../../reconcile/types.js";
import { canonicalJson, readSavedPlan, type SavedPlan } from "../../saved-plan/saved-plan.js";
import { changedPlanFiles } from "../../saved-plan/refusal.js";
import { findStale } from "../../saved-plan/stale.js";
import { acquireLock } from "../../util/lock-file.js";
import { testTimeScale, waitClock, type WaitClock } from "../../util/wait-clock.js";
import { TIMEOUT_BASE_S, TIMEOUT_PER_CHANGE_S, TIMEOUT_PER_CUSTOMER_S, type RunDeadline } from "../../http/deadline.js";
import { STATE_DIR, purchaseJournal, purchaseJournalPath, scheduleJournal, type Connection } from "../connection.js";
import { amountOption, checkMonthlyIncrease, priceContext, type PriceFlags } from "../prices.js";
import { checkStateFile } from "../../util/state-files.js";
import { examples, handler, type CliContext } from "../context.js";
import type { Io } from "../io.js";
import { addConnectionOptions, addTimeoutOption, intOption, type ConnectionFlags } from "../options.js";
import type { ExitCode } from "../outcome.js";
import { computeWithProgress, connectFrom, customerFilter, deadlineFor, loadValidPlans, progressDetail, reportTraffic, withPlanned } from "../pipeline.js";
import { applyOutcome, type ApplyInputs } from "../apply-outcome.js";
import { APPLY_FORMATS, applyView, type ApplyFormat, type ApplyView } from "../views/apply.js";

interface ApplyFlags extends ConnectionFlags, PriceFlags {
  format: ApplyFormat;
  autoApprove?: boolean;
  partial?: boolean;
  maxChanges?: number;
  auditLog: string;
  userConcurrency: number;
  provisioningTimeout: number;
}

export function registerApplyCommand(program: Command, ctx: CliContext): void {
  addTimeoutOption(
    addConnectionOptions(
      program
        .command("apply")
        .summary("apply exactly the changes the plans need (or a saved plan)")
        .description(
          "Applies plans to Partner Center: per customer purchase/resize → reassign → retire. With plan files it previews and asks for confirmation (or --auto-approve). With a saved plan (from `plan --out`) it does not ask, as `terraform apply` with a plan file does not: reviewing the saved plan was the approval; it re-loads the plan files, re-reads each customer and refuses those whose state changed since. One apply at a time per folder (a lock in .pcplan/); in CI the workflow's concurrency group serialises applies.",
        )
        .argument("[paths...]", "plan files or folders, or one saved plan (.json)", ["plans"])
        .option("--auto-approve", "apply plan files without asking (required when not on a terminal, and with --format json); a saved plan never asks")
        .addOption(
          new Option("--format <format>", "how the result is shown: text, or one JSON document on stdout (docs/json-format.md)")
            .choices(APPLY_FORMATS)
            .default("text"),
        )
        .option("--partial", "with a saved plan: apply the customers whose state is unchanged even if others are stale")
        .addOption(new Option("--max-changes <n>", "refuse to apply more than this many changes").argParser(intOption(0)))
        .option("--prices <file>", "the new-commerce price list as Partner Center exports it (docs/costs.md)")
        .addOption(
          new Option("--max-monthly-increase <amount>", "refuse to apply when the plan adds more than this to the monthly bill (needs --prices)").argParser(
            amountOption,
          ),
        )
        .option("--audit-log <file>", "append every write to this JSONL file", join(STATE_DIR, "audit.jsonl"))
        .addOption(new Option("--user-concurrency <n>", "license updates in flight per customer").argParser(intOption(1)).default(4))
        .addOption(
          new Option(
            "--provisioning-timeout <seconds>",
            "how long to wait for a new-commerce order (or transition) to provision before leaving the customer for the next run",
          )
            .argParser(intOption(0))
            .default(900),
        ),
    ),
    "; apply adds 10 a change and --provisioning-timeout",
  )
    .addHelpText(
      "after",
      examples(
        "pcplan apply --sandbox --auto-approve          # the demo world",
        "pcplan apply plans/ --max-changes 500",
        "pcplan apply plan.json                         # exactly what a reviewed `plan --out plan.json` showed; no prompt",
        "pcplan apply plan.json --customer 6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a",
        "pcplan apply plan.json --format json > result.json",
      ),
    )
    .action(handler(ctx, (paths: string[], flags: ApplyFlags) => runApply(ctx.io, paths, flags)));
}

async function runApply(io: Io, paths: string[], flags: ApplyFlags): Promise<ExitCode> {
  // A state file that is not a plain file (a FIFO) is refused before anything is read or locked.
  for (const file of [flags.auditLog, purchaseJournalPath()]) await checkStateFile(file);
  // Two applies of one folder at once could each buy what the other is buying.
  const lock = await acquireLock(join(STATE_DIR, "apply.lock"), "another pcplan apply");
  try {
    const savedPlanPath = paths.length === 1 && paths[0]?.endsWith(".json") ? paths[0] : undefined;
    const view = applyView(flags.format, io);
    return savedPlanPath ? await applySaved(io, view, savedPlanPath, flags) : await applyPlans(io, view, paths, flags);
  } finally {
    await lock.release();
  }
}

async function applyPlans(io: Io, view: ApplyView, paths: string[], flags: ApplyFlags): Promise<ExitCode> {
  // A prompt shows the preview it asks about; JSON keeps stdout for the result alone.
  if (!flags.autoApprove && !view.showsPreview) {
    throw new PcplanError("NEEDS_APPROVAL", "apply --format json needs --auto-approve (or a saved plan): there is no preview to approve; nothing was applied");
  }
  return withPlanned(io, paths, flags, async ({ now, conn, computed, plans, deadline }) => {
    view.preview(computed.customers, now);
    const changes = totalChanges(summarize(computed.customers));
    if (changes === 0) return finish(io, view, conn, flags, { customers: computed.customers, results: [] });
    extendForWrites(deadline, flags, computed.customers.length, changes);
    checkMaxChanges(changes, flags);
    await checkMonthlyIncrease(flags, computed.customers, computed.live, now, priceContext(conn, plans, flags.country));
    if (!flags.autoApprove) {
      if (!io.interactive) throw new PcplanError("NEEDS_APPROVAL", "apply needs --auto-approve when not run on a terminal; nothing was applied");
      if (!(await io.confirm(`Apply ${changes} changes to Partner Center (${conn.endpoint})?`)))
        throw new PcplanError("CANCELLED", "Apply cancelled; nothing was applied");
    }
    return finish(io, view, conn, flags, { customers: computed.customers, results: await execute(io, conn, computed, flags, deadline) }, deadline);
  });
}

/**
 * The default `--timeout` grows by what the writes may take once they are known: 10 s a change,
 * and the provisioning wait. A `--timeout` given stays as given.
 */
function extendForWrites(deadline: RunDeadline, flags: ApplyFlags, customers: number, changes: number): void {
  if (flags.timeout !== undefined) return;
  const why =
    `the default for ${customers} customer${customers === 1 ? "" : "s"} and ${changes} change${changes === 1 ? "" : "s"}: ` +
    `${TIMEOUT_BASE_S} s + ${TIMEOUT_PER_CUSTOMER_S} s a customer + ${TIMEOUT_PER_CHANGE_S} s a change + --provisioning-timeout ${flags.provisioningTimeout} s`;
  deadline.extend((TIMEOUT_PER_CHANGE_S * changes + flags.provisioningTimeout) * 1000, why);
}

async function applySaved(io: Io, view: ApplyView, file: string, flags: ApplyFlags): Promise<ExitCode> {
  const saved = await readSavedPlan(file);
  const keep = customerFilter(flags);
  const strangers = (flags.customer ?? []).filter((id) => !saved.customers.some((c) => c.plan.customerId === id));
  if (strangers.length > 0)
    throw new PcplanError("CUSTOMER_NOT_PLANNED", `--customer ${strangers.join(", ")}: not in the saved plan ${file}; nothing was applied`);
  const chosen = saved.customers.filter((c) => keep(c.plan.customerId));
  const plans = await plansOf(io, saved, file, new Set(chosen.map((c) => c.plan.customerId)));
  const now = flags.now ?? new Date().toISOString();
  const deadline = deadlineFor(flags, chosen.length);
  const conn = await connectFrom(io, flags, deadline).catch((err: unknown) => {
    deadline.close();
    throw err;
  });
  try {
    if (conn.endpoint !== saved.endpoint) {
      throw new PcplanError(
        "SAVED_PLAN",
        `${file} was made against ${saved.endpoint}, not ${conn.endpoint}; nothing was applied. Run plan against this endpoint`,
      );
    }
    const computed = await computeWithProgress(io, conn, plans, flags, now);
    const stale = findStale({ ...saved, customers: chosen }, computed.fingerprints);
    const staleIds = new Set(stale.map((s) => s.customerId));
    view.stale(stale);
    const fresh = computed.customers.filter((c) => !staleIds.has(c.customerId));
    if (stale.length > 0 && !flags.partial) return finish(io, view, conn, flags, { customers: fresh, results: [], stale, heldByStale: true });
    checkUnaltered(
      file,
      chosen.map((c) => c.plan).filter((c) => !staleIds.has(c.customerId)),
      fresh,
    );
    view.preview(fresh, now);
    const changes = totalChanges(summarize(fresh));
    checkMaxChanges(changes, flags);
    await checkMonthlyIncrease(flags, fresh, computed.live, now, priceContext(conn, plans, flags.country));
    if (changes > 0) extendForWrites(deadline, flags, fresh.length, changes);
    const results = changes > 0 ? await execute(io, conn, { ...computed, customers: fresh }, flags, deadline) : [];
    return finish(io, view, conn, flags, { customers: fresh, results, stale }, deadline);
  } finally {
    deadline.close();
    await conn.close();
  }
}

/**
 * The saved actions must be what the plan files give for the same live state; anything else
 * means the file was altered (its digest is not a signature) or the catalog moved.
 */
function checkUnaltered(file: string, saved: readonly CustomerPlan[], fresh: readonly CustomerPlan[]): void {
  const altered = mismatchedActions(saved, fresh);
  if (altered.length > 0) {
    throw new PcplanError(
      "SAVED_PLAN",
      `${file}: the saved actions for ${altered.map((c) => `${c.name} (${c.customerId})`).join(", ")} are not what the plan files give for the same live state (the file was altered, or what Partner Center offers changed since: the catalog, a co-term end date); nothing was applied. Run plan again`,
    );
  }
}

/**
 * The plans a saved plan was made from, re-loaded from disk: a saved plan carries no plans of its
 * own to trust. Their hash must be the one recorded, and they are narrowed to the chosen customers.
 */
async function plansOf(io: Io, saved: SavedPlan, file: string, chosen: ReadonlySet<string>): Promise<MigrationPlan[]> {
  const paths = saved.files.map((f) => f.path);
  // Which files decide is the saved plan's word, so it may only name plan files in this checkout.
  const foreign = paths.find((p) => !insideWorkingFolder(p) || !/\.ya?ml$/i.test(p));
  if (foreign !== undefined) {
    throw new PcplanError(
      "SAVED_PLAN",
      `${file}: names ${JSON.stringify(foreign)} as a plan file, which is not a .yaml/.yml file inside the working folder; nothing was applied. Run plan again from the checkout`,
    );
  }
  const loaded = await loadValidPlans(io, paths);
  if (loaded.hash !== saved.plansHash) {
    throw new PcplanError(
      "SAVED_PLAN",
      `${file}: the plan files changed since the plan was saved (${changedPlanFiles(saved.files, loaded.files).join(", ")}); nothing was applied. Run plan again`,
    );
  }
  const plans = selectCustomers(loaded.plans, (id) => chosen.has(id));
  const planned = new Set(plans.flatMap((p) => p.customers.map((c) => c.id)));
  const stray = [...chosen].find((id) => !planned.has(id));
  if (stray) throw new PcplanError("SAVED_PLAN", `${file}: customer ${stray} has saved actions but is in none of the plan files; nothing was applied`);
  return plans;
}

function insideWorkingFolder(path: string): boolean {
  const rel = relative(process.cwd(), resolve(path));
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

function mismatchedActions(saved: readonly CustomerPlan[], fresh: readonly CustomerPlan[]): CustomerPlan[] {
  const now = new Map(fresh.map((c) => [c.customerId, canonicalJson(c.actions)]));
  return saved.filter((c) => now.get(c.customerId) !== canonicalJson(c.actions));
}

function checkMaxChanges(changes: number, flags: ApplyFlags): void {
  if (flags.maxChanges !== undefined && changes > flags.maxChanges) {
    throw new PcplanError("MAX_CHANGES", `the plan has ${changes} changes, more than --max-changes ${flags.maxChanges}; nothing was applied`);
  }
}

async function execute(io: Io, conn: Connection, computed: ComputedPlan, flags: ApplyFlags, deadline: RunDeadline): Promise<CustomerResult[]> {
  const total = totalChanges(summarize(computed.customers));
  // `--now` pins the reference time the plan was made for (cancellation windows are judged
  // at it, as the plan judged them); it runs on from there, so waits are measured as usual.
  const offsetMs = flags.now !== undefined ? Date.parse(flags.now) - Date.now() : 0;
  const polls = pollsWithin(waitClock(testTimeScale(process.env)), deadline);
  const bar = io.progress("Applying changes", () => {
    const detail = progressDetail(conn)();
    return polls.waitingOn() ? `${detail} · waiting on ${polls.waitingOn()}` : detail;
  });
  const audit = fileAuditLog(flags.auditLog);
  let done = 0;
  try {
    return await executePlan(
      conn.api,
      computed.customers.filter((c) => c.actions.length > 0),
      {
        concurrency: flags.concurrency,
        userConcurrency: flags.userConcurrency,
        audit,
        licenses: conn.licenses,
        access: conn.access,
        bases: computed.bases,
        subscriptions: new Map([...computed.live.customers].map(([id, c]) => [id, c.subscriptions])),
        commerce: {
          journal: purchaseJournal(io, conn),
          schedules: scheduleJournal(),
          provisioningTimeoutMs: flags.provisioningTimeout * 1000,
          wait: polls.clock,
          now: () => Date.now() + offsetMs,
        },
        onEvent: (e) => {
          if (e.type !== "customer-done") bar.update(++done, total);
        },
        deadline,
      },
    );
  } finally {
    bar.end();
    const s = conn.api.stats();
    await audit.run({
      correlationId: conn.api.correlationId,
      requests: s.requests,
      throttled: s.throttled,
      peakRps: s.peakRps,
      waitMs: s.waitMs,
      throttleWaitMs: s.throttleWaitMs,
    });
  }
}

/**
 * The outcome per customer and the verdict, shown by the view; success only when every planned
 * customer is done or unchanged. When the run's time ran out, the outcome is shown (what was done)
 * and the run then fails with what it was waiting on.
 */
function finish(io: Io, view: ApplyView, conn: Connection, flags: ApplyFlags, inputs: ApplyInputs, deadline?: RunDeadline): ExitCode {
  const outcome = applyOutcome(inputs);
  view.outcome(outcome);
  reportTraffic(io, conn, flags);
  if (deadline?.expired()) throw deadline.first() ?? deadline.error("the end of the apply");
  return outcome.exitCode;
}

/**
 * The provisioning polls' clock, its waits ended by the run's time limit, and what they wait on
 * now ("order 7a1c… provisioning") for the progress line.
 */
function pollsWithin(clock: WaitClock, deadline: RunDeadline): { clock: WaitClock; waitingOn(): string | undefined } {
  const waiting = new Set<string>();
  return {
    waitingOn: () => [...waiting].join(", ") || undefined,
    clock: {
      now: () => clock.now(),
      async sleep(ms, what = "a provisioning poll") {
        waiting.add(what);
        try {
          await deadline.race(clock.sleep(ms), what);
        } finally {
          waiting.delete(what);
        }
      },
    },
  };
}

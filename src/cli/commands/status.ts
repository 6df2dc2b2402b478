import { Option, type Command } from "commander";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ExitError } from "../../errors.js";
import { renderStatusHtml } from "../../render/html/index.js";
import { computeStatus, lastChangesFromAudit, renderStatusJson, renderStatusText, suspensionsFromAudit } from "../../status/index.js";
import { writeFileAtomic } from "../../util/write-file-atomic.js";
import { PCPLAN_VERSION } from "../../version.js";
import { addConnectionOptions, type ConnectionFlags } from "../options.js";
import { computeWithProgress, connectFrom, filterPlans, loadValidPlans } from "../pipeline.js";

interface StatusFlags extends ConnectionFlags {
  format: "text" | "json" | "html";
  auditLog: string;
  out?: string;
}

export function registerStatusCommand(program: Command): void {
  addConnectionOptions(
    program
      .command("status")
      .summary("how far each plan's migration is, per customer")
      .description(
        "Reads live state for the planned customers and reports per plan and customer: users on the target and still to move, excluded users, the source subscription's state (active with its end date, suspended with its deprovisioning date = suspension + 120 days when pcplan's audit log knows the suspension, deprovisioned) and the actions still pending. Writes nothing to Partner Center.",
      )
      .argument("[paths...]", "plan files or folders", ["plans"])
      .addOption(new Option("--format <format>", "output format").choices(["text", "json", "html"]).default("text"))
      .option("--out <file>", "write the report to this file instead of stdout (required with --format html)")
      .option("--audit-log <file>", "pcplan's audit log, read for suspension dates", join(".pcplan", "audit.jsonl")),
  ).action(async (paths: string[], flags: StatusFlags) => {
    if (flags.format === "html" && !flags.out) throw new ExitError(1, "--format html writes a file: give it with --out FILE");
    const loaded = await loadValidPlans(paths);
    const plans = filterPlans(loaded.plans, flags);
    const now = flags.now ?? new Date().toISOString();
    const audit = await readOptional(flags.auditLog);
    const suspensions = suspensionsFromAudit(audit);
    const conn = await connectFrom(flags);
    try {
      const { customers, live } = await computeWithProgress(conn, plans, { ...flags, now });
      const report = computeStatus(plans, customers, live, { now, suspensions, lastChanges: lastChangesFromAudit(audit) });
      const meta = { generatedAt: new Date().toISOString(), plansHash: loaded.hash, version: PCPLAN_VERSION, warnDays: flags.warnDays };
      const out = flags.format === "json" ? renderStatusJson(report) : flags.format === "html" ? renderStatusHtml(report, meta) : renderStatusText(report);
      if (flags.out) {
        await writeFileAtomic(flags.out, out);
        process.stderr.write(`Wrote the status report to ${flags.out}\n`);
      } else process.stdout.write(out);
    } finally {
      await conn.close();
    }
  });
}

async function readOptional(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw err;
  }
}

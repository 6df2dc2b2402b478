import { Option, type Command } from "commander";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { computeStatus, renderStatusJson, renderStatusText, suspensionsFromAudit } from "../../status/index.js";
import { addConnectionOptions, type ConnectionFlags } from "../options.js";
import { computeWithProgress, connectFrom, filterPlans, loadValidPlans } from "../pipeline.js";

interface StatusFlags extends ConnectionFlags {
  format: "text" | "json";
  auditLog: string;
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
      .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
      .option("--audit-log <file>", "pcplan's audit log, read for suspension dates", join(".pcplan", "audit.jsonl")),
  ).action(async (paths: string[], flags: StatusFlags) => {
    const loaded = await loadValidPlans(paths);
    const plans = filterPlans(loaded.plans, flags);
    const now = flags.now ?? new Date().toISOString();
    const suspensions = suspensionsFromAudit(await readOptional(flags.auditLog));
    const conn = await connectFrom(flags);
    try {
      const { customers, live } = await computeWithProgress(conn, plans, { ...flags, now });
      const report = computeStatus(plans, customers, live, { now, suspensions });
      process.stdout.write(flags.format === "json" ? renderStatusJson(report) : renderStatusText(report));
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

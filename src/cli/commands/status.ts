import { Option, type Command } from "commander";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { computeStatus, renderStatusJson, renderStatusText, suspensionsFromAudit } from "../../status/index.js";
import { STATE_DIR } from "../connection.js";
import { examples, handler, type CliContext } from "../context.js";
import { addConnectionOptions, type ConnectionFlags } from "../options.js";
import { ExitCode } from "../outcome.js";
import { computeWithProgress, connectFrom, filterPlans, loadValidPlans, reportTraffic } from "../pipeline.js";

interface StatusFlags extends ConnectionFlags {
  format: "text" | "json";
  auditLog: string;
}

export function registerStatusCommand(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  addConnectionOptions(
    program
      .command("status")
      .summary("how far each plan's migration is, per customer")
      .description(
        "Reads live state for the planned customers and reports per plan and customer: users on the target and still to move, excluded users, the source subscription's state (active with its end date, suspended with its deprovisioning date = suspension + 120 days when pcplan's audit log knows the suspension, deprovisioned) and the actions still pending. Writes nothing to Partner Center. Exits 1 when a planned customer cannot be found or read.",
      )
      .argument("[paths...]", "plan files or folders", ["plans"])
      .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
      .option("--audit-log <file>", "pcplan's audit log, read for suspension dates", join(STATE_DIR, "audit.jsonl")),
  )
    .addHelpText("after", examples("pcplan status --sandbox", "pcplan status plans/ --format json > status.json"))
    .action(
      handler(ctx, async (paths: string[], flags: StatusFlags) => {
        const loaded = await loadValidPlans(io, paths);
        const plans = filterPlans(loaded.plans, flags);
        const now = flags.now ?? new Date().toISOString();
        const suspensions = suspensionsFromAudit(await readOptional(flags.auditLog));
        const conn = await connectFrom(io, flags);
        try {
          const { customers, live } = await computeWithProgress(io, conn, plans, flags, now);
          const report = computeStatus(plans, customers, live, { now, suspensions });
          io.out(flags.format === "json" ? renderStatusJson(report) : renderStatusText(report));
          reportTraffic(io, conn, flags);
          return customers.some((c) => c.notes.some((n) => n.level === "error")) ? ExitCode.Error : ExitCode.Ok;
        } finally {
          await conn.close();
        }
      }),
    );
}

async function readOptional(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw err;
  }
}

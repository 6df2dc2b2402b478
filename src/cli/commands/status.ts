import { Option, type Command } from "commander";
import { join } from "node:path";
import { computeStatus, summarizeAudit } from "../../status/index.js";
import { stateFileLines } from "../../util/state-files.js";
import { STATE_DIR } from "../connection.js";
import { examples, handler, type CliContext } from "../context.js";
import { addConnectionOptions, addTimeoutOption, type ConnectionFlags } from "../options.js";
import { ExitCode } from "../outcome.js";
import { reportMeta, reportTraffic, withPlanned } from "../pipeline.js";
import { checkOut } from "../views/output.js";
import { STATUS_FORMATS, statusView, type StatusFormat } from "../views/status.js";

interface StatusFlags extends ConnectionFlags {
  format: StatusFormat;
  auditLog: string;
  out?: string;
}

export function registerStatusCommand(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  addTimeoutOption(
    addConnectionOptions(
      program
        .command("status")
        .summary("how far each plan's migration is, per customer")
        .description(
          "Reads live state for the planned customers and reports per plan and customer: users on the target and still to move, excluded users, each source subscription with its retirement method and dates (a suspension's deprovisioning date = suspension + 120 days when pcplan's audit log knows the suspension) and the actions still pending. `--format html --out FILE` writes a self-contained report page (docs/html-report.md). Writes nothing to Partner Center. Exits 1 when a planned customer cannot be found or read.",
        )
        .argument("[paths...]", "plan files or folders", ["plans"])
        .addOption(new Option("--format <format>", "output format").choices(STATUS_FORMATS).default("text"))
        .option("--out <file>", "write the report to this file instead of stdout (required with --format html)")
        .option("--audit-log <file>", "pcplan's audit log, read for suspension dates and last changes", join(STATE_DIR, "audit.jsonl")),
    ),
  )
    .addHelpText(
      "after",
      examples("pcplan status --sandbox", "pcplan status --sandbox --format html --out status.html", "pcplan status plans/ --format json > status.json"),
    )
    .action(
      handler(ctx, async (paths: string[], flags: StatusFlags) => {
        const view = statusView(flags.format, io);
        await checkOut(view, flags.out);
        return withPlanned(io, paths, flags, async ({ loaded, plans, now, conn, computed: { customers, live } }) => {
          // Read as a stream: an audit log grows with every apply, and is never held whole.
          const audit = await summarizeAudit(stateFileLines(flags.auditLog));
          const report = computeStatus(plans, customers, live, { now, ...audit });
          await view.show(report, reportMeta(loaded, flags), flags.out);
          reportTraffic(io, conn, flags);
          return customers.some((c) => c.notes.some((n) => n.level === "error")) ? ExitCode.Error : ExitCode.Ok;
        });
      }),
    );
}

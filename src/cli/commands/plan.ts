import { Option, type Command } from "commander";
import { PcplanError } from "../../errors.js";
import { summarize, totalChanges } from "../../reconcile/summary.js";
import { renderPlanHtml } from "../../render/html/index.js";
import { MARKDOWN_LIMIT } from "../../render/markdown.js";
import { PREVIEW_FORMATS, renderPreview, type PreviewFormat } from "../../render/preview.js";
import { createSavedPlan, serializeSavedPlan } from "../../saved-plan/saved-plan.js";
import { computeStatus } from "../../status/index.js";
import { checkOutputPath, writeOutputFile } from "../../util/write-output-file.js";
import { PCPLAN_VERSION } from "../../version.js";
import { examples, handler, type CliContext } from "../context.js";
import { addConnectionOptions, intOption, type ConnectionFlags } from "../options.js";
import { ExitCode } from "../outcome.js";
import { computeWithProgress, connectFrom, filterPlans, loadValidPlans, reportTraffic } from "../pipeline.js";

interface PlanFlags extends ConnectionFlags {
  out?: string;
  format: PreviewFormat | "html";
  diff?: boolean;
  detailedExitcode?: boolean;
  markdownLimit?: number;
}

export function registerPlanCommand(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  addConnectionOptions(
    program
      .command("plan")
      .summary("preview the changes the plans need against live Partner Center state")
      .description(
        "Reads live state for the customers named in the plans, diffs it against the plans and prints only the purchases, resizes, license reassignments and retirements that are needed, most urgent customer first. Writes nothing to Partner Center.",
      )
      .argument("[paths...]", "plan files or folders", ["plans"])
      .option("--out <file>", "save the plan (actions + live-state fingerprints) for `pcplan apply FILE`; with --format html, the HTML preview page")
      .addOption(new Option("--format <format>", "output format").choices([...PREVIEW_FORMATS, "html"]).default("text"))
      .addOption(
        new Option("--markdown-limit <n>", "markdown: characters the preview may take (GitHub's 65,536 less room for a PR comment's wrapper)")
          .argParser(intOption(1000))
          .default(MARKDOWN_LIMIT),
      )
      .option("--diff", "also show each changed customer's licence state before → after")
      .option("--detailed-exitcode", "exit 2 when changes are present (0 none, 1 error)"),
  )
    .addHelpText(
      "after",
      examples(
        "pcplan plan --sandbox                          # the demo world, no account needed",
        "pcplan plan plans/ --out plan.json             # save it for `pcplan apply plan.json`",
        "pcplan plan --format markdown --detailed-exitcode > plan.md",
        "pcplan plan --sandbox --format html --out plan.html",
        "pcplan plan --customer 6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a --diff",
      ),
    )
    .action(
      handler(ctx, async (paths: string[], flags: PlanFlags) => {
        if (flags.format === "html" && !flags.out) throw new PcplanError("NEEDS_OUT", "--format html writes a file: give it with --out FILE");
        // A path that cannot take the output is refused before minutes of reading, not after.
        if (flags.out) await checkOutputPath(flags.out, { option: "--out" });
        const loaded = await loadValidPlans(io, paths);
        const plans = filterPlans(loaded.plans, flags);
        const now = flags.now ?? new Date().toISOString();
        const conn = await connectFrom(io, flags);
        try {
          const { customers, live, fingerprints } = await computeWithProgress(io, conn, plans, flags, now);
          if (flags.format === "html" && flags.out) {
            const meta = { generatedAt: new Date().toISOString(), plansHash: loaded.hash, version: PCPLAN_VERSION, warnDays: flags.warnDays };
            await writeOutputFile(flags.out, renderPlanHtml(computeStatus(plans, customers, live, { now }), customers, meta), { option: "--out" });
            io.err(`Wrote the plan preview to ${flags.out}\n`);
          } else {
            const format = flags.format === "html" ? "text" : flags.format;
            io.out(
              renderPreview(format, { customers, now, color: io.color, markdownLimit: flags.markdownLimit, ...(flags.diff ? { diffOf: live.customers } : {}) }),
            );
            if (flags.out) {
              const saved = createSavedPlan({
                createdAt: new Date().toISOString(),
                now,
                endpoint: conn.endpoint,
                plansHash: loaded.hash,
                files: loaded.files,
                customers: customers.map((c) => ({ plan: c, fingerprint: fingerprints.get(c.customerId) ?? null })),
              });
              await writeOutputFile(flags.out, serializeSavedPlan(saved), { option: "--out" });
              if (flags.format !== "json") io.err(`Saved plan to ${flags.out}. Apply it with: pcplan apply ${flags.out}\n`);
            }
          }
          reportTraffic(io, conn, flags);
          const summary = summarize(customers);
          if (summary.errors > 0) return ExitCode.Error;
          return flags.detailedExitcode && totalChanges(summary) > 0 ? ExitCode.ChangesPresent : ExitCode.Ok;
        } finally {
          await conn.close();
        }
      }),
    );
}

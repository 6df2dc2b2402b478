import { Option, type Command } from "commander";
import { summarize, workRemains } from "../../reconcile/summary.js";
import { MARKDOWN_LIMIT } from "../../render/markdown.js";
import type { ComputedPlan } from "../../engine/compute-plan.js";
import type { LoadResult } from "../../plan-file/types.js";
import { createSavedPlan, serializeSavedPlan, type SavedPlan } from "../../saved-plan/saved-plan.js";
import { writeOutputFile } from "../../util/write-output-file.js";
import { examples, handler, type CliContext } from "../context.js";
import type { Io } from "../io.js";
import { addConnectionOptions, intOption, type ConnectionFlags } from "../options.js";
import { ExitCode } from "../outcome.js";
import { costsOf, type PriceFlags } from "../prices.js";
import { reportMeta, reportTraffic, withPlanned } from "../pipeline.js";
import { checkOut } from "../views/output.js";
import { PLAN_FORMATS, planView, type PlanFormat } from "../views/plan.js";

interface PlanFlags extends ConnectionFlags, PriceFlags {
  out?: string;
  format: PlanFormat;
  diff?: boolean;
  detailedExitcode?: boolean;
  markdownLimit: number;
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
      .addOption(new Option("--format <format>", "output format").choices(PLAN_FORMATS).default("text"))
      .addOption(
        new Option("--markdown-limit <n>", "markdown: characters the preview may take (GitHub's 65,536 less room for a PR comment's wrapper)")
          .argParser(intOption(1000))
          .default(MARKDOWN_LIMIT),
      )
      .option("--diff", "also show each changed customer's licence state before → after")
      .option("--prices <file>", "show what the plan costs, from the new-commerce price list as Partner Center exports it (docs/costs.md)")
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
    .action(handler(ctx, (paths: string[], flags: PlanFlags) => runPlan(io, paths, flags)));
}

async function runPlan(io: Io, paths: string[], flags: PlanFlags): Promise<ExitCode> {
  const view = planView(flags.format, io);
  await checkOut(view, flags.out);
  return withPlanned(io, paths, flags, async ({ loaded, plans, now, conn, computed }) => {
    const costs = await costsOf(flags, computed.customers, computed.live, now);
    await view.show(
      { plans, computed, now, diff: flags.diff === true, markdownLimit: flags.markdownLimit, meta: reportMeta(loaded, flags), ...(costs ? { costs } : {}) },
      flags.out,
    );
    if (flags.out && !view.page) {
      await writeOutputFile(flags.out, serializeSavedPlan(savedPlanOf(computed, loaded, conn.endpoint, now)), { option: "--out" });
      view.saved(flags.out);
    }
    reportTraffic(io, conn, flags);
    const summary = summarize(computed.customers);
    if (summary.errors > 0) return ExitCode.Error;
    return flags.detailedExitcode && workRemains(summary) ? ExitCode.ChangesPresent : ExitCode.Ok;
  });
}

function savedPlanOf(computed: ComputedPlan, loaded: LoadResult, endpoint: string, now: string): SavedPlan {
  return createSavedPlan({
    createdAt: new Date().toISOString(),
    now,
    endpoint,
    plansHash: loaded.hash,
    files: loaded.files,
    customers: computed.customers.map((c) => ({ plan: c, fingerprint: computed.fingerprints.get(c.customerId) ?? null })),
  });
}

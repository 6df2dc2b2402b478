import { Option, type Command } from "commander";
import { MARKDOWN_LIMIT } from "../../render/formats.js";
import { examples, handler, type CliContext } from "../context.js";
import { addConnectionOptions, addTimeoutOption, intOption } from "../options.js";
import { PLAN_FORMATS } from "../views/formats.js";
import type { PlanFlags } from "./plan-run.js";

export function registerPlanCommand(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  addTimeoutOption(
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
        .option(
          "--prices <file>",
          "price the plan from this file, the new-commerce price list as Partner Center exports it (default: each market's price sheet from the Partner API, cached in .pcplan/prices/; docs/costs.md)",
        )
        .option("--detailed-exitcode", "exit 2 when changes are present (0 none, 1 error)"),
    ),
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
    // What the command does is loaded when it runs: `plan --help` loads none of it.
    .action(handler(ctx, async (paths: string[], flags: PlanFlags) => (await import("./plan-run.js")).runPlan(io, paths, flags)));
}

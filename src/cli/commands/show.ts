import { Option, type Command } from "commander";
import { PREVIEW_FORMATS, renderPreview, type PreviewFormat } from "../../render/preview.js";
import { readSavedPlan } from "../../saved-plan/saved-plan.js";
import { examples, handler, type CliContext } from "../context.js";
import { ExitCode } from "../outcome.js";

export function registerShowCommand(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  program
    .command("show")
    .summary("print a saved plan")
    .description("Prints a saved plan (from `plan --out`) after checking its integrity. Reads nothing from Partner Center.")
    .argument("<planfile>", "saved plan file")
    .addOption(new Option("--format <format>", "output format").choices(PREVIEW_FORMATS).default("text"))
    .addHelpText("after", examples("pcplan show plan.json", "pcplan show plan.json --format json | jq '.summary'"))
    .action(
      handler(ctx, async (file: string, flags: { format: PreviewFormat }) => {
        const saved = await readSavedPlan(file);
        if (flags.format === "text")
          io.err(`Saved plan ${file}: created ${saved.createdAt} against ${saved.endpoint}, plan files ${saved.plansHash.slice(0, 12)}…\n\n`);
        io.out(renderPreview(flags.format, { customers: saved.customers.map((c) => c.plan), now: saved.now, color: io.color }));
        return ExitCode.Ok;
      }),
    );
}

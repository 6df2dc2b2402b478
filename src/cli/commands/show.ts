import { Option, type Command } from "commander";
import { readSavedPlan } from "../../saved-plan/saved-plan.js";
import { examples, handler, type CliContext } from "../context.js";
import { ExitCode } from "../outcome.js";
import { SHOW_FORMATS, showView, type ShowFormat } from "../views/show.js";

export function registerShowCommand(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  program
    .command("show")
    .summary("print a saved plan")
    .description("Prints a saved plan (from `plan --out`) after checking its integrity. Reads nothing from Partner Center.")
    .argument("<planfile>", "saved plan file")
    .addOption(new Option("--format <format>", "output format").choices(SHOW_FORMATS).default("text"))
    .addHelpText("after", examples("pcplan show plan.json", "pcplan show plan.json --format json | jq '.summary'"))
    .action(
      handler(ctx, async (file: string, flags: { format: ShowFormat }) => {
        const view = showView(flags.format, io);
        view.show(await readSavedPlan(file), file);
        return ExitCode.Ok;
      }),
    );
}

import { Option, type Command } from "commander";
import { loadPlans } from "../../plan-file/index.js";
import { examples, handler, type CliContext } from "../context.js";
import { ExitCode } from "../outcome.js";
import { VALIDATE_FORMATS, validateView, type ValidateFormat } from "../views/validate.js";

export function registerValidateCommand(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  program
    .command("validate")
    .summary("check plan files")
    .description(
      "Checks plan files against the schema and the SKU catalog: unknown SKUs, feature coverage, customers listed twice. " +
        "Exit 0 when valid, 1 when not. Under GitHub Actions (GITHUB_ACTIONS=true) also prints ::error/::warning annotations.",
    )
    .argument("[paths...]", "plan files or folders (folders: *.yaml/*.yml, recursively)", ["plans/"])
    .addOption(new Option("--format <format>", "output format").choices(VALIDATE_FORMATS).default("text"))
    .addHelpText("after", examples("pcplan validate", "pcplan validate plans/office365-f1.yaml --format json"))
    .action(
      handler(ctx, async (paths: string[], flags: { format: ValidateFormat }) => {
        const view = validateView(flags.format, io);
        const result = await loadPlans(paths);
        const valid = !result.diagnostics.some((d) => d.severity === "error");
        view.show(result, valid);
        if (process.env.GITHUB_ACTIONS === "true") view.annotate(result.diagnostics);
        return valid ? ExitCode.Ok : ExitCode.Error;
      }),
    );
}

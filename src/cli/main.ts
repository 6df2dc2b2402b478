import { Command, CommanderError } from "commander";
import { formatError, exitCodeOf } from "./errors.js";
import { registerCommands } from "./commands/index.js";

/**
 * The CLI entry: the only place that turns results into exit codes.
 * Returns the exit code instead of calling process.exit so output streams flush.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command("pcplan")
    .description("Declarative migration plans for Microsoft Partner Center (CSP): validate, plan, apply.")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerCommands(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version surface here as "errors" with exit code 0.
      return err.exitCode === 0 ? 0 : 1;
    }
    process.stderr.write(formatError(err) + "\n");
    return exitCodeOf(err);
  }
}

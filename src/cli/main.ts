import { Command, CommanderError } from "commander";
import { PcplanError } from "../errors.js";
import { redact } from "../partner-center/redact.js";
import { inert } from "../util/inert-text.js";
import { registerCommands } from "./commands/index.js";
import { examples } from "./context.js";
import { processIo, type Io } from "./io.js";
import { ExitCode } from "./outcome.js";
import { PCPLAN_VERSION } from "../version.js";

/**
 * The CLI entry: the only place that turns results and errors into exit codes and prints errors.
 * Returns the exit code instead of calling process.exit so output streams flush.
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let code: ExitCode = ExitCode.Ok;
  const program = new Command("pcplan")
    .description("Declarative migration plans for Microsoft Partner Center (CSP): validate, plan, apply.")
    .version(PCPLAN_VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      examples(
        "pcplan plan --sandbox                          # preview the demo migration, no account needed",
        "pcplan apply --sandbox --auto-approve",
        "pcplan validate plans/",
        "pcplan plan --help                             # each command's options and examples",
      ),
    )
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();
  try {
    await registerCommands(program, { io, finish: (c) => (code = c) }, argv);
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    // --help and --version surface here as "errors" with exit code 0; usage errors were printed.
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Error;
    io.err(formatError(err) + "\n");
    return ExitCode.Error;
  }
}

/** A user's mistake says what to fix; a service failure says so; anything else is our bug. */
export function formatError(err: unknown): string {
  if (err instanceof PcplanError) {
    const message = inert(redact(err.message));
    if (err.userError) return `error: ${message}`;
    return `error: ${message}\n  (a failure of Partner Center or the network, not of your plans; nothing was written. Run it again later.)`;
  }
  const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return `internal error (please report it): ${redact(msg)}`;
}

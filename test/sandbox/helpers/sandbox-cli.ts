// A tiny entry that runs `pcplan sandbox` from source without the other commands, so this
// suite does not depend on modules still in progress elsewhere in the tree.
import { Command, CommanderError } from "commander";
import { registerSandboxCommand } from "../../../src/cli/commands/sandbox.js";
import { formatError, exitCodeOf } from "../../../src/cli/errors.js";

const program = new Command("pcplan").exitOverride();
registerSandboxCommand(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exitCode = err.exitCode === 0 ? 0 : 1;
  else {
    process.stderr.write(formatError(err) + "\n");
    process.exitCode = exitCodeOf(err);
  }
}

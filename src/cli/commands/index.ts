import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { registerApplyCommand } from "./apply.js";
import { registerDiscoverCommand } from "./discover.js";
import { registerPlanCommand } from "./plan.js";
import { registerShowCommand } from "./show.js";
import { registerStatusCommand } from "./status.js";
import { registerValidateCommand } from "./validate.js";
import { registerSandboxCommand } from "./sandbox.js";

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command, ctx: CliContext): void {
  registerPlanCommand(program, ctx);
  registerApplyCommand(program, ctx);
  registerShowCommand(program, ctx);
  registerStatusCommand(program, ctx);
  registerDiscoverCommand(program, ctx);
  registerValidateCommand(program, ctx);
  registerSandboxCommand(program, ctx);
}

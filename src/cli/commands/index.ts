import type { Command } from "commander";
import { registerApplyCommand } from "./apply.js";
import { registerDiscoverCommand } from "./discover.js";
import { registerPlanCommand } from "./plan.js";
import { registerShowCommand } from "./show.js";
import { registerStatusCommand } from "./status.js";
import { registerValidateCommand } from "./validate.js";
import { registerSandboxCommand } from "./sandbox.js";

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerPlanCommand(program);
  registerApplyCommand(program);
  registerShowCommand(program);
  registerStatusCommand(program);
  registerDiscoverCommand(program);
  registerValidateCommand(program);
  registerSandboxCommand(program);
}

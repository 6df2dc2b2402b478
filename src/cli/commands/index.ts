import type { Command } from "commander";
import type { CliContext } from "../context.js";

type Register = (program: Command, ctx: CliContext) => void;

/**
 * Each command lives in its own file and registers itself; each is imported only when needed
 * (docs/performance.md, "Cold start"): a run of one command loads that command's code alone.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  plan: async () => (await import("./plan.js")).registerPlanCommand,
  apply: async () => (await import("./apply.js")).registerApplyCommand,
  show: async () => (await import("./show.js")).registerShowCommand,
  status: async () => (await import("./status.js")).registerStatusCommand,
  discover: async () => (await import("./discover.js")).registerDiscoverCommand,
  validate: async () => (await import("./validate.js")).registerValidateCommand,
  sandbox: async () => (await import("./sandbox.js")).registerSandboxCommand,
};

/**
 * Registers the commands `argv` can reach: the one it names (`pcplan plan …`), none for
 * `--version`, every one otherwise (the overview in `--help`, an unknown command's suggestion).
 * Without `argv`, every one.
 */
export async function registerCommands(program: Command, ctx: CliContext, argv?: readonly string[]): Promise<void> {
  const first = argv?.[2];
  const names = first === "--version" || first === "-V" ? [] : first !== undefined && first in COMMANDS ? [first] : Object.keys(COMMANDS);
  const registers = await Promise.all(names.map((name) => COMMANDS[name]?.()));
  for (const register of registers) register?.(program, ctx);
}

import type { Io } from "./io.js";
import type { ExitCode } from "./outcome.js";

/** What every command is registered with: its door to the terminal and where its exit code goes. */
export interface CliContext {
  io: Io;
  finish(code: ExitCode): void;
}

/** Wraps a command's handler so its exit code reaches `main`. */
export function handler<A extends unknown[]>(ctx: CliContext, run: (...args: A) => Promise<ExitCode>): (...args: A) => Promise<void> {
  return async (...args) => ctx.finish(await run(...args));
}

/** The `Examples:` block every command's --help ends with. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}

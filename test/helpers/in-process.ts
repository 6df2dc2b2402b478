/**
 * `pcplan ARGS` run in this process through `main(argv, io)` (src/cli/main.ts): the same command
 * wiring as the shipped CLI, without spawning it. The working directory is the run's own (plan
 * paths, `.pcplan/`): `main` is run from it and the previous one is restored after.
 */
import { main } from "../../src/cli/main.js";
import type { Io } from "../../src/cli/io.js";

export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A terminal that is not one: no colour, no prompt answered, progress dropped. */
function capturingIo(): Io & { stdout: () => string; stderr: () => string } {
  let stdout = "";
  let stderr = "";
  return {
    out: (s) => void (stdout += s),
    err: (s) => void (stderr += s),
    color: false,
    interactive: false,
    progress: () => ({ update: () => undefined, end: () => undefined }),
    confirm: () => Promise.resolve(false),
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

export async function runMain(args: string[], opts: { cwd: string }): Promise<MainResult> {
  const io = capturingIo();
  const before = process.cwd();
  process.chdir(opts.cwd);
  try {
    const code = await main(["node", "pcplan", ...args], io);
    return { code, stdout: io.stdout(), stderr: io.stderr() };
  } finally {
    process.chdir(before);
  }
}

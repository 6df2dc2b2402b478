/**
 * `pcplan ARGS` run in this process through `main(argv, io)` (src/cli/main.ts): the wiring of the
 * shipped entry (bin/pcplan.js: `main(process.argv)` with the process's own `processIo`) without
 * spawning it, so the unit loop and Stryker see the command code. What a child process would
 * have of its own is given to the run and taken back after it:
 * - the working directory (plan paths, `.pcplan/`);
 * - the environment: the test's own plus `NO_COLOR=1` and `CI=true` as `spawnCli` sets them
 *   (test/helpers/cli.ts), plus `opts.env` (undefined removes a variable); restored after;
 * - stdin, stdout and stderr: streams of this helper, none a terminal unless `opts.tty` says so;
 *   `opts.input` is what is typed on stdin;
 * - `process.exitCode`.
 * Runs take turns (the working directory and the environment are the process's): a second run
 * started while one is going waits for it. What a fresh process would not share stays shared:
 * the redaction registry of secrets (src/http/redact.ts) and the modules' caches of read-only
 * data (catalog, schemas). A test where that matters, or where the process itself is under test
 * (exit on a closed pipe, signals, locks between two processes, a real terminal), spawns the
 * CLI instead (`*.cli.test.ts`).
 */
import { Readable, Writable } from "node:stream";
import { processIo, type Streams } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { forgetRegisteredSecrets } from "../../src/http/redact.js";

export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  /** Variables for this run (undefined removes one), over the test's own environment. */
  env?: Record<string, string | undefined>;
  /** Which streams are a terminal (none by default: a run under a pipe, as in CI). */
  tty?: { stdin?: boolean; stdout?: boolean; stderr?: boolean };
  /** Typed on stdin (nothing by default: stdin is closed). */
  input?: string;
}

let turn: Promise<unknown> = Promise.resolve();

/** `pcplan ARGS` in this process; resolves with its exit code and output once it is done. */
export function runMain(args: string[], opts: RunOptions): Promise<MainResult> {
  const run = turn.then(() => runAlone(args, opts));
  turn = run.catch(() => undefined);
  return run;
}

async function runAlone(args: string[], opts: RunOptions): Promise<MainResult> {
  const streams = captureStreams(opts);
  const restore = enter(opts);
  // A process starts knowing no secrets: one run's must not redact ordinary text in the next.
  forgetRegisteredSecrets();
  try {
    const code = await main(["node", "pcplan", ...args], processIo(process.env, streams));
    return { code, stdout: streams.text("stdout"), stderr: streams.text("stderr") };
  } finally {
    restore();
  }
}

/** Sets the run's working directory, environment and exit code; returns what puts the test's back. */
function enter(opts: RunOptions): () => void {
  const cwd = process.cwd();
  const env = { ...process.env };
  const exitCode = process.exitCode;
  process.chdir(opts.cwd);
  setEnv({ ...env, NO_COLOR: "1", CI: "true", ...opts.env });
  process.exitCode = undefined;
  return () => {
    process.chdir(cwd);
    setEnv(env);
    process.exitCode = exitCode;
  };
}

/** Makes process.env exactly `vars` (the object itself stays: modules may hold it). */
function setEnv(vars: Record<string, string | undefined>): void {
  for (const key of Object.keys(process.env)) if (vars[key] === undefined) delete process.env[key];
  for (const [key, value] of Object.entries(vars)) if (value !== undefined) process.env[key] = value;
}

/** Streams of the run's own; what is written is kept, synchronously, as a pipe's reader would. */
function captureStreams(opts: RunOptions): Streams & { text(which: "stdout" | "stderr"): string } {
  const tty = opts.tty ?? {};
  const stdin = Object.assign(Readable.from(opts.input === undefined ? [] : [opts.input]), { isTTY: tty.stdin ?? false });
  const written = { stdout: "", stderr: "" };
  const sink = (which: "stdout" | "stderr", isTTY: boolean) =>
    Object.assign(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          written[which] += chunk.toString();
          done();
        },
      }),
      { isTTY },
    );
  return { stdin, stdout: sink("stdout", tty.stdout ?? false), stderr: sink("stderr", tty.stderr ?? false), text: (which) => written[which] };
}

/**
 * The CLI's one door to the terminal: results to stdout, everything else to stderr, colour,
 * progress and prompts decided here once. Commands receive an `Io` and never touch
 * `process.stdout`/`process.stderr`; tests pass their own.
 */
import { createInterface } from "node:readline/promises";

export interface Progress {
  update(done: number, total: number): void;
  end(): void;
}

export interface Io {
  /** A result (the preview, JSON, a report): stdout. */
  out(text: string): void;
  /** Progress, notes, warnings, errors: stderr. */
  err(text: string): void;
  /** Colour on stdout. */
  readonly color: boolean;
  /** A person at a terminal who can answer a prompt. */
  readonly interactive: boolean;
  progress(label: string, detail?: () => string): Progress;
  /** Asks for "yes" on the terminal; anything else declines. */
  confirm(question: string): Promise<boolean>;
}

type Env = Record<string, string | undefined>;

/** FORCE_COLOR (any value but 0/false) forces colour, NO_COLOR or TERM=dumb turn it off; else only on a terminal. */
export function colorWanted(isTTY: boolean, env: Env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "0" && force.toLowerCase() !== "false") return true;
  if (env.NO_COLOR || env.TERM === "dumb") return false;
  return isTTY;
}

/** Redraws at most this often: a terminal shows progress, it does not flicker. */
const REDRAW_MS = 250;

type Terminal = { isTTY?: boolean };
/** The process's three streams; in-process tests (test/helpers/in-process.ts) pass their own. */
export interface Streams {
  stdin: NodeJS.ReadableStream & Terminal;
  stdout: NodeJS.WritableStream & Terminal;
  stderr: NodeJS.WritableStream & Terminal;
}

export function processIo(env: Env = process.env, streams: Streams = process): Io {
  const { stdin, stdout, stderr } = streams;
  // A reader that went away (`pcplan plan | head`) is not an error: the rest of the output is
  // dropped and the work goes on to its end — an apply is never cut short by a closed pipe.
  for (const stream of [stdout, stderr]) stream.on("error", ignoreClosedPipe);
  const fancy = Boolean(stderr.isTTY) && !env.CI;
  return {
    out: (text) => void stdout.write(text),
    err: (text) => void stderr.write(text),
    color: colorWanted(Boolean(stdout.isTTY), env),
    interactive: Boolean(stdin.isTTY) && Boolean(stderr.isTTY) && !env.CI,
    progress: (label, detail) => (fancy ? redrawnProgress(stderr, label, detail) : plainProgress(stderr, label)),
    async confirm(question) {
      const rl = createInterface({ input: stdin, output: stderr });
      try {
        return (await rl.question(`${question}\n  Only 'yes' will be accepted: `)).trim() === "yes";
      } finally {
        rl.close();
      }
    },
  };
}

function ignoreClosedPipe(err: NodeJS.ErrnoException): void {
  if (err.code !== "EPIPE" && err.code !== "ERR_STREAM_DESTROYED") throw err;
}

/** A rewritten line on a terminal: count, extra detail (e.g. requests per second) and an ETA. */
function redrawnProgress(stderr: NodeJS.WritableStream, label: string, detail?: () => string): Progress {
  const started = Date.now();
  let last = 0;
  let drawn = false;
  let counts: { done: number; total: number } | undefined;
  const draw = () => {
    last = Date.now();
    const { done, total } = counts ?? { done: 0, total: 0 };
    const elapsed = (last - started) / 1000;
    const eta = done > 0 && done < total ? ` · ETA ${formatSeconds((elapsed / done) * (total - done))}` : "";
    const extra = detail ? ` · ${detail()}` : "";
    stderr.write(`\r\x1b[2K${label}${counts ? ` ${done}/${total}` : "…"}${extra}${eta}`);
    drawn = true;
  };
  // Redrawn each second even when nothing finishes: a stalled run says what it waits on.
  const tick = setInterval(() => Date.now() - last >= TICK_MS / 2 && draw(), TICK_MS).unref();
  return {
    update(done, total) {
      counts = { done, total };
      if (Date.now() - last < REDRAW_MS && done < total) return;
      draw();
    },
    end() {
      clearInterval(tick);
      if (drawn) stderr.write("\r\x1b[2K");
    },
  };
}

/** A progress line is redrawn at least this often while work goes on. */
const TICK_MS = 1_000;

/** In CI: a plain line at each quarter of long work, nothing for short work. */
function plainProgress(stderr: NodeJS.WritableStream, label: string): Progress {
  let lastQuarter = -1;
  return {
    update(done, total) {
      if (total < 50) return;
      const quarter = Math.floor((done / total) * 4);
      if (quarter === lastQuarter) return;
      lastQuarter = quarter;
      stderr.write(`${label} ${done}/${total}\n`);
    },
    end() {},
  };
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.max(1, Math.round(s))}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, "0")}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

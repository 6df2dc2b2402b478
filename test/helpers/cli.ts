import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "../..");
/** The shipped entry; test/global-setup.ts builds dist/ from the current sources first. */
export const BIN = join(REPO, "bin/pcplan.js");

export interface CliResult {
  code: number | null;
  /** Set when the child was killed by a signal (then `code` is null). */
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** Run as this user and group (the tests run as root: a permission test runs the CLI as `nobody`). */
  uid?: number;
  gid?: number;
}

export interface CliChild {
  child: ChildProcessWithoutNullStreams;
  done: Promise<CliResult>;
}

/** Starts the real CLI in a child process; the caller may kill it. */
export function spawnCli(args: string[], opts: CliOptions): CliChild {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", CI: "true", ...opts.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    env,
    ...(opts.uid === undefined ? {} : { uid: opts.uid }),
    ...(opts.gid === undefined ? {} : { gid: opts.gid }),
    stdio: ["pipe", "pipe", "pipe"],
  });
  const done = new Promise<CliResult>((ok, fail) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code, signal) => ok({ code, signal, stdout, stderr }));
  });
  child.stdin.on("error", () => undefined); // a killed child closes stdin under us
  child.stdin.end(opts.input ?? "");
  return { child, done };
}

/** Runs the real CLI in a child process, as a user would run `pcplan`. */
export function runCli(args: string[], opts: CliOptions): Promise<CliResult> {
  return spawnCli(args, opts).done;
}

/** A fresh working directory holding a copy of the repo's plans/. */
export async function tempCheckout(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pcplan-"));
  await cp(join(REPO, "plans"), join(dir, "plans"), { recursive: true });
  return dir;
}

/**
 * A checkout of plans/ for a run whose licence API is Partner Center (a Partner Center token and
 * no Graph app credentials): without Lucerne Publishing's plan (plans/office365-f1-groups.yaml).
 * Lucerne holds its source through a group, which Partner Center cannot see or change, so its
 * apply legitimately fails there ("held through a group: use --license-api graph"); that is
 * tested on its own (test/e2e/held-through-group.test.ts), and the whole-world runs that share
 * this checkout stay about what they test.
 */
export async function partnerCenterCheckout(): Promise<string> {
  const dir = await tempCheckout();
  await rm(join(dir, "plans", "office365-f1-groups.yaml"));
  return dir;
}

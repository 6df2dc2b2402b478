import { spawn } from "node:child_process";
import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

export const REPO = resolve(import.meta.dirname, "../..");
/** tsx by absolute URL: the child runs in a temp cwd that has no node_modules. */
const TSX = pathToFileURL(join(REPO, "node_modules/tsx/dist/loader.mjs")).href;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI from source in a child process (tsx), as a user would run `pcplan`. */
export function runCli(args: string[], opts: { cwd: string; env?: Record<string, string | undefined>; input?: string }): Promise<CliResult> {
  return new Promise((done, fail) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", CI: "true", ...opts.env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    const child = spawn(process.execPath, ["--import", TSX, join(REPO, "src/cli/run.ts"), ...args], {
      cwd: opts.cwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}

/** A fresh working directory holding a copy of the repo's plans/. */
export async function tempCheckout(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pcplan-"));
  await cp(join(REPO, "plans"), join(dir, "plans"), { recursive: true });
  return dir;
}

/**
 * Issue 22 §4–§5 with the shipped CLI (a hang and a stack trace are what is under test, so a real
 * process): a FIFO in place of `.pcplan/purchases.jsonl` or `.pcplan/audit.jsonl` is refused at
 * once, naming the file, with no lock left behind and nothing written; a `.pcplan` that is a
 * dangling symbolic link, a link loop, a link to a file or a read-only folder is an error naming
 * the path and the fix; `status` reads a 600 MiB audit log as a stream, in bounded memory.
 * Runs against the demo world through the proxy (test/helpers/demo-run.ts).
 */
import { execFileSync } from "node:child_process";
import { chmod, chown, mkdir, open, readdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPO } from "../helpers/cli.js";
import { DEMO } from "../helpers/demo-customers.js";
import { startDemoRun, type DemoRun } from "../helpers/demo-run.js";

let run: DemoRun;
let state: string;
beforeEach(async () => {
  run = await startDemoRun();
  state = join(run.cwd, ".pcplan");
});
afterEach(async () => {
  await run.close();
});

const NO_STACK = /internal error| {4}at |TypeError|RangeError/;
const only = ["--customer", DEMO.adventure];

describe("a FIFO in place of a state file", () => {
  it("plan: the journal is refused at once, naming it (it hung silently)", async () => {
    await mkdir(state);
    execFileSync("mkfifo", [join(state, "purchases.jsonl")]);
    // Contoso has no target subscription yet: its plan reads the journal of purchases.
    const r = await run.cli(["plan", "--customer", DEMO.contoso]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/purchases\.jsonl is a FIFO \(named pipe\), not a regular file: .*remove it/);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it("apply: the audit log is refused before the preview; no lock is left and nothing written (it hung holding its lock)", async () => {
    await mkdir(state);
    execFileSync("mkfifo", [join(state, "audit.jsonl")]);
    const r = await run.cli(["apply", "--auto-approve", ...only]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/audit\.jsonl is a FIFO \(named pipe\), not a regular file/);
    expect(r.stdout).not.toMatch(/reassign/);
    expect(await readdir(state)).toEqual(["audit.jsonl"]);
    expect(run.writes()).toEqual([]);
  });
});

describe("a .pcplan that cannot be a state folder", () => {
  it.each([
    [
      "a dangling symbolic link",
      (p: string) => symlink(join(p, "..", "gone"), p),
      /\.pcplan is a symbolic link to .*gone, which does not exist: create that folder/,
    ],
    ["a symbolic link loop", (p: string) => symlink(p, p), /\.pcplan is a symbolic link that loops .*: remove the link/],
    [
      "a symbolic link to a file",
      async (p: string) => {
        await writeFile(`${p}-file`, "x");
        await symlink(`${p}-file`, p);
      },
      /\.pcplan is a symbolic link to .*\.pcplan-file, which is not a folder: remove the link/,
    ],
  ])("%s: apply names the path and the fix, writes nothing, no stack trace", async (_what, make, message) => {
    await make(state);
    const r = await run.cli(["apply", "--auto-approve", ...only]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(run.writes()).toEqual([]);
  });

  // Tests run as root here, which may write anywhere: the CLI is run as the unprivileged user
  // `nobody` (uid 65534) for this case, so the permission check is the kernel's, not a fake.
  it("a read-only folder, for a user who is not root: apply names it and the fix", async (ctx) => {
    // That user must be able to read the CLI itself: a checkout under a private folder (mktemp -d
    // makes them 0700) cannot run as another user, and then the case cannot be shown here.
    if (!readableBy(65534, join(REPO, "bin/pcplan.js"))) ctx.skip("the checkout is not readable by uid 65534 (a private parent folder)");
    await mkdir(state);
    await chmod(run.cwd, 0o755);
    await chown(state, 65534, 65534);
    await chmod(state, 0o555);
    const r = await run.cli(["apply", "--auto-approve", ...only], { uid: 65534, gid: 65534 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/\.pcplan cannot be written \(permission denied\): make it writable \(chmod u\+w .*\.pcplan\)/);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(run.writes()).toEqual([]);
  });
});

/** Whether `uid` may read `path`: the file and every folder above it open to others (run as root, so by mode bits). */
function readableBy(uid: number, path: string): boolean {
  try {
    execFileSync(process.execPath, ["-e", `require("fs").accessSync(${JSON.stringify(path)}, require("fs").constants.R_OK)`], {
      uid,
      gid: uid,
      stdio: "ignore",
    });
    return true;
  } catch {
    return false;
  }
}

describe("status with a 600 MiB audit log", () => {
  it("reads it as a stream: the suspension at its end is found, within a 96 MiB heap (it died of 'Invalid string length')", async () => {
    await mkdir(state);
    const path = join(state, "audit.jsonl");
    // 600 MiB of apply lines, the same 1 MiB block written again and again, then Adventure
    // Works' suspension: the one line status must find at the very end.
    const line = (i: number) =>
      JSON.stringify({
        time: "2026-10-01T00:00:00.000Z",
        correlationId: "c",
        customerId: DEMO.contoso,
        action: "reassign",
        subject: `u${i}`,
        requestId: "r",
        phase: "attempt",
      });
    const block = Buffer.from(Array.from({ length: 4200 }, (_, i) => line(i)).join("\n") + "\n");
    const fh = await open(path, "w");
    for (let written = 0; written < 600 * 2 ** 20; written += block.length) await fh.write(block);
    await fh.write(
      JSON.stringify({
        time: "2026-11-20T00:00:00.000Z",
        correlationId: "c",
        customerId: DEMO.adventure,
        action: "suspend",
        subject: "2E4596EA-B9AC-4F2E-A473-8A4CEF18B42C",
        requestId: "r",
        phase: "result",
        outcome: "ok",
      }) + "\n",
    );
    await fh.close();
    const r = await run.cli(["status", "--format", "json", ...only], { env: { NODE_OPTIONS: "--max-old-space-size=96" } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(r.stdout).toContain("2026-11-20T00:00:00.000Z");
  }, 120_000);
});

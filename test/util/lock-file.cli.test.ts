/**
 * The lock that keeps two applies (and two `--sandbox` runs) of one folder apart, on real files
 * and real processes: held while its process runs, released on exit, taken over from a process
 * that is gone (kill -9) — and taken over by exactly one of several runs that find the same
 * stale lock at once (before the takeover guard, two or three of six racers each held it).
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeEach, describe, expect, it } from "vitest";
import { acquireLock } from "../../src/util/lock-file.js";
import { REPO } from "../helpers/cli.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pcplan-lock-"));
});

/** The pid of a process that has ended, as a `kill -9`ed run leaves in its lock. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((ok) => child.on("exit", ok));
  return child.pid!;
}
const lockText = (pid: number, host = hostname()) => JSON.stringify({ pid, host, since: "2026-11-24T00:00:00.000Z", what: "another pcplan apply" }) + "\n";

/**
 * A process (the built module, as the CLI runs it) that waits for `go`, tries the lock and says
 * "held" (then holds it until its stdin closes) or "refused".
 */
function racer(lock: string, go: string) {
  const mod = pathToFileURL(join(REPO, "dist/util/lock-file.js")).href;
  const script = `
    import { existsSync } from "node:fs";
    const { acquireLock } = await import(${JSON.stringify(mod)});
    process.stdout.write("ready\\n");
    while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 1));
    try { await acquireLock(${JSON.stringify(lock)}, "racer"); process.stdout.write("held\\n"); process.stdin.resume(); }
    catch (e) { process.stdout.write("refused: " + e.message + "\\n"); process.exit(0); }`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const said = (word: string) =>
    new Promise<string>((ok) => {
      const check = () => out.includes(word) && (child.stdout.off("data", check), ok(out));
      child.stdout.on("data", check);
      check();
    });
  const answered = () => Promise.race([said("held\n"), said("refused")]);
  return { child, ready: said("ready\n"), answered, out: () => out };
}

describe("acquireLock", () => {
  it("refuses while its holder runs, naming it; released, it can be taken again", async () => {
    const path = join(dir, "apply.lock");
    const lock = await acquireLock(path, "another pcplan apply");
    await expect(acquireLock(path, "another pcplan apply")).rejects.toThrow(
      new RegExp(`another pcplan apply \\(pid ${process.pid} on ${hostname()}, since .*\\) holds ${path}`),
    );
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
    await (await acquireLock(path, "again")).release();
  });

  it("takes over the lock of a process that is gone, or a file that is not a lock", async () => {
    const path = join(dir, "apply.lock");
    for (const stale of [lockText(await deadPid()), "{ half a lock", ""]) {
      await writeFile(path, stale);
      const lock = await acquireLock(path, "next run");
      expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ pid: process.pid, what: "next run" });
      await lock.release();
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it("counts a lock held on another host as held (a shared folder: its process cannot be checked)", async () => {
    const path = join(dir, "apply.lock");
    await writeFile(path, lockText(await deadPid(), "another-host.example"));
    await expect(acquireLock(path, "x")).rejects.toThrow(/on another-host\.example/);
  });

  it("is removed when its process exits without releasing it", async () => {
    const path = join(dir, "apply.lock");
    const go = join(dir, "go");
    const r = racer(path, go);
    await r.ready;
    await writeFile(go, "");
    expect(await r.answered()).toContain("held\n");
    r.child.stdin.end(); // the racer then exits normally, without release()
    await new Promise((ok) => r.child.on("exit", ok));
    expect((await readdir(dir)).sort()).toEqual(["go"]);
  });

  it("of six runs that find one stale lock at once, exactly one takes it", { timeout: 60_000 }, async () => {
    for (let round = 0; round < 5; round++) {
      const path = join(dir, `apply-${round}.lock`);
      const go = join(dir, `go-${round}`);
      await writeFile(path, lockText(await deadPid()));
      const racers = Array.from({ length: 6 }, () => racer(path, go));
      await Promise.all(racers.map((r) => r.ready));
      await writeFile(go, "");
      await Promise.all(racers.map((r) => r.answered()));
      const held = racers.filter((r) => r.out().includes("held\n"));
      expect(held.length, `round ${round}: ${racers.map((r) => r.out().trim().replace(/\n/g, " ")).join(" | ")}`).toBe(1);
      for (const r of racers.filter((x) => !held.includes(x))) expect(r.out()).toMatch(/refused: racer \(pid \d+ on .*\) holds/);
      for (const r of racers) r.child.stdin.end();
      await Promise.all(racers.map((r) => new Promise((ok) => (r.child.exitCode !== null ? ok(null) : r.child.on("exit", ok)))));
    }
  });
});

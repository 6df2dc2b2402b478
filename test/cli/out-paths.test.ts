/**
 * Issue 11: `--out` writes only regular files. Through the CLI, for `plan --out` (saved plan and
 * HTML) and `status --out`: a directory, a symbolic link, a character device (/dev/null-style)
 * and a FIFO are refused with a message naming the option, the path and why — before Partner
 * Center is read — and left as they were. (writeOutputFile itself: test/util/write-output-file.test.ts.)
 * `pcplan` runs in-process through `main` (test/helpers/in-process.ts).
 */
import { execFileSync } from "node:child_process";
import { lstat, mkdir, readFile, readlink, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoRun, type DemoRun } from "../helpers/demo-run.js";

let run: DemoRun;
let paths: Record<"directory" | "symlink" | "device" | "fifo", string>;
const root = process.getuid?.() === 0;

beforeAll(async () => {
  run = await startDemoRun({ inProcess: true });
  const d = run.cwd;
  await mkdir(join(d, "reports"));
  await writeFile(join(d, "target.json"), "mine\n");
  await symlink(join(d, "target.json"), join(d, "link.json"));
  execFileSync("mkfifo", [join(d, "fifo")]);
  // As root a wrong implementation would replace the real /dev/null: root tests on a private node.
  if (root) execFileSync("mknod", [join(d, "null"), "c", "1", "3"]);
  paths = { directory: join(d, "reports"), symlink: join(d, "link.json"), device: root ? join(d, "null") : "/dev/null", fifo: join(d, "fifo") };
});
afterAll(async () => {
  await run.close();
});

const reasons = {
  directory: /it is a directory, not a regular file; give a file name inside it/,
  symlink: /it is a symbolic link to .*target\.json; pcplan does not write through links/,
  device: /it is a character device, not a regular file/,
  fifo: /it is a named pipe \(FIFO\), not a regular file/,
} as const;

describe("--out refuses anything but a regular file, before reading Partner Center", () => {
  const commands: [string, string[]][] = [
    ["plan --out", ["plan"]],
    ["plan --format html --out", ["plan", "--format", "html"]],
    ["status --out", ["status"]],
    ["status --format html --out", ["status", "--format", "html"]],
  ];
  it.each(commands)("%s", async (_name, args) => {
    for (const kind of Object.keys(reasons) as (keyof typeof reasons)[]) {
      const before = run.proxy.seen.length;
      const r = await run.cli([...args, "--out", paths[kind]]);
      expect(r.code, `${kind}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain(`error: --out ${paths[kind]}: refusing to write: `);
      expect(r.stderr).toMatch(reasons[kind]);
      expect(r.stderr).not.toMatch(/internal error|\n +at /);
      expect(run.proxy.seen.length, `${kind}: Partner Center was read`).toBe(before);
    }
    expect(await readFile(join(run.cwd, "target.json"), "utf8")).toBe("mine\n");
    expect(await readlink(paths.symlink)).toBe(join(run.cwd, "target.json"));
    expect((await lstat(paths.directory)).isDirectory()).toBe(true);
    expect((await lstat(paths.device)).isCharacterDevice()).toBe(true);
    expect((await lstat(paths.fifo)).isFIFO()).toBe(true);
  });
});

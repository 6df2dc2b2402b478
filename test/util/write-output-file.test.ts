import { execFileSync } from "node:child_process";
import { lstatSync } from "node:fs";
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, stat, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/util/write-file-atomic.js";
import { OUTPUT_FILE_ERROR, OutputFileError, checkOutputPath, writeOutputFile } from "../../src/util/write-output-file.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pcplan-out-"));
});

/** Every refusal: a typed user error naming the option, the path and the reason. */
async function refused(path: string, reason: RegExp, opts: Parameters<typeof writeOutputFile>[2] = { option: "--out" }): Promise<OutputFileError> {
  const err = await writeOutputFile(path, '{"written":true}\n', opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutputFileError);
  const e = err as OutputFileError;
  expect(e.code).toBe(OUTPUT_FILE_ERROR);
  expect(e.userError).toBe(true);
  expect(e.message.startsWith(`${opts.option ? `${opts.option} ` : ""}${path}: `)).toBe(true);
  expect(e.message).toMatch(reason);
  return e;
}

/** Nothing but the fixtures: no temp file left behind, nothing created beside them. */
async function entries(): Promise<string[]> {
  return (await readdir(dir)).sort();
}

describe("writeOutputFile", () => {
  it("writes a new regular file, creating its folder, and leaves no temp file", async () => {
    const path = join(dir, "out", "plan.json");
    await writeOutputFile(path, "hello\n");
    expect(await readFile(path, "utf8")).toBe("hello\n");
    expect((await lstat(path)).isFile()).toBe(true);
    expect(await readdir(join(dir, "out"))).toEqual(["plan.json"]);
  });

  it("replaces an existing regular file atomically and keeps its permissions", async () => {
    const path = join(dir, "plan.json");
    await writeFile(path, "old");
    await chmod(path, 0o640);
    await writeOutputFile(path, "new");
    expect(await readFile(path, "utf8")).toBe("new");
    expect((await stat(path)).mode & 0o777).toBe(0o640);
    expect(await entries()).toEqual(["plan.json"]);
  });

  it("refuses an existing file when overwriting is off (discover without --force), leaving it untouched", async () => {
    const path = join(dir, "skype.yaml");
    await writeFile(path, "mine");
    await refused(path, /refusing to overwrite an existing file; pass --force to replace it$/, {
      option: "--out",
      overwrite: false,
      overwriteHint: "pass --force to replace it",
    });
    expect(await readFile(path, "utf8")).toBe("mine");
    expect(await entries()).toEqual(["skype.yaml"]);
    // A free path is fine without overwriting.
    await writeOutputFile(join(dir, "new.yaml"), "x", { overwrite: false });
    expect(await readFile(join(dir, "new.yaml"), "utf8")).toBe("x");
  });

  it("refuses a symbolic link, whether it points at a file or nowhere, and writes through neither", async () => {
    const target = join(dir, "target.json");
    await writeFile(target, "target");
    const link = join(dir, "link.json");
    await symlink(target, link);
    await refused(link, /refusing to write: it is a symbolic link to .*target\.json; pcplan does not write through links/);
    expect(await readFile(target, "utf8")).toBe("target");
    expect(await readlink(link)).toBe(target);

    const dangling = join(dir, "dangling.json");
    await symlink(join(dir, "nowhere.json"), dangling);
    await refused(dangling, /it is a symbolic link/);
    expect(await entries()).toEqual(["dangling.json", "link.json", "target.json"]);
  });

  it("refuses a directory with a clear message, not a stack trace", async () => {
    const folder = join(dir, "plans");
    await mkdir(folder);
    await refused(folder, /refusing to write: it is a directory, not a regular file; give a file name inside it$/);
    expect((await lstat(folder)).isDirectory()).toBe(true);
    expect(await readdir(folder)).toEqual([]);
  });

  it("refuses a FIFO and a socket, leaving them in place", async () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    await refused(fifo, /it is a named pipe \(FIFO\), not a regular file/);
    expect((await lstat(fifo)).isFIFO()).toBe(true);

    const sock = join(dir, "sock");
    const server: Server = createServer();
    await new Promise<void>((ok) => server.listen(sock, ok));
    try {
      await refused(sock, /it is a socket, not a regular file/);
      expect((await lstat(sock)).isSocket()).toBe(true);
    } finally {
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });

  describe("a character device (/dev/null-style)", () => {
    // As root a wrong implementation would replace the real /dev/null, so root tests on a
    // private copy of the node; anyone else cannot change /dev and tests on the real one.
    const root = process.getuid?.() === 0;
    let device: string;
    beforeEach(() => {
      device = root ? join(dir, "null") : "/dev/null";
      if (root) execFileSync("mknod", [device, "c", "1", "3"]);
    });
    afterEach(() => {
      expect(lstatSync(device).isCharacterDevice()).toBe(true);
    });

    it("is refused by the write, which leaves it a device", async () => {
      await refused(device, /refusing to write: it is a character device, not a regular file$/);
      if (root) expect(await entries()).toEqual(["null"]);
    });

    it("is refused by the early check too (commands call it before reading Partner Center)", async () => {
      await expect(checkOutputPath(device, { option: "--out" })).rejects.toThrow(/it is a character device/);
    });
  });

  it("names a path it cannot write (a file as a parent folder) instead of crashing", async () => {
    await writeFile(join(dir, "file"), "x");
    await refused(join(dir, "file", "plan.json"), /cannot use this path \(a parent is not a directory: ENOTDIR\)/);
  });
});

describe("writeFileAtomic without overwrite (the last guard when a file appears after the check)", () => {
  it("fails with EEXIST, keeps the other file and removes its temp file", async () => {
    const path = join(dir, "plan.yaml");
    await writeFile(path, "theirs");
    await expect(writeFileAtomic(path, "ours", { overwrite: false })).rejects.toMatchObject({ code: "EEXIST" });
    expect(await readFile(path, "utf8")).toBe("theirs");
    expect(await entries()).toEqual(["plan.yaml"]);
  });
});

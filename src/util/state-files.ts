/**
 * The files pcplan keeps its state in (`.pcplan/`: the journal of purchases, the audit log, the
 * locks), opened only as what they should be. A FIFO put in a state file's place would block a
 * plain `readFile` or `appendFile` forever (issue 22: `plan` hung silently, `apply` hung after its
 * preview with its lock held), and a `.pcplan` that is a dangling symbolic link, a link loop, a
 * file or a read-only folder ended in a stack trace. Every such case is a `STATE_FILE` error
 * naming the path and what to do.
 *
 * Files are opened with O_NONBLOCK (a FIFO then opens at once, or fails with ENXIO, instead of
 * waiting for a peer) and checked with fstat on the open handle before a byte is read or written.
 */
import { constants } from "node:fs";
import { lstat, mkdir, open, readlink, stat, type FileHandle } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { PcplanError } from "../errors.js";
import { writeFileAtomic } from "./write-file-atomic.js";

type Errno = NodeJS.ErrnoException;

const code = (err: unknown): string | undefined => (err as Errno | undefined)?.code;

/** What a path is, in words, for an error message. */
function kindOf(s: { isFIFO(): boolean; isSocket(): boolean; isDirectory(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (s.isFIFO()) return "a FIFO (named pipe)";
  if (s.isSocket()) return "a socket";
  if (s.isDirectory()) return "a folder";
  if (s.isCharacterDevice() || s.isBlockDevice()) return "a device";
  return "not a regular file";
}

/**
 * Why the state folder `dir` (or a path below it) cannot be used, as a STATE_FILE error: a
 * dangling symbolic link, a link loop, a link to a file, a file, no permission. `err` is what
 * the file system said.
 */
export async function stateDirError(dir: string, err: unknown): Promise<PcplanError> {
  const fail = (what: string, fix: string) => new PcplanError("STATE_FILE", `${dir} ${what}: ${fix}`, true, { cause: err });
  const link = await lstat(resolve(dir)).catch(() => undefined);
  if (link?.isSymbolicLink()) {
    const target = await readlink(resolve(dir)).catch(() => "?");
    const resolved = await stat(resolve(dir)).catch((e: unknown) => code(e));
    if (resolved === "ELOOP") return fail(`is a symbolic link that loops (to ${target})`, `remove the link (rm ${dir}) or point it at a folder`);
    if (resolved === "ENOENT")
      return fail(`is a symbolic link to ${target}, which does not exist`, `create that folder (mkdir -p ${target}) or remove the link (rm ${dir})`);
    if (typeof resolved === "object" && !resolved.isDirectory())
      return fail(`is a symbolic link to ${target}, which is not a folder`, `remove the link (rm ${dir}) or point it at a folder`);
  } else if (link && !link.isDirectory()) {
    return fail(`is ${link.isFile() ? "a file" : kindOf(link)}, not a folder`, `move it away; pcplan keeps its state in a folder of that name`);
  }
  const c = code(err);
  if (c === "EACCES" || c === "EPERM" || c === "EROFS") {
    return fail(
      `cannot be written (${c === "EROFS" ? "read-only file system" : "permission denied"})`,
      `make it writable (chmod u+w ${dir}) or run pcplan as its owner`,
    );
  }
  if (c === "ELOOP") return fail("is reached through a symbolic link that loops", "remove the loop");
  if (c === "ENOTDIR") return fail("is not a folder", "move it away; pcplan keeps its state in a folder of that name");
  return fail(`cannot be used (${c ?? String(err)})`, "check it");
}

/** Creates the state folder if needed; a clear STATE_FILE error when it cannot be one. */
export async function ensureStateDir(dir: string): Promise<void> {
  try {
    await mkdir(resolve(dir), { recursive: true });
    if (!(await stat(resolve(dir))).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
  } catch (err) {
    throw await stateDirError(dir, err);
  }
}

function notRegular(path: string, what: string): PcplanError {
  return new PcplanError(
    "STATE_FILE",
    `${path} is ${what}, not a regular file: pcplan reads and writes it only as a plain file; remove it (rm ${path}) and run again`,
  );
}

/** Opens a state file only if it is a regular file (or, to append, does not exist yet). */
async function openRegular(path: string, flags: number): Promise<FileHandle | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(resolve(path), flags | constants.O_NONBLOCK, 0o644);
  } catch (err) {
    if (code(err) === "ENOENT" && (flags & constants.O_CREAT) === 0) {
      // Nothing there yet, unless the folder itself is broken (a dangling link reads as ENOENT too).
      const parent = await lstat(resolve(dirname(path))).catch(() => undefined);
      if (!parent?.isSymbolicLink()) return undefined;
      if ((await stat(resolve(dirname(path))).catch(() => undefined))?.isDirectory()) return undefined;
    }
    // ENXIO: a FIFO without a reader, opened to write without blocking.
    if (code(err) === "ENXIO") throw notRegular(path, "a FIFO (named pipe)");
    if (code(err) === "EISDIR") throw notRegular(path, "a folder");
    throw await stateDirError(dirname(path), err);
  }
  const s = await fh.stat();
  if (!s.isFile()) {
    await fh.close();
    throw notRegular(path, kindOf(s));
  }
  return fh;
}

/** Refuses a state file that exists and is not a regular file (before any work that would need it). */
export async function checkStateFile(path: string): Promise<void> {
  await (await openRegular(path, constants.O_RDONLY))?.close();
}

/** The text of a state file; undefined when there is none. */
export async function readStateFile(path: string): Promise<string | undefined> {
  const fh = await openRegular(path, constants.O_RDONLY);
  if (!fh) return undefined;
  try {
    return await fh.readFile("utf8");
  } finally {
    await fh.close();
  }
}

/** A line longer than this is no line pcplan wrote: it is skipped, never held whole. */
const MAX_LINE = 1 << 20;
const CHUNK = 1 << 16;

/**
 * The lines of a state file, read in chunks (bounded memory, whatever its size: a line longer
 * than MAX_LINE is skipped, not assembled); none when there is no file. The last line may be cut
 * short (a crash while it was written).
 */
export async function* stateFileLines(path: string): AsyncGenerator<string> {
  const fh = await openRegular(path, constants.O_RDONLY);
  if (!fh) return;
  try {
    const buf = Buffer.alloc(CHUNK);
    let parts: Buffer[] = [];
    let length = 0;
    let skipping = false;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      let from = 0;
      for (let nl = buf.indexOf(10, 0); nl !== -1 && nl < bytesRead; nl = buf.indexOf(10, from)) {
        if (!skipping) yield Buffer.concat([...parts, buf.subarray(from, nl)]).toString("utf8");
        parts = [];
        length = 0;
        skipping = false;
        from = nl + 1;
      }
      length += bytesRead - from;
      if (length > MAX_LINE) {
        skipping = true;
        parts = [];
      } else if (!skipping) parts.push(Buffer.from(buf.subarray(from, bytesRead)));
    }
    if (!skipping && length > 0) yield Buffer.concat(parts).toString("utf8");
  } finally {
    await fh.close();
  }
}

/** What `appendStateLine` found before it wrote: a last line left without its newline (cut short by a crash). */
export interface AppendReport {
  tornLine: boolean;
}

/**
 * Appends one line to a state file (the folder created if needed). A file whose last line has no
 * newline (a write cut short) gets one first, so the new line never fuses with the torn one.
 */
export async function appendStateLine(path: string, line: string): Promise<AppendReport> {
  await ensureStateDir(dirname(path));
  // Read and write: the last byte is read through the same checked handle.
  const fh = await openRegular(path, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT);
  if (!fh) throw notRegular(path, "missing");
  try {
    const { size } = await fh.stat();
    let tornLine = false;
    if (size > 0) {
      const last = Buffer.alloc(1);
      await fh.read(last, 0, 1, size - 1);
      tornLine = last[0] !== 0x0a;
    }
    await fh.appendFile((tornLine ? "\n" : "") + line.replace(/\n?$/, "\n"), "utf8");
    return { tornLine };
  } catch (err) {
    if (err instanceof PcplanError) throw err;
    throw await stateDirError(dirname(path), err);
  } finally {
    await fh.close();
  }
}

/**
 * Writes a whole state file (a cache pcplan can fetch again), the folder created if needed:
 * through a temporary file and a rename, so a reader sees the old text or the new, never half.
 * Something other than a regular file in its place is refused, as for the other state files.
 */
export async function writeStateFile(path: string, text: string): Promise<void> {
  await ensureStateDir(dirname(path));
  await checkStateFile(path);
  try {
    await writeFileAtomic(path, text);
  } catch (err) {
    throw await stateDirError(dirname(path), err);
  }
}

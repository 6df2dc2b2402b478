/**
 * Where a command writes a file the user named (`--out`): only ever a regular file, replaced
 * atomically. The path is checked with lstat, so a symbolic link, a device (/dev/full), a FIFO,
 * a socket or a directory is refused by name instead of replaced: rename() would swap any of
 * them for our file (as root, even /dev/full). The check and the rename are two steps; a path
 * swapped in between still only ever receives a whole regular file, never a write through a link.
 */
import { lstat, readlink } from "node:fs/promises";
import type { Stats } from "node:fs";
import { PcplanError } from "../errors.js";
import { resolve } from "node:path";
import { writeFileAtomic } from "./write-file-atomic.js";

export const OUTPUT_FILE_ERROR = "OUTPUT_FILE";

export interface WriteOutputFileOptions {
  /** false: refuse a path that already exists (default true: replace a regular file). */
  overwrite?: boolean;
  /** How the path was given, for messages, e.g. "--out". */
  option?: string;
  /** Appended when an existing file is refused, e.g. "pass --force to replace it". */
  overwriteHint?: string;
}

/** A path the user named cannot take the output; the message names the path and why. */
export class OutputFileError extends PcplanError {
  constructor(
    readonly path: string,
    reason: string,
    opts: WriteOutputFileOptions,
    options?: { cause?: unknown },
  ) {
    super(OUTPUT_FILE_ERROR, `${opts.option ? `${opts.option} ` : ""}${path}: ${reason}`, true, options);
  }
}

function kindOf(s: Stats): string | undefined {
  if (s.isFile()) return undefined;
  if (s.isDirectory()) return "a directory";
  if (s.isSymbolicLink()) return "a symbolic link";
  if (s.isCharacterDevice()) return "a character device";
  if (s.isBlockDevice()) return "a block device";
  if (s.isFIFO()) return "a named pipe (FIFO)";
  if (s.isSocket()) return "a socket";
  return "not a regular file";
}

async function lstatOrNone(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(resolve(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/**
 * Refuses, before any work, a path that cannot take the output. Returns the existing file's
 * permission bits (kept on replace), or undefined when the path is free.
 */
export async function checkOutputPath(path: string, opts: WriteOutputFileOptions = {}): Promise<number | undefined> {
  let s: Stats | undefined;
  try {
    s = await lstatOrNone(path);
  } catch (err) {
    throw new OutputFileError(path, `cannot use this path (${describeErrno(err)})`, opts, { cause: err });
  }
  if (!s) return undefined;
  const kind = kindOf(s);
  if (kind) {
    if (s.isSymbolicLink()) {
      const to = await readlink(resolve(path)).catch(() => undefined);
      throw new OutputFileError(
        path,
        `refusing to write: it is ${kind}${to ? ` to ${to}` : ""}; pcplan does not write through links, give the real file's path`,
        opts,
      );
    }
    throw new OutputFileError(path, `refusing to write: it is ${kind}, not a regular file${s.isDirectory() ? "; give a file name inside it" : ""}`, opts);
  }
  if (opts.overwrite === false) {
    throw new OutputFileError(path, `refusing to overwrite an existing file${opts.overwriteHint ? `; ${opts.overwriteHint}` : ""}`, opts);
  }
  return s.mode & 0o777;
}

/** Writes `data` to `path` (see the file comment); throws OutputFileError, having written nothing, when it must not. */
export async function writeOutputFile(path: string, data: string, opts: WriteOutputFileOptions = {}): Promise<void> {
  const mode = await checkOutputPath(path, opts);
  try {
    // Resolved against process.cwd() like every path pcplan opens (messages keep it as given).
    await writeFileAtomic(resolve(path), data, { overwrite: opts.overwrite !== false, ...(mode !== undefined ? { mode } : {}) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      const hint = opts.overwriteHint ? `; ${opts.overwriteHint}` : "";
      throw new OutputFileError(path, `refusing to overwrite: another process created it while pcplan was writing${hint}`, opts, { cause: err });
    }
    throw new OutputFileError(path, `cannot write (${describeErrno(err)})`, opts, { cause: err });
  }
}

function describeErrno(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    ENOTDIR: "a parent is not a directory",
    EISDIR: "it is a directory",
    EROFS: "read-only file system",
    ENOSPC: "no space left on the device",
    ENAMETOOLONG: "the name is too long",
    ELOOP: "too many symbolic links in the path",
  };
  return e.code ? `${known[e.code] ?? "error"}: ${e.code}` : String(err);
}

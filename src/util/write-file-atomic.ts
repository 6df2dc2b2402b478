import { randomBytes } from "node:crypto";
import { chmod, link, lstat, mkdir, rename, unlink, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

export interface WriteFileAtomicOptions {
  /** false: fail with EEXIST when the path exists (default true: replace it). */
  overwrite?: boolean;
  /** Permission bits of the new file (default 0o666 less the umask). */
  mode?: number;
}

/**
 * Write to a temp file beside the target, then rename: readers never see half a file.
 * Without overwrite, a hard link publishes the temp file instead, which fails with EEXIST
 * when the name is taken, so two writers never replace each other's file.
 */
export async function writeFileAtomic(given: string, data: string, opts: WriteFileAtomicOptions = {}): Promise<void> {
  // Resolved against process.cwd() (which test workers may keep for themselves), like every path pcplan opens.
  const path = resolve(given);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    // wx: never follow or reuse whatever might already sit at the temp name.
    await writeFile(tmp, data, { encoding: "utf8", flag: "wx", ...(opts.mode !== undefined ? { mode: opts.mode } : {}) });
    if (opts.mode !== undefined) await chmod(tmp, opts.mode); // the umask narrowed the create mode
    if (opts.overwrite === false) {
      await publishWithoutOverwrite(tmp, path);
    } else {
      await rename(tmp, path);
    }
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

async function publishWithoutOverwrite(tmp: string, path: string): Promise<void> {
  try {
    await link(tmp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A file system without hard links: check, then rename (a narrow race instead of none).
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw err;
    const taken = await lstat(path).then(
      () => true,
      (e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? false : Promise.reject(e)),
    );
    if (taken) throw Object.assign(new Error(`EEXIST: file already exists, link '${tmp}' -> '${path}'`), { code: "EEXIST", path });
    await rename(tmp, path);
    return;
  }
  await unlink(tmp);
}

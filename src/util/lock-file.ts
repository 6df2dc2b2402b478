/**
 * A lock file for work two pcplan processes must not do at once on one machine (two applies, two
 * sandboxes sharing one state file). Created whole and exclusively (a temp file with the holder's
 * pid and host, hard-linked into place: the link fails if the lock exists), so nobody ever reads
 * a half-written lock;
 * a lock whose process is gone (killed with -9) is taken over, so a crash never wedges the next run.
 */
import { hostname } from "node:os";
import { unlinkSync } from "node:fs";
import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { PcplanError } from "../errors.js";

export interface Lock {
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  host: string;
  since: string;
  what: string;
}

export async function acquireLock(path: string, what: string): Promise<Lock> {
  await mkdir(dirname(path), { recursive: true });
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), what };
  for (let attempt = 0; attempt < 3; attempt++) {
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(me) + "\n", "utf8");
    try {
      await link(tmp, path);
      return lockAt(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
    const holder = await readHolder(path);
    if (holder && alive(holder)) {
      throw new PcplanError(
        "LOCKED",
        `${holder.what} (pid ${holder.pid} on ${holder.host}, since ${holder.since}) holds ${path}; wait for it to finish. If no such process runs, delete the file`,
      );
    }
    // The holder is gone: take over its stale lock, then try again (another process may race us).
    await unlink(path).catch(() => undefined);
  }
  throw new PcplanError("LOCKED", `could not take the lock ${path}; try again`);
}

function lockAt(path: string): Lock {
  let released = false;
  const onExit = () => {
    // Last resort on a normal exit without release(); a kill -9 is handled by the next run.
    try {
      if (!released) unlinkSync(path);
    } catch {
      /* nothing to do */
    }
  };
  process.once("exit", onExit);
  return {
    async release() {
      if (released) return;
      released = true;
      process.off("exit", onExit);
      await unlink(path).catch(() => undefined);
    },
  };
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const h = JSON.parse(await readFile(path, "utf8")) as Partial<Holder>;
    return typeof h.pid === "number" && typeof h.host === "string" ? { pid: h.pid, host: h.host, since: String(h.since), what: String(h.what ?? "another pcplan") } : undefined;
  } catch {
    return undefined; // not a lock pcplan wrote: stale
  }
}

/** A holder on another host cannot be checked: it counts as alive (shared folders). */
function alive(h: Holder): boolean {
  if (h.host !== hostname()) return true;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

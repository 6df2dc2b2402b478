/**
 * A lock file for work two pcplan processes must not do at once on one machine (two applies, two
 * sandboxes sharing one state file). Created whole and exclusively (a temp file with the holder's
 * pid and host, hard-linked into place: the link fails if the lock exists), so nobody ever reads
 * a half-written lock;
 * a lock whose process is gone (killed with -9) is taken over, so a crash never wedges the next run.
 * Taking over is exclusive too (a guard file beside the lock): two runs that both find the same
 * stale lock must not both delete it — the slower one would delete the faster one's fresh lock,
 * and both would run.
 */
import { hostname } from "node:os";
import { unlinkSync } from "node:fs";
import { link, readFile, unlink, writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { dirname, resolve } from "node:path";
import { PcplanError } from "../errors.js";
import { ensureStateDir, stateDirError } from "./state-files.js";

export interface Lock {
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  host: string;
  since: string;
  what: string;
}

/** Attempts at most: each is a link, or a takeover of a stale lock, or a wait for another run's takeover. */
const MAX_ATTEMPTS = 50;

export async function acquireLock(given: string, what: string): Promise<Lock> {
  const path = resolve(given);
  await ensureStateDir(dirname(path));
  try {
    return await lockOnce(path, what);
  } catch (err) {
    // A folder that cannot be written (read-only, not a folder) is named with the fix, not a stack.
    throw err instanceof PcplanError ? err : await stateDirError(dirname(path), err);
  }
}

async function lockOnce(path: string, what: string): Promise<Lock> {
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), what };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (await linkLock(path, me)) return lockAt(path);
    const seen = await readLock(path);
    if (seen === undefined) continue; // released in between: try again
    if (seen.holder && alive(seen.holder)) {
      const h = seen.holder;
      throw new PcplanError(
        "LOCKED",
        `${h.what} (pid ${h.pid} on ${h.host}, since ${h.since}) holds ${path}; wait for it to finish. If no such process runs, delete the file`,
      );
    }
    await takeOver(path, seen.text, me);
  }
  throw new PcplanError("LOCKED", `could not take the lock ${path}; try again`);
}

/** Creates the lock file whole, or returns false when one exists. */
async function linkLock(path: string, me: Holder): Promise<boolean> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(me) + "\n", "utf8");
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return false;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/**
 * Deletes the stale lock whose text was `staleText`, holding the takeover guard, and only if the
 * lock is still that one: a lock another run took meanwhile is left alone (the caller then finds
 * it alive). A guard whose run is gone (it died in the instant of its takeover) is removed.
 */
async function takeOver(path: string, staleText: string, me: Holder): Promise<void> {
  const guard = `${path}.takeover`;
  if (!(await linkLock(guard, me))) {
    const g = await readLock(guard);
    if (g?.holder && alive(g.holder)) await sleep(10);
    else await unlink(guard).catch(() => undefined);
    return;
  }
  try {
    if ((await readLock(path))?.text === staleText) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(guard).catch(() => undefined);
  }
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

/** The lock's text and its holder (undefined when it is not a lock pcplan wrote: stale); undefined when there is none. */
async function readLock(path: string): Promise<{ text: string; holder: Holder | undefined } | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    const holder =
      typeof h.pid === "number" && typeof h.host === "string"
        ? { pid: h.pid, host: h.host, since: String(h.since), what: String(h.what ?? "another pcplan") }
        : undefined;
    return { text, holder };
  } catch {
    return { text, holder: undefined };
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

/**
 * State on disk: one JSON file, replaced atomically (write a temp file, fsync, rename) so a
 * crash leaves either the old or the new state. Writes are serialized and coalesced: a
 * request waits for a write that started after its change, never for a queue of them.
 */
import { open, readFile, rename, unlink } from "node:fs/promises";
import { PcplanError } from "../errors.js";
import type { SandboxWorld } from "./types.js";
import { SANDBOX_STATE_VERSION } from "./world-types.js";

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fh = await open(tmp, "w");
  try {
    await fh.writeFile(data, "utf8");
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

export class Persister {
  private chain: Promise<void> = Promise.resolve();
  private pending: Promise<void> | undefined;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => string,
  ) {}

  /** Resolves once a write that includes every change made before this call is on disk. */
  persist(): Promise<void> {
    if (!this.pending) {
      const run = this.chain.then(async () => {
        // From here on, new changes need a new write: this one's snapshot may miss them.
        this.pending = undefined;
        await writeFileAtomic(this.path, this.snapshot());
      });
      this.pending = run;
      this.chain = run.catch(() => undefined);
    }
    return this.pending;
  }

  /** Waits for writes already started or queued. */
  flush(): Promise<void> {
    return this.pending ?? this.chain;
  }
}

/** Reads a saved state, or undefined when the file does not exist. */
export async function loadState(path: string): Promise<SandboxWorld | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new PcplanError("SANDBOX_STATE_INVALID", `${path}: sandbox state is not valid JSON (${(err as Error).message})`);
  }
  const w = parsed as Partial<SandboxWorld> | null;
  if (!w || !Array.isArray(w.customers) || !Array.isArray(w.credentials)) {
    throw new PcplanError("SANDBOX_STATE_INVALID", `${path}: not a pcplan sandbox state file (formatVersion ${SANDBOX_STATE_VERSION} expected)`);
  }
  // A state an older pcplan wrote lacks what this one models (app consents, groups): never read as if it had none.
  if (w.formatVersion !== SANDBOX_STATE_VERSION) {
    throw new PcplanError(
      "SANDBOX_STATE_INVALID",
      `${path}: a sandbox state of another pcplan version (formatVersion ${String(w.formatVersion)}; this one reads ${SANDBOX_STATE_VERSION}): delete it to start the demo world afresh`,
    );
  }
  return w as SandboxWorld;
}

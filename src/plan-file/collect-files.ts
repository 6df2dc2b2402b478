import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";

export type CollectedPath = { kind: "file"; abs: string } | { kind: "missing"; abs: string; given: string } | { kind: "empty-dir"; abs: string };

const PLAN_FILE = /\.ya?ml$/i;

/**
 * Expands the given paths: files as given (any extension), directories to their *.yaml/*.yml
 * files, recursively, skipping dot-folders and node_modules, without following symlinked folders.
 * Sorted, each file once.
 */
export async function collectFiles(paths: readonly string[], cwd: string): Promise<CollectedPath[]> {
  const out: CollectedPath[] = [];
  const seen = new Set<string>();
  for (const given of paths) {
    const abs = resolve(cwd, given);
    const info = await stat(abs).catch(() => undefined);
    if (!info) {
      out.push({ kind: "missing", abs, given });
    } else if (info.isDirectory()) {
      const files = (await walk(abs)).sort();
      if (files.length === 0) out.push({ kind: "empty-dir", abs });
      for (const f of files) {
        if (seen.has(f)) continue;
        seen.add(f);
        out.push({ kind: "file", abs: f });
      }
    } else if (!seen.has(abs)) {
      seen.add(abs);
      out.push({ kind: "file", abs });
    }
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return e.name.startsWith(".") || e.name === "node_modules" ? [] : walk(p);
      if (PLAN_FILE.test(e.name) && (e.isFile() || (e.isSymbolicLink() && (await stat(p).catch(() => undefined))?.isFile()))) return [p];
      return [];
    }),
  );
  return nested.flat();
}

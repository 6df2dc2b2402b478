import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { PcplanError } from "../errors.js";
import { loadPlans, type Diagnostic } from "../plan-file/index.js";
import { collectFiles } from "../plan-file/collect-files.js";

/** The customers and plan names the existing plan files already use: discover leaves them out. */
export interface Planned {
  /** Lowercase customer ids in the plans. */
  ids: ReadonlySet<string>;
  /** metadata.name → the file that uses it. */
  names: ReadonlyMap<string, string>;
  /** Plan files read. */
  files: number;
  /** Problems of the plan files (a file with errors gives no customers). */
  problems: Diagnostic[];
}

const NOTHING_PLANNED: Planned = { ids: new Set(), names: new Map(), files: 0, problems: [] };

/**
 * Reads the existing plans, except the file discover is about to replace (`--out … --force`):
 * its customers are discovered again. The default folder may be absent (nothing is planned
 * yet); a path the user named must exist.
 */
export async function readPlanned(paths: readonly string[], opts: { defaulted: boolean; replacing?: string; cwd?: string }): Promise<Planned> {
  const cwd = opts.cwd ?? process.cwd();
  if (opts.defaulted && !paths.some((p) => existsSync(resolve(cwd, p)))) return NOTHING_PLANNED;
  const replacing = opts.replacing === undefined ? undefined : resolve(cwd, opts.replacing);
  const collected = (await collectFiles(paths, cwd)).filter((c) => c.abs !== replacing);
  const missing = collected.find((c) => c.kind === "missing");
  if (missing) throw new PcplanError("NO_PLANS", `${missing.given}: no such plan file or folder (the plans whose customers discover leaves out)`);
  const given = collected.filter((c) => c.kind === "file").map((c) => c.abs);
  if (given.length === 0) return NOTHING_PLANNED;
  const loaded = await loadPlans(given, { cwd });
  return {
    ids: new Set(loaded.plans.flatMap((p) => p.customers.map((c) => c.id))),
    names: new Map(loaded.plans.map((p) => [p.name, p.file])),
    files: loaded.files.length,
    problems: loaded.diagnostics.filter((d) => d.severity === "error"),
  };
}

/** `base`, or `base-2`, `base-3`, … the first name no existing plan uses (metadata.name is unique across plans). */
export function freePlanName(base: string, taken: ReadonlyMap<string, string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const suffix = `-${i}`;
    const name = `${base.slice(0, 63 - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!taken.has(name)) return name;
  }
}

/** "7 customers already in plans were not read (pass --include-planned to list them too)". */
export function leftOutLine(planned: Planned, where: readonly string[]): string {
  const n = planned.ids.size;
  return `${n} customer${n === 1 ? "" : "s"} already in ${where.join(", ")} left out (not read; --include-planned lists them too)`;
}

/**
 * What `apply FILE` says when it refuses a saved plan: only what changed, and only the way out
 * that exists. Pure wording over plain data.
 */

export interface PlanFileHash {
  path: string;
  sha256: string;
}

/**
 * The saved plan's files whose content differs from what it was when the plan was saved, and
 * files read now that it did not name; in path order. Not every file: a comment added to one
 * of five files names that one.
 */
export function changedPlanFiles(saved: readonly PlanFileHash[], now: readonly PlanFileHash[]): string[] {
  const before = new Map(saved.map((f) => [f.path, f.sha256]));
  const after = new Map(now.map((f) => [f.path, f.sha256]));
  const paths = new Set([...before.keys(), ...after.keys()]);
  const changed = [...paths].filter((p) => before.get(p) !== after.get(p)).sort();
  // The set hash differed, so something did: should no single file show it, name them all.
  return changed.length > 0 ? changed : [...before.keys()].sort();
}

/**
 * The verdict on stale customers. `--partial` is offered only when some other customer of the
 * saved plan still has changes to apply: otherwise it would apply nothing.
 */
export function staleRefusal(stale: number, othersWithChanges: number): string {
  const who = stale === 1 ? "1 customer" : `${stale} customers`;
  const partial =
    othersWithChanges > 0
      ? `, or apply the changes of the other ${othersWithChanges === 1 ? "customer" : `${othersWithChanges} customers`} with --partial`
      : "";
  return `${who} changed since the plan was saved; nothing was applied. Run plan again${partial}`;
}

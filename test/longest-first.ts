import { BaseSequencer, type TestSpecification, type Vitest } from "vitest/node";

/**
 * The order `npm test` starts its files in. All five projects share one queue of two workers
 * (vitest 4.1: one pool, `maxWorkers` per `sequence.groupOrder`, here all 0), taken from the
 * front as a worker frees. Vitest's own order is by project name, then by last run's times kept
 * in node_modules/.vite (none on a clean clone: by file size): the 80-second soak started only
 * after every file of the browser, cli and e2e projects. Here the longest files start first, so
 * that the short ones fill the two workers' ends evenly:
 * - the longest file that spawns processes (the soak);
 * - the `e2e` files, as one block (a worker of `isolate: false` is reused only for the next file
 *   of the same project: interleaving them would load the module graph again and again), longest
 *   first within it: they wait much, and early the type-check and lint fill what they leave (RANK);
 * - the other files that spawn processes (cli, browser; each runs in a fresh worker anyway) from
 *   the longest down, by the table below, then the rest by size;
 * - then `unit`, as one block, longest first.
 * The table holds the files of 5 s and more, in seconds, as `.ci/run` took them from a clean clone
 * (2026-12-05, the type-check and lint beside them: the soak, started first, shares the cores with
 * those); where vitest kept times of an earlier run here (node_modules/.vite), those come first.
 * It only orders: a stale figure costs time, never a result.
 */
export const SECONDS: Record<string, number> = {
  "test/soak/fault.soak.test.ts": 112,
  "test/report/report.browser.test.ts": 58,
  "test/gitops/reconcile-workflow.cli.test.ts": 47,
  "test/safety/apply-race.cli.test.ts": 39,
  "test/hostile/secrets.cli.test.ts": 37,
  "test/gitops/pr-workflow.cli.test.ts": 37,
  "test/graph/e2e-graph.cli.test.ts": 29,
  "test/e2e/group-licences.cli.test.ts": 28,
  "test/docs/doc-commands.cli.test.ts": 27,
  "test/safety/state-files.cli.test.ts": 26,
  "test/report/report-worlds.browser.test.ts": 20,
  "test/safety/run-timeout.e2e.test.ts": 28,
  "test/safety/hostile-answers.e2e.test.ts": 14,
  "test/e2e/new-commerce.e2e.test.ts": 11,
  "test/e2e/orders.e2e.test.ts": 11,
  "test/e2e/transitions.e2e.test.ts": 7,
};

/**
 * A larger rank starts later: the longest process file (the soak), then `e2e` as one block, then
 * the other process files, then `unit`. The `e2e` files wait a good part of their time (time
 * limits, provisioning polls, a sandbox's latency) and so go early, while the type-check and the
 * lint run beside the tests and fill the core they leave idle; last at the queue's end, they left
 * both cores a third to four fifths idle for the last minute of `.ci/run` (sampled every 5 s,
 * 2026-12-05). `unit`, short and busy, fills the workers' ends.
 */
const RANK: Record<string, number> = { e2e: 1, unit: 3 };
const PROCESS_AFTER_FIRST = 2;

/** What vitest kept of a test file's last run (node_modules/.vite): its path, duration (ms, if it ran) and size. */
export function lastRunOf(ctx: Vitest, f: TestSpecification): { path: string; durationMs: number | undefined; size: number } {
  const root = `${ctx.config.root}/`;
  const path = f.moduleId.startsWith(root) ? f.moduleId.slice(root.length) : f.moduleId;
  const id = `${f.project.name}:${path}`;
  return { path, durationMs: ctx.cache.getFileTestResults(id)?.duration, size: ctx.cache.getFileStats(id)?.size ?? 0 };
}

export default class LongestFirst extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const key = (f: TestSpecification) => {
      const { path, durationMs, size } = lastRunOf(this.ctx, f);
      const seconds = durationMs === undefined ? (SECONDS[path] ?? 0) : durationMs / 1000;
      return { rank: RANK[f.project.name] ?? 0, seconds, size };
    };
    const keys = new Map(files.map((f) => [f, key(f)]));
    // Process files after the longest go after the e2e block.
    const longest = Math.max(0, ...[...keys.values()].filter((k) => k.rank === 0).map((k) => k.seconds));
    for (const k of keys.values()) if (k.rank === 0 && k.seconds < longest) k.rank = PROCESS_AFTER_FIRST;
    const sorted = [...files].sort((a, b) => {
      const ka = keys.get(a);
      const kb = keys.get(b);
      if (!ka || !kb) return 0;
      return ka.rank - kb.rank || kb.seconds - ka.seconds || kb.size - ka.size;
    });
    return Promise.resolve(sorted);
  }
}

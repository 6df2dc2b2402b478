import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The order Stryker's runs take a mutant's test files in (vitest.mutate.config.ts): the shortest
 * first, by the times vitest kept of their last run (node_modules/.vite), else by size. Stryker
 * stops at a mutant's first failing test, and vitest's own order starts with the longest file, so
 * a mutant that a 10 ms unit test kills first ran a whole-transport simulation of seconds. Only
 * the order changes, never which tests run.
 */
export default class ShortestFirst extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = `${this.ctx.config.root}/`;
    const cost = (f: TestSpecification) => {
      const path = f.moduleId.startsWith(root) ? f.moduleId.slice(root.length) : f.moduleId;
      const id = `${f.project.name}:${path}`;
      return this.ctx.cache.getFileTestResults(id)?.duration ?? this.ctx.cache.getFileStats(id)?.size ?? 0;
    };
    const costs = new Map(files.map((f) => [f, cost(f)]));
    return Promise.resolve([...files].sort((a, b) => (costs.get(a) ?? 0) - (costs.get(b) ?? 0)));
  }
}

import { BaseSequencer, type TestSpecification } from "vitest/node";
import { lastRunOf } from "../test/longest-first.js";

/**
 * The order Stryker's runs take a mutant's test files in (vitest.mutate.config.ts): the shortest
 * first, by the times vitest kept of their last run (node_modules/.vite), else by size. Stryker
 * stops at a mutant's first failing test, and vitest's own order starts with the longest file, so
 * a mutant that a 10 ms unit test kills first ran a whole-transport simulation of seconds. Only
 * the order changes, never which tests run.
 */
export default class ShortestFirst extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cost = (f: TestSpecification) => {
      const { durationMs, size } = lastRunOf(this.ctx, f);
      return durationMs ?? size;
    };
    const costs = new Map(files.map((f) => [f, cost(f)]));
    return Promise.resolve([...files].sort((a, b) => (costs.get(a) ?? 0) - (costs.get(b) ?? 0)));
  }
}

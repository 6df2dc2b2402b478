import { defineConfig } from "vitest/config";
import { mutateTests } from "./scripts/mutate-groups.js";
import ShortestFirst from "./scripts/mutate-sequencer.js";

/**
 * The tests Stryker runs against each mutant: those of the group named by `PCPLAN_MUTATE_GROUP`
 * (scripts/mutate-groups.ts; scripts/mutate.ts sets it per run), or every group's without it.
 * In-process only: Stryker switches mutants inside this process, so tests that spawn the built CLI
 * would not see them. See docs/testing.md, "Mutation testing".
 */
export default defineConfig({
  test: {
    include: mutateTests(process.env.PCPLAN_MUTATE_GROUP),
    exclude: ["test/**/*.cli.test.ts", "test/**/*.browser.test.ts", "test/**/*.e2e.test.ts", "test/soak/**"],
    testTimeout: 30_000,
    setupFiles: ["test/helpers/thread-cwd.ts"],
    pool: "forks",
    isolate: false,
    sequence: { sequencer: ShortestFirst },
  },
});

import { defineConfig } from "vitest/config";

/**
 * The tests `npm run mutate` runs against each mutant: the in-process ones over the modules it
 * mutates, commands run through `main` included (Stryker switches mutants inside this process, so
 * tests that spawn the built CLI would not see them; they are excluded). See docs/testing.md.
 */
export default defineConfig({
  test: {
    include: [
      "test/reconcile/**/*.test.ts",
      "test/apply/**/*.test.ts",
      "test/actions/**/*.test.ts",
      "test/saved-plan/**/*.test.ts",
      "test/render/**/*.test.ts",
      "test/gitops/status.test.ts",
      "test/gitops/discover.test.ts",
      "test/gitops/discover.e2e.test.ts",
      "test/gitops/shard.test.ts",
      "test/gitops/shard.e2e.test.ts",
      "test/partner-center/**/*.test.ts",
      "test/http/**/*.test.ts",
      "test/cli/**/*.test.ts",
      "test/e2e/**/*.test.ts",
      "test/safety/**/*.test.ts",
    ],
    exclude: ["test/**/*.cli.test.ts", "test/**/*.browser.test.ts", "test/soak/**"],
    testTimeout: 30_000,
    setupFiles: ["test/helpers/thread-cwd.ts"],
    pool: "forks",
  },
});

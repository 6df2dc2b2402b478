import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    reporters: ["default", "./test/plain-summary-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores here and in CI: forks keep sandboxes and CLI children isolated.
    pool: "forks",
  },
});

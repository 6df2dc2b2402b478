import { defineConfig } from "vitest/config";

/**
 * Four projects (docs/testing.md). `npm run test:unit` is the loop to run after every change: the
 * in-process tests, no build. `npm test` runs them all, as CI does.
 * - unit: every `*.test.ts` not named below; in-process, sharing one module graph per worker.
 * - cli: `*.cli.test.ts`, tests of the shipped CLI as a child process (dist/ built when stale).
 * - browser: `*.browser.test.ts`, the HTML report in Chromium.
 * - soak: `test/soak/`, long fault-injection runs.
 */
const shared = { testTimeout: 30_000, hookTimeout: 30_000, pool: "forks" as const, maxWorkers: 2 };
/**
 * A test that starts several processes waits on the machine, not only on pcplan: on a busy 2-core
 * runner one such test took 29–40 s. Its timeout guards against a hang, it measures nothing (speed
 * is `npm run bench`), so it is sized for a loaded machine.
 */
const processShared = { ...shared, testTimeout: 120_000, hookTimeout: 60_000 };
const processTests = ["test/**/*.cli.test.ts", "test/**/*.browser.test.ts", "test/soak/**"];

export default defineConfig({
  test: {
    reporters: ["default", "./test/plain-summary-reporter.ts"],
    projects: [
      {
        test: { ...shared, name: "unit", include: ["test/**/*.test.ts"], exclude: processTests, isolate: false, setupFiles: ["test/helpers/fresh-secrets.ts"] },
      },
      { test: { ...processShared, name: "cli", include: ["test/**/*.cli.test.ts"], globalSetup: ["test/global-setup.ts"] } },
      { test: { ...processShared, name: "browser", include: ["test/**/*.browser.test.ts"], globalSetup: ["test/global-setup.ts"] } },
      { test: { ...processShared, name: "soak", include: ["test/soak/**/*.test.ts"], globalSetup: ["test/global-setup.ts"] } },
    ],
  },
});

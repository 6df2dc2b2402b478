import { defineConfig } from "vitest/config";
import LongestFirst from "./test/longest-first.js";

/**
 * Five projects (docs/testing.md). `npm run test:unit` is the loop to run after every change: the
 * in-process tests, no build. `npm test` runs them all, as CI does.
 * - unit: every `*.test.ts` not named below; in-process, sharing one module graph per worker.
 * - e2e: `*.e2e.test.ts`, end to end in-process (`main` against a sandbox over HTTP, whole
 *   applies): as unit, kept out of its 30-second loop (`npm run test:e2e`).
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
const e2eTests = ["test/**/*.e2e.test.ts"];
const inProcess = { ...shared, isolate: false, setupFiles: ["test/helpers/fresh-secrets.ts"] };

export default defineConfig({
  test: {
    reporters: ["default", "./test/plain-summary-reporter.ts"],
    // One queue for all projects, the longest files first (test/longest-first.ts).
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: { ...inProcess, name: "unit", include: ["test/**/*.test.ts"], exclude: [...processTests, ...e2eTests] },
      },
      { test: { ...inProcess, name: "e2e", include: e2eTests, exclude: processTests } },
      { test: { ...processShared, name: "cli", include: ["test/**/*.cli.test.ts"], globalSetup: ["test/global-setup.ts"] } },
      { test: { ...processShared, name: "browser", include: ["test/**/*.browser.test.ts"], globalSetup: ["test/global-setup.ts"] } },
      { test: { ...processShared, name: "soak", include: ["test/soak/**/*.test.ts"], globalSetup: ["test/global-setup.ts"] } },
    ],
  },
});

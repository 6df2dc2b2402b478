/**
 * For `npm run mutate` only (vitest.mutate.config.ts). Stryker's vitest runner forces worker
 * threads, where `process.chdir` is not supported, and the in-process CLI tests run `main` from
 * their temp folder (test/helpers/in-process.ts). Here the thread keeps its own working folder:
 * `process.cwd()` (and so `path.resolve`) answers it. pcplan resolves every path it opens
 * against `process.cwd()` (plan paths, `.pcplan/`, `--out`), so the runs behave as from that
 * folder; a path opened unresolved would land in the repository and fail the dry run loudly.
 */
import { resolve } from "node:path";
import { isMainThread } from "node:worker_threads";

if (!isMainThread) {
  let cwd = process.cwd();
  process.cwd = () => cwd;
  process.chdir = (dir: string) => {
    cwd = resolve(cwd, dir);
  };
}

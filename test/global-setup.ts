import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "..");

/** The newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

/**
 * Builds dist/ before the tests that spawn the shipped entry (bin/pcplan.js), only when a source
 * is newer than the last build: a child starts in half the time of a tsx one, tests run what users
 * run, and a second run in a row does not pay for the build again. `npm run build` (which `npm ci`
 * runs as `prepare`) writes the same stamp: a clean clone's CI builds once.
 */
export default function setup(): void {
  const stamp = join(repo, "dist/.build-stamp");
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const inputs = Math.max(newest(join(repo, "src")), statSync(join(repo, "tsconfig.build.json")).mtimeMs, statSync(join(repo, "tsconfig.json")).mtimeMs);
  if (built > inputs) return;
  execFileSync(process.execPath, [join(repo, "node_modules/typescript/bin/tsc"), "-p", join(repo, "tsconfig.build.json")], { stdio: "inherit" });
  // The rest of `npm run build`: the precompiled plan validator (src/plan-file/precompile.ts).
  execFileSync(process.execPath, ["--import", "tsx", join(repo, "scripts/precompile-schemas.ts")], { cwd: repo, stdio: "inherit" });
  writeFileSync(stamp, "");
}

import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";

/**
 * Builds dist/ once before the suite so CLI tests spawn the shipped entry (bin/pcplan.js)
 * from fresh sources: it starts in half the time of a tsx child, and tests run what users run.
 */
export default function setup(): void {
  const repo = resolve(import.meta.dirname, "..");
  execFileSync(process.execPath, [join(repo, "node_modules/typescript/bin/tsc"), "-p", join(repo, "tsconfig.build.json")], { stdio: "inherit" });
}

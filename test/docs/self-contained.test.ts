import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { processIo } from "../../src/cli/io.js";
import { registerCommands } from "../../src/cli/commands/index.js";
import { REPO } from "../helpers/cli.js";

/** What a partner's clone holds: everything but installed, built and run-time folders. */
const SKIP = new Set([".git", "node_modules", "dist", "coverage", ".pcplan", "reports", ".stryker-tmp"]);

function repoFiles(dir = REPO): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return repoFiles(path);
    return e.isFile() && /\.(md|ts|js|json|ya?ml|txt|sh)$|^run$/.test(e.name) ? [relative(REPO, path)] : [];
  });
}

describe("the repository stands on its own", () => {
  it("no doc, code or comment points at paths that exist only in the workspace it was built in", () => {
    // Spelled in pieces so this file does not match itself.
    const workspace = new RegExp(["\\.\\./", "shared/"].join("") + "|" + ["/work", "/"].join(""));
    const hits = repoFiles().flatMap((file) =>
      readFileSync(join(REPO, file), "utf8")
        .split("\n")
        .flatMap((line, i) => (workspace.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });

  it("the README's command table lists every command", async () => {
    const program = new Command();
    await registerCommands(program, { io: processIo(), finish: () => undefined });
    const commands = program.commands.map((c) => c.name()).sort();
    expect(commands.length).toBeGreaterThanOrEqual(7);
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const listed = [...readme.matchAll(/^\| `pcplan (\w+)/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(commands);
  });
});

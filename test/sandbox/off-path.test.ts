/**
 * The sandbox is a test double and demo, not part of the product: the engine loads it by dynamic
 * import, for `--sandbox` and `pcplan sandbox` only. A static import anywhere outside src/sandbox/
 * fails here. undici, once kept at run time only to trust the sandbox's certificate, is a
 * development dependency now: pcplan sends over node:http(s), given that certificate as a `ca`.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/cli.js";

const SRC = join(REPO, "src");
const files = readdirSync(SRC, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith(".ts"))
  .map((e) => join(e.parentPath, e.name));

/** Static imports and re-exports that are not type-only: `import x from "…"`, `export … from "…"`, `import "…"`. */
function valueImports(text: string): string[] {
  const statements = text.match(/^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+"[^"]+"|^import\s+"[^"]+"/gm) ?? [];
  return statements.map((s) => /"([^"]+)"$/.exec(s)?.[1] ?? "");
}

describe("the sandbox off the product's path", () => {
  const engine = files.filter((f) => !relative(SRC, f).startsWith("sandbox/"));

  it("finds the engine's files and their imports (the scan itself works)", () => {
    expect(engine.length).toBeGreaterThan(50);
    expect(valueImports(readFileSync(join(SRC, "cli/connection.ts"), "utf8"))).toContain("../util/lock-file.js");
  });

  it("no engine file imports the sandbox statically", () => {
    const offending = engine.flatMap((f) =>
      valueImports(readFileSync(f, "utf8"))
        .filter((spec) => /(^|\/)sandbox\//.test(spec))
        .map((spec) => `${relative(REPO, f)} → ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it("undici is no runtime dependency: no file of src/ imports it, and a partner's install does not bring it", () => {
    const users = files.filter((f) => /\bimport\(\s*"undici"\s*\)|from\s+"undici"/.test(readFileSync(f, "utf8"))).map((f) => relative(REPO, f));
    expect(users).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies)).not.toContain("undici");
    // The tests' own https calls to the sandbox still use it (test/helpers/trust.ts): the scan above would see a src/ user.
    expect(readFileSync(join(REPO, "test/helpers/trust.ts"), "utf8")).toMatch(/import\("undici"\)/);
  });

  it("--sandbox and `pcplan sandbox` load it by dynamic import", () => {
    expect(readFileSync(join(SRC, "cli/connection.ts"), "utf8")).toMatch(/await import\("\.\.\/sandbox\/index\.js"\)/);
    expect(readFileSync(join(SRC, "cli/commands/sandbox.ts"), "utf8")).toMatch(/await import\("\.\.\/\.\.\/sandbox\/serve\.js"\)/);
  });
});

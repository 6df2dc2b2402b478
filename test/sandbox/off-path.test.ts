/**
 * The sandbox is a test double and demo, not part of the product: the engine loads it (and the
 * fetch that trusts its self-signed certificate, the only user of undici) by dynamic import, for
 * `--sandbox` and `pcplan sandbox` only. A static import anywhere outside src/sandbox/ fails here.
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

  it("no engine file imports the sandbox or the sandbox's certificate trust statically", () => {
    const offending = engine.flatMap((f) =>
      valueImports(readFileSync(f, "utf8"))
        .filter((spec) => /(^|\/)sandbox\/|(^|\/)graph\/trust\.js$|^\.\/trust\.js$/.test(spec))
        .map((spec) => `${relative(REPO, f)} → ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it("undici is imported by the sandbox's certificate trust alone, and only when first needed", () => {
    const users = files.filter((f) => /\bimport\(\s*"undici"\s*\)|from\s+"undici"/.test(readFileSync(f, "utf8"))).map((f) => relative(REPO, f));
    expect(users.flatMap((f) => valueImports(readFileSync(join(REPO, f), "utf8")))).not.toContain("undici");
    expect(users).toEqual(["src/graph/trust.ts"]);
  });

  it("--sandbox and `pcplan sandbox` load it by dynamic import", () => {
    expect(readFileSync(join(SRC, "cli/connection.ts"), "utf8")).toMatch(/await import\("\.\.\/sandbox\/index\.js"\)/);
    expect(readFileSync(join(SRC, "cli/commands/sandbox.ts"), "utf8")).toMatch(/await import\("\.\.\/\.\.\/sandbox\/serve\.js"\)/);
  });
});

/**
 * The closed set of error codes (src/errors.ts) stays the set in use: a code no source file
 * raises any more is taken off the list, so the list documents what a caller can meet.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/errors.js";

const SRC = join(import.meta.dirname, "../../src");

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => join(e.parentPath, e.name));
}

describe("error codes", () => {
  it("lists only codes some module raises", async () => {
    const files = (await sources(SRC)).filter((f) => !f.endsWith("/src/errors.ts"));
    const text = (await Promise.all(files.map((f) => readFile(f, "utf8")))).join("\n");
    const unused = Object.keys(ERROR_CODES).filter((code) => !text.includes(`"${code}"`));
    expect(unused).toEqual([]);
  });
});

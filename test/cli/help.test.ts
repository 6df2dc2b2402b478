/**
 * Issue 12, what people read first: `--help` of pcplan and of every command it lists ends with an
 * Examples block of runnable pcplan lines. Run in-process through `main` (test/helpers/in-process.ts):
 * the help text is commander's output of the command wiring, not the process's. (Colour off a
 * terminal, which is the process's environment and streams: colour.cli.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { tempCheckout } from "../helpers/cli.js";
import { runMain } from "../helpers/in-process.js";

describe("--help", () => {
  it("of pcplan and of every command it lists ends with runnable examples", async () => {
    const cwd = await tempCheckout();
    const root = await runMain(["--help"], { cwd });
    expect(root.code).toBe(0);
    const commands = [...(root.stdout.split("Commands:\n")[1] ?? "").matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]).filter((c) => c !== "help");
    expect(commands).toEqual(expect.arrayContaining(["plan", "apply", "show", "status", "discover", "validate", "sandbox"]));
    for (const [name, r] of [
      ["pcplan", root] as const,
      ...(await Promise.all(commands.map(async (c) => [c, await runMain([c, "--help"], { cwd })] as const))),
    ]) {
      expect(r.code, name).toBe(0);
      const examples = r.stdout.split("\nExamples:\n")[1];
      expect(examples, `${name} --help has no Examples block`).toBeDefined();
      const lines = examples.trimEnd().split("\n");
      expect(lines.length, name).toBeGreaterThan(0);
      for (const l of lines) expect(l, name).toMatch(/^ {2}\$ (\S+=\S+ )?pcplan /);
    }
  });
});

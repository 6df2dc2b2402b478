/**
 * `npx pcplan plan --sandbox` shows every kind of action on any day: the demo world's dates are
 * relative to the sandbox clock (docs/demo-world.md). Run in-process, as a user runs it (the
 * sandbox loaded by --sandbox, its state in the checkout's .pcplan/), on a clock set a month and
 * a year ahead of today; asserts on the JSON preview's kinds.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { Io } from "../../src/cli/io.js";
import { REPO } from "../helpers/cli.js";

interface Preview {
  customers: { name: string; actions: { kind: string; commerce?: string }[]; notes?: unknown[] }[];
}

function memoryIo(): Io & { stdout: () => string; stderr: () => string } {
  let out = "";
  let err = "";
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    color: false,
    interactive: false,
    progress: () => ({ update: () => undefined, end: () => undefined }),
    confirm: () => Promise.resolve(false),
    stdout: () => out,
    stderr: () => err,
  };
}

/** `pcplan plan --sandbox --now <clock> --format json` in a fresh checkout of plans/ (its own .pcplan/ state). */
async function demoPlan(clock: Date): Promise<{ code: number; preview: Preview; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), "pcplan-any-day-"));
  const cwd = process.cwd();
  try {
    await cp(join(REPO, "plans"), join(dir, "plans"), { recursive: true });
    process.chdir(dir);
    const io = memoryIo();
    const code = await main(["node", "pcplan", "plan", "--sandbox", "--now", clock.toISOString(), "--format", "json"], io);
    return { code, preview: JSON.parse(io.stdout()) as Preview, stderr: io.stderr() };
  } finally {
    process.chdir(cwd);
    await rm(dir, { recursive: true, force: true });
  }
}

/** "kind" or "purchase:legacy" / "purchase:new", for every action of the preview. */
const kinds = (p: Preview) => new Set(p.customers.flatMap((c) => c.actions.map((a) => (a.kind === "purchase" ? `purchase:${a.commerce}` : a.kind))));

// group-license: Lucerne Publishing's group "Editorial" (the sandbox's licences are read through Graph).
const EVERY_KIND = ["await", "purchase:legacy", "purchase:new", "resize", "group-license", "reassign", "suspend", "cancel", "no-renew", "transition"];

describe("the demo plan on any day", () => {
  const today = new Date();
  const ahead = (months: number) => {
    const d = new Date(today);
    d.setUTCMonth(d.getUTCMonth() + months);
    return d;
  };

  it.each([
    ["a month", ahead(1)],
    ["a year", ahead(12)],
  ])("a clock %s ahead of today still shows every kind of action", async (_label, clock) => {
    const { code, preview, stderr } = await demoPlan(clock);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect([...kinds(preview)].sort()).toEqual([...EVERY_KIND].sort());
    // The cancellation is Alpine's (inside its window), the no-renews the closed windows', the transition Fourth Coffee's.
    const byName = (name: string) => preview.customers.find((c) => c.name === name)?.actions.map((a) => a.kind) ?? [];
    expect(byName("Alpine Ski House")).toContain("cancel");
    expect(byName("Relecloud")).toEqual(expect.arrayContaining(["cancel", "no-renew"]));
    expect(byName("Fourth Coffee")).toEqual(["transition"]);
  });
});

/**
 * Issue 22 §4–§6: state files opened only as regular files (a FIFO is refused at once, never
 * waited on), a broken `.pcplan` named with its fix, a journal's torn last line never fused with
 * the next entry (and reported), and lines read in bounded memory. Real files, FIFOs and links in
 * a temp dir.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { fileAuditLog } from "../../src/apply/audit.js";
import { fileJournal } from "../../src/journal/purchase-journal.js";
import { acquireLock } from "../../src/util/lock-file.js";
import { appendStateLine, readStateFile, stateFileLines } from "../../src/util/state-files.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pcplan-state-"));
});

const fifo = (path: string) => execFileSync("mkfifo", [path]);
const collect = async (it: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const l of it) out.push(l);
  return out;
};

describe("a state file that is a FIFO", () => {
  it("is refused when read and when appended to, at once", async () => {
    const path = join(dir, "purchases.jsonl");
    fifo(path);
    await expect(readStateFile(path)).rejects.toThrow(`${path} is a FIFO (named pipe), not a regular file`);
    await expect(appendStateLine(path, "{}")).rejects.toThrow(/is a FIFO \(named pipe\), not a regular file.*remove it/);
    await expect(fileJournal(path).entries("c")).rejects.toMatchObject({ code: "STATE_FILE" });
    await expect(fileAuditLog(path).refused({ correlationId: "x", customerId: "c", reason: "r" })).rejects.toMatchObject({ code: "STATE_FILE" });
  });
});

describe("a broken .pcplan", () => {
  it.each([
    ["a dangling symbolic link", (p: string) => symlink(join(dir, "gone"), p), /is a symbolic link to .*gone, which does not exist: create that folder/],
    ["a symbolic link loop", (p: string) => symlink(p, p), /is a symbolic link that loops .*: remove the link/],
    [
      "a symbolic link to a file",
      async (p: string) => {
        await writeFile(join(dir, "afile"), "x");
        await symlink(join(dir, "afile"), p);
      },
      /is a symbolic link to .*afile, which is not a folder: remove the link/,
    ],
    ["a file", (p: string) => writeFile(p, "x"), /is a file, not a folder: move it away/],
  ])("%s: named with the fix, for the lock, the journal and the audit log", async (_what, make, message) => {
    const state = join(dir, ".pcplan");
    await make(state);
    await expect(acquireLock(join(state, "apply.lock"), "test")).rejects.toThrow(message);
    await expect(appendStateLine(join(state, "audit.jsonl"), "{}")).rejects.toThrow(message);
    await expect(readStateFile(join(state, "purchases.jsonl"))).rejects.toMatchObject({ code: "STATE_FILE" });
  });
});

describe("a journal whose last line was cut short", () => {
  it("ends the torn line before appending, and reports it", async () => {
    const path = join(dir, "purchases.jsonl");
    const whole = JSON.stringify({ time: new Date().toISOString(), customerId: "c", item: "a:b", quantity: 1, phase: "cart", cartId: "k1" });
    await writeFile(path, `${whole}\n{"time":"2026-1`);
    const warnings: string[] = [];
    const journal = fileJournal(path, Date.now, (m) => warnings.push(m));
    await journal.append({ customerId: "c", item: "a:b", quantity: 1, phase: "ordered", cartId: "k1", orderIds: ["o1"] });
    expect(warnings).toEqual([`${path}: line 2 is not a whole entry (cut short by a crash?) and is skipped`]);
    const lines = (await readFile(path, "utf8")).split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe('{"time":"2026-1');
    expect(JSON.parse(lines[2])).toMatchObject({ phase: "ordered", orderIds: ["o1"] });
    // A fresh read finds both entries: the new one was not swallowed by the torn line.
    expect((await fileJournal(path).entries("c")).map((e) => e.phase)).toEqual(["cart", "ordered"]);
  });
});

describe("reading lines", () => {
  it("reads lines across chunks, skips a line too long to be one pcplan wrote, keeps a last line without newline", async () => {
    const path = join(dir, "audit.jsonl");
    const long = "y".repeat(70_000);
    await writeFile(path, ["a", long, "b".repeat(3 * 65_536 + 5), "z".repeat(2 << 20), "c"].join("\n"));
    const got = await collect(stateFileLines(path));
    expect(got.map((l) => l.length)).toEqual([1, 70_000, 3 * 65_536 + 5, 1]);
    expect(got.at(-1)).toBe("c");
    await mkdir(join(dir, "none"));
    expect(await collect(stateFileLines(join(dir, "none", "x.jsonl")))).toEqual([]);
  });
});

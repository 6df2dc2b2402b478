/**
 * The two journals on their own (src/journal/): what a later run reads back from what an earlier
 * one wrote, which lines it skips and why, and the questions the executor asks of the purchase
 * journal (open carts, failed carts, orders not yet settled). Real files in a temp dir.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import {
  JOURNAL_HORIZON_MS,
  failedCarts,
  fileJournal,
  journalScope,
  openCart,
  unsettledOrders,
  type JournalEntry,
} from "../../src/journal/purchase-journal.js";
import { fileScheduleJournal } from "../../src/journal/schedule-journal.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pcplan-journal-"));
});

const T0 = Date.parse("2026-06-01T12:00:00.000Z");
const entry = (e: Partial<JournalEntry>): JournalEntry => ({
  time: "2026-06-01T12:00:00.000Z",
  customerId: "c1",
  item: "P:S",
  quantity: 5,
  phase: "cart",
  ...e,
});
const lines = async (path: string): Promise<unknown[]> =>
  (await readFile(path, "utf8"))
    .split("\n")
    .filter((l) => l !== "")
    .map((l): unknown => JSON.parse(l));

describe("journalScope", () => {
  it("is the endpoint without trailing slashes and the partner, both in lower case", () => {
    expect(journalScope("HTTPS://API.Partnercenter.microsoft.com//", "Partner-A")).toBe("https://api.partnercenter.microsoft.com|partner-a");
    expect(journalScope("http://127.0.0.1:8080/v1/", undefined)).toBe("http://127.0.0.1:8080/v1|");
  });

  it("keeps a slash that is not at the end", () => {
    expect(journalScope("http://h/a/b", "p")).toBe("http://h/a/b|p");
  });
});

describe("the purchase journal", () => {
  it("reads back what it appended, stamped with the time, oldest first, per customer", async () => {
    const path = join(dir, "purchases.jsonl");
    let now = T0;
    const j = fileJournal(path, () => now);
    await j.append({ customerId: "c1", item: "P:S", quantity: 5, phase: "cart", cartId: "k1" });
    now += 1000;
    await j.append({ customerId: "c2", item: "P:S", quantity: 1, phase: "cart", cartId: "k2" });
    await j.append({ customerId: "c1", item: "P:S", quantity: 5, phase: "ordered", cartId: "k1", orderIds: ["o1"] });
    const again = fileJournal(path, () => now);
    const c1 = await again.entries("c1");
    expect(c1.map((e) => [e.phase, e.time])).toEqual([
      ["cart", "2026-06-01T12:00:00.000Z"],
      ["ordered", "2026-06-01T12:00:01.000Z"],
    ]);
    expect(c1[0]).not.toHaveProperty("scope");
    expect(await again.entries("c2")).toHaveLength(1);
    // The appending instance sees its own lines, without a scope where it has none.
    const own = await j.entries("c1");
    expect(own).toHaveLength(2);
    expect(Object.keys(own[0])).not.toContain("scope");
  });

  it("forgets entries older than 48 hours, keeps one exactly 48 hours old", async () => {
    const path = join(dir, "purchases.jsonl");
    const old = (ms: number) => JSON.stringify(entry({ time: new Date(T0 - ms).toISOString(), cartId: String(ms) }));
    await writeFile(path, [old(JOURNAL_HORIZON_MS + 1), old(JOURNAL_HORIZON_MS), old(3_600_000)].join("\n") + "\n");
    expect(JOURNAL_HORIZON_MS).toBe(48 * 3_600_000);
    const got = await fileJournal(path, () => T0).entries("c1");
    expect(got.map((e) => e.cartId)).toEqual([String(JOURNAL_HORIZON_MS), "3600000"]);
  });

  it("with a scope, reads its own lines and lines without a scope, writes the scope on new lines", async () => {
    const path = join(dir, "purchases.jsonl");
    const text = [entry({ cartId: "mine", scope: "a|p" }), entry({ cartId: "other", scope: "b|p" }), entry({ cartId: "old" })]
      .map((e) => JSON.stringify(e))
      .join("\n");
    await writeFile(path, text + "\n");
    const scoped = fileJournal(path, () => T0, undefined, "a|p");
    expect((await scoped.entries("c1")).map((e) => e.cartId)).toEqual(["mine", "old"]);
    await scoped.append({ customerId: "c1", item: "P:S", quantity: 5, phase: "failed", cartId: "mine", reason: "refused" });
    expect((await lines(path)).at(-1)).toMatchObject({ cartId: "mine", scope: "a|p", phase: "failed" });
    // Without a scope every line is read.
    expect((await fileJournal(path, () => T0).entries("c1")).map((e) => e.cartId)).toEqual(["mine", "other", "old", "mine"]);
  });

  it("skips lines that are not entries, names the torn ones by number, and ignores blank lines", async () => {
    const path = join(dir, "purchases.jsonl");
    const good = JSON.stringify(entry({ cartId: "k1" }));
    const bad = [
      '{"time":"2026-06-01T12:00:00.000Z","customerId":"c1","item":"P:S","quantity":5,"phase":"ca',
      JSON.stringify({ ...entry({}), phase: "bought" }),
      JSON.stringify({ ...entry({}), quantity: "5" }),
      JSON.stringify({ ...entry({}), item: 7 }),
      JSON.stringify({ ...entry({}), time: 1 }),
      JSON.stringify({ ...entry({}), customerId: 1 }),
    ];
    await writeFile(path, [good, "", ...bad, "   ", good].join("\n") + "\n");
    const warnings: string[] = [];
    const got = await fileJournal(
      path,
      () => T0,
      (m) => warnings.push(m),
    ).entries("c1");
    expect(got.map((e) => e.cartId)).toEqual(["k1", "k1"]);
    expect(warnings).toEqual([`${path}: line 3, 4, 5, 6, 7, 8 is not a whole entry (cut short by a crash?) and is skipped`]);
  });

  it("says nothing of a journal whose lines are all whole, or of a missing one", async () => {
    const path = join(dir, "purchases.jsonl");
    const warnings: string[] = [];
    const read = () =>
      fileJournal(
        path,
        () => T0,
        (m) => warnings.push(m),
      ).entries("c1");
    expect(await read()).toEqual([]);
    await writeFile(path, JSON.stringify(entry({})) + "\n\n");
    expect(await read()).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it("accepts each of the three phases", async () => {
    const path = join(dir, "purchases.jsonl");
    const phases = ["cart", "ordered", "failed"] as const;
    await writeFile(path, phases.map((phase) => JSON.stringify(entry({ phase }))).join("\n"));
    expect((await fileJournal(path, () => T0).entries("c1")).map((e) => e.phase)).toEqual([...phases]);
  });
});

describe("openCart", () => {
  it("is the last cart for the same item and seats not yet ordered or failed", () => {
    const es = [
      entry({ cartId: "k1" }),
      entry({ cartId: "k2" }),
      entry({ cartId: "k3", quantity: 6 }),
      entry({ cartId: "k4", item: "P:T" }),
      entry({ cartId: "k2", phase: "ordered" }),
    ];
    expect(openCart(es, "P:S", 5)).toBe("k1");
    expect(openCart([...es, entry({ cartId: "k1", phase: "failed" })], "P:S", 5)).toBeUndefined();
    expect(openCart(es, "P:S", 6)).toBe("k3");
    expect(openCart(es, "P:T", 5)).toBe("k4");
    expect(openCart([entry({}), entry({ cartId: "" })], "P:S", 5)).toBeUndefined(); // a cart line without its id
  });

  it("does not count an order or a failure as a cart", () => {
    expect(openCart([entry({ cartId: "k1", phase: "ordered" })], "P:S", 5)).toBeUndefined();
    expect(openCart([entry({ cartId: "k1", phase: "failed" })], "P:S", 5)).toBeUndefined();
  });
});

describe("failedCarts", () => {
  it("counts failed carts for the same item and seats only", () => {
    const es = [
      entry({ phase: "failed", cartId: "a" }),
      entry({ phase: "failed", cartId: "b" }),
      entry({ phase: "failed", cartId: "c", quantity: 6 }),
      entry({ phase: "failed", cartId: "d", item: "P:T" }),
      entry({ phase: "cart", cartId: "e" }),
      entry({ phase: "ordered", cartId: "f" }),
    ];
    expect(failedCarts(es, "P:S", 5)).toBe(2);
    expect(failedCarts(es, "P:T", 5)).toBe(1);
    expect(failedCarts(es, "P:X", 5)).toBe(0);
  });
});

describe("unsettledOrders", () => {
  it("lists the orders placed and not found cancelled since (ids compared without case)", () => {
    const es = [
      entry({ phase: "ordered", orderIds: ["O1", "o2"], skuId: "sku", quantity: 3 }),
      entry({ phase: "ordered" }), // an order line without ids
      entry({ phase: "cart", orderIds: ["o9"] }),
      entry({ phase: "failed", orderIds: ["o1"], reason: "cancelled" }),
      entry({ phase: "failed" }),
    ];
    expect(unsettledOrders(es)).toEqual([{ id: "o2", skuId: "sku", quantity: 3 }]);
    expect(unsettledOrders([entry({ phase: "ordered", orderIds: ["o3"] })])).toEqual([{ id: "o3", skuId: undefined, quantity: 5 }]);
  });
});

describe("the schedule journal", () => {
  const record = { subscriptionId: "s1", catalogItemId: "P:S:A", renewsOn: "2026-07-01" };

  it("reads nothing from a missing file and back what it appended, per customer, stamped", async () => {
    const path = join(dir, "state", "schedules.jsonl");
    const j = fileScheduleJournal(path, () => T0);
    expect(await j.entries("c1")).toEqual([]);
    await j.append("c1", record);
    await j.append("c2", { ...record, subscriptionId: "s2" });
    expect(await j.entries("c1")).toEqual([{ time: "2026-06-01T12:00:00.000Z", ...record }]);
    const again = fileScheduleJournal(path);
    expect(await again.entries("c1")).toEqual([{ time: "2026-06-01T12:00:00.000Z", ...record }]);
    expect((await again.entries("c2")).map((r) => r.subscriptionId)).toEqual(["s2"]);
    expect(await lines(path)).toEqual([
      { time: "2026-06-01T12:00:00.000Z", customerId: "c1", ...record },
      { time: "2026-06-01T12:00:00.000Z", customerId: "c2", ...record, subscriptionId: "s2" },
    ]);
  });

  it("skips lines that are not whole records", async () => {
    const path = join(dir, "schedules.jsonl");
    const whole = { time: "t", customerId: "c1", ...record };
    const text = [
      JSON.stringify(whole),
      '{"time":"t","customerId":"c1","subscr',
      "",
      ...(["time", "customerId", "subscriptionId", "catalogItemId", "renewsOn"] as const).map((k) => JSON.stringify({ ...whole, [k]: 1 })),
    ].join("\n");
    await writeFile(path, text);
    expect(await fileScheduleJournal(path).entries("c1")).toEqual([{ time: "t", ...record }]);
  });

  it("refuses a path it cannot read rather than reading it as empty", async () => {
    await expect(fileScheduleJournal(dir).entries("c1")).rejects.toMatchObject({ code: "EISDIR" });
  });

  it("reads the file once", async () => {
    const path = join(dir, "schedules.jsonl");
    const j = fileScheduleJournal(path, () => T0);
    expect(await j.entries("c1")).toEqual([]);
    await writeFile(path, JSON.stringify({ time: "t", customerId: "c1", ...record }) + "\n");
    expect(await j.entries("c1")).toEqual([]);
  });
});

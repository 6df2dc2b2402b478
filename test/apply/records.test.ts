/**
 * What `apply` leaves on disk: the audit log (an attempt line before every write, a result line
 * after it, the budget's figures at the end) and the journal of purchases a later run resumes
 * from. Real files in temp dirs.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileAuditLog, nullAuditLog } from "../../src/apply/audit.js";
import { JOURNAL_HORIZON_MS, failedCarts, fileJournal, openCart, unsettledOrders, type JournalEntry } from "../../src/journal/purchase-journal.js";
import type { Action } from "../../src/reconcile/types.js";
import { useFakeServer } from "../helpers/fake-server.js";
import { F3, MCOIMP, applyTo, tempDir } from "./harness.js";
import { CUSTOMER, SOURCE_OFFER, SOURCE_SKU, TARGET_ITEM, serveWorld, type ScriptedWorld } from "./scripted-partner-center.js";

const SRC = "11111111-1111-4111-8111-111111111111";
const USER = "33333333-3333-4333-8333-000000000001";
const lines = async (file: string) =>
  (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("audit log", () => {
  const server = useFakeServer();
  const world = (over: Partial<ScriptedWorld> = {}): ScriptedWorld => ({
    subscriptions: [{ id: SRC, offerId: SOURCE_OFFER, quantity: 2, status: "active" }],
    consumed: { [SOURCE_SKU]: 1 },
    ordered: [],
    listOrderedSubscriptions: false,
    ...over,
  });
  const purchase: Action = {
    kind: "purchase",
    commerce: "new",
    catalogItem: TARGET_ITEM,
    title: "Office 365 F3",
    term: "P1Y",
    billing: "monthly",
    country: "US",
    sku: F3,
    quantity: 2,
  };
  const suspend: Action = { kind: "suspend", subscriptionId: SRC, sku: MCOIMP, quantity: 2, commitmentEndDate: null };

  it("records each write before it is sent and how it ended, a checkout under its own request id, a refusal with its code", async () => {
    const w = world();
    serveWorld(server, w);
    const file = join(await tempDir(), "logs", "audit.jsonl");
    await applyTo(server, w, [purchase, suspend], { auditPath: file });
    const log = await lines(file);
    const sent = (path: string) => server.requests.find((r) => r.path.endsWith(path))?.headers["ms-requestid"];
    expect(log.map((l) => [l.phase, l.action, l.subject, l.requestId, l.outcome])).toEqual([
      ["attempt", "purchase", TARGET_ITEM, sent("/carts"), undefined],
      ["attempt", "purchase", "cart-1", sent("/checkout"), undefined],
      ["result", "purchase", TARGET_ITEM, sent("/carts"), "ok"],
      ["attempt", "suspend", SRC, expect.any(String), undefined],
      ["result", "suspend", SRC, log[3]?.requestId, "failed"],
    ]);
    expect(log[4]?.error).toEqual({
      code: "IN_USE",
      message: `refusing to suspend MCOIMP subscription ${SRC}: 1 user(s) still hold MCOIMP (holder0-1@contoso.example)`,
    });
    for (const l of log) {
      expect(l.customerId).toBe(CUSTOMER);
      expect(l.correlationId).toBe(log[0]?.correlationId);
      expect(Date.parse(String(l.time))).not.toBeNaN();
    }
    expect(log[0]?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("records the service's status and code for a write it refused", async () => {
    const w = world({ licenseUpdateStatus: { status: 403, body: { code: 2032, description: "Access denied" } } });
    serveWorld(server, w);
    const file = join(await tempDir(), "audit.jsonl");
    const reassign: Action = { kind: "reassign", userId: USER, upn: "a@contoso.onmicrosoft.com", assign: F3, remove: MCOIMP };
    await applyTo(server, w, [reassign], { auditPath: file });
    const log = await lines(file);
    expect(log.map((l) => [l.phase, l.action, l.subject])).toEqual([
      ["attempt", "reassign", USER],
      ["result", "reassign", USER],
      ["refused", undefined, undefined],
    ]);
    expect(log[2]?.reason).toMatch(
      /^the credential may not change licenses in this customer's tenant: a@contoso\.onmicrosoft\.com's licence change was refused/,
    );
    expect(log[1]).toMatchObject({ outcome: "failed", error: { status: 403, code: "2032", message: expect.stringContaining("Access denied") as unknown } });
    expect(log[0]?.requestId).toBe(log[1]?.requestId);
  });

  it.each<[string, Action, Partial<ScriptedWorld["subscriptions"][number]>]>([
    ["suspension", { kind: "suspend", subscriptionId: SRC, sku: MCOIMP, quantity: 2, commitmentEndDate: null }, {}],
    ["cancellation", { kind: "cancel", subscriptionId: SRC, sku: MCOIMP, quantity: 2, cancellationAllowedUntil: "2026-11-30T00:00:00Z" }, {}],
    ["renewal stop", { kind: "no-renew", subscriptionId: SRC, sku: MCOIMP, quantity: 2, commitmentEndDate: null }, { autoRenewEnabled: true }],
    ["resize", { kind: "resize", subscriptionId: SRC, sku: MCOIMP, from: 2, to: 3 }, {}],
  ])("a %s goes out under the request id its audit lines name (a support case can find it)", async (_what, action, sub) => {
    const w = world({ consumed: { [SOURCE_SKU]: 0 } });
    Object.assign(w.subscriptions[0], sub);
    serveWorld(server, w);
    const file = join(await tempDir(), "audit.jsonl");
    const { result } = await applyTo(server, w, [action], { auditPath: file });
    expect(result.status).toBe("applied");
    const patch = server.requests.find((r) => r.method === "PATCH");
    expect((await lines(file)).map((l) => l.requestId)).toEqual([patch?.headers["ms-requestid"], patch?.headers["ms-requestid"]]);
  });

  it("records each of a customer's licence moves, done in one go, under the id it was sent with", async () => {
    const w = world({ consumed: { [SOURCE_SKU]: 2 } });
    serveWorld(server, w);
    const file = join(await tempDir(), "audit.jsonl");
    const move = (n: number): Action => ({
      kind: "reassign",
      userId: `33333333-3333-4333-8333-00000000000${n}`,
      upn: `u${n}@contoso.onmicrosoft.com`,
      assign: F3,
      remove: MCOIMP,
    });
    await applyTo(server, w, [move(1), move(2)], { auditPath: file });
    const log = await lines(file);
    expect(log.map((l) => [l.phase, l.subject, l.outcome])).toEqual([
      ["attempt", "33333333-3333-4333-8333-000000000001", undefined],
      ["attempt", "33333333-3333-4333-8333-000000000002", undefined],
      ["result", "33333333-3333-4333-8333-000000000001", "ok"],
      ["result", "33333333-3333-4333-8333-000000000002", "ok"],
    ]);
    const sent = server.requests.filter((r) => r.path.endsWith("/licenseupdates")).map((r) => r.headers["ms-requestid"]);
    expect(new Set(log.map((l) => l.requestId))).toEqual(new Set(sent));
  });

  it("ends with the run's request figures, and keeps earlier runs' lines", async () => {
    const file = join(await tempDir(), "audit.jsonl");
    await writeFile(file, '{"phase":"earlier"}\n');
    const audit = fileAuditLog(file);
    await audit.run({ correlationId: "c-1", requests: 12, throttled: 1, peakRps: 7, waitMs: 30, throttleWaitMs: 20 });
    const log = await lines(file);
    expect(log[0]).toEqual({ phase: "earlier" });
    expect(log[1]).toMatchObject({ phase: "run", correlationId: "c-1", requests: 12, throttled: 1, peakRps: 7, waitMs: 30, throttleWaitMs: 20 });
    expect(Object.keys(log[1] ?? {})[0]).toBe("time");
  });

  it("writes lines whole and in order when many are written at once", async () => {
    const file = join(await tempDir(), "audit.jsonl");
    const audit = fileAuditLog(file);
    const entry = (n: number) => ({
      correlationId: "c",
      customerId: CUSTOMER,
      action: "reassign" as const,
      subject: `u${n}`,
      requestId: "r".repeat(2000),
      phase: "attempt" as const,
    });
    await Promise.all(Array.from({ length: 50 }, (_, n) => audit.write(entry(n))));
    expect((await lines(file)).map((l) => l.subject)).toEqual(Array.from({ length: 50 }, (_, n) => `u${n}`));
  });

  it("the null log writes nothing and never fails", async () => {
    await expect(
      nullAuditLog.write({ correlationId: "c", customerId: "x", action: "suspend", subject: "s", requestId: "r", phase: "attempt" }),
    ).resolves.toBeUndefined();
    await expect(nullAuditLog.run({ correlationId: "c", requests: 0, throttled: 0, peakRps: 0, waitMs: 0, throttleWaitMs: 0 })).resolves.toBeUndefined();
  });
});

describe("purchase journal", () => {
  const T0 = Date.parse("2026-11-24T00:00:00Z");
  const entry = (over: Partial<JournalEntry>): Omit<JournalEntry, "time"> => ({
    customerId: "c1",
    item: TARGET_ITEM,
    quantity: 2,
    phase: "cart",
    cartId: "cart-1",
    ...over,
  });

  it("reads back what it appended, per customer, oldest first, and across runs from the same file", async () => {
    const file = join(await tempDir(), "state", "purchases.jsonl");
    const j = fileJournal(file, () => T0);
    await j.append(entry({}));
    await j.append(entry({ customerId: "c2" }));
    await j.append(entry({ phase: "ordered", orderIds: ["o-1"] }));
    expect((await j.entries("c1")).map((e) => [e.phase, e.time])).toEqual([
      ["cart", "2026-11-24T00:00:00.000Z"],
      ["ordered", "2026-11-24T00:00:00.000Z"],
    ]);
    const next = fileJournal(file, () => T0 + 1000);
    expect((await next.entries("c1")).map((e) => e.phase)).toEqual(["cart", "ordered"]);
    expect(await next.entries("c3")).toEqual([]);
  });

  it("forgets entries older than its horizon (48 hours): by then the order is listed", async () => {
    const file = join(await tempDir(), "purchases.jsonl");
    await fileJournal(file, () => T0).append(entry({}));
    expect(JOURNAL_HORIZON_MS).toBe(48 * 3_600_000);
    expect(await fileJournal(file, () => T0 + JOURNAL_HORIZON_MS).entries("c1")).toHaveLength(1);
    expect(await fileJournal(file, () => T0 + JOURNAL_HORIZON_MS + 1).entries("c1")).toEqual([]);
  });

  it("skips lines a crash cut short or that are not its own, and starts empty without a file", async () => {
    const dir = await tempDir();
    const file = join(dir, "purchases.jsonl");
    const good = JSON.stringify({ time: "2026-11-24T00:00:00.000Z", ...entry({}) });
    const bad = [
      '{"time":"2026-11-24T00:00:00.000Z","customerId":"c1","item":"X","quan',
      JSON.stringify({ time: 5, customerId: "c1", item: "X", quantity: 1, phase: "cart" }),
      // A time that is not text, though it would read as a recent date.
      JSON.stringify({ time: ["2026-11-24T00:00:00.000Z"], customerId: "c1", item: "X", quantity: 1, phase: "cart" }),
      JSON.stringify({ time: "2026-11-24T00:00:00.000Z", customerId: 1, item: "X", quantity: 1, phase: "cart" }),
      JSON.stringify({ time: "2026-11-24T00:00:00.000Z", customerId: "c1", item: 1, quantity: 1, phase: "cart" }),
      JSON.stringify({ time: "2026-11-24T00:00:00.000Z", customerId: "c1", item: "X", quantity: "1", phase: "cart" }),
      JSON.stringify({ time: "2026-11-24T00:00:00.000Z", customerId: "c1", item: "X", quantity: 1, phase: "paid" }),
      "",
      "   ",
    ];
    await writeFile(
      file,
      [bad[0], good, ...bad.slice(1), JSON.stringify({ time: "2026-11-24T00:00:00.000Z", ...entry({ phase: "ordered", orderIds: ["o"] }) })].join("\n"),
    );
    expect((await fileJournal(file, () => T0).entries("c1")).map((e) => e.phase)).toEqual(["cart", "ordered"]);
    expect(await fileJournal(join(dir, "none.jsonl"), () => T0).entries("c1")).toEqual([]);
  });

  it("fails loudly when the journal cannot be read (never 'no purchases')", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "purchases.jsonl"));
    await expect(fileJournal(join(dir, "purchases.jsonl"), () => T0).entries("c1")).rejects.toThrow(/purchases.jsonl is a folder, not a regular file/);
  });

  it("finds the last cart of the item and seats never checked out, and the orders placed", () => {
    const at = (e: Omit<JournalEntry, "time">): JournalEntry => ({ time: "2026-11-24T00:00:00.000Z", ...e });
    const entries = [
      at(entry({ cartId: "cart-1" })),
      at(entry({ cartId: "cart-1", phase: "ordered", orderIds: ["o-1", "o-2"] })),
      at(entry({ cartId: "cart-2" })),
      at(entry({ cartId: "cart-3", quantity: 5 })),
      at(entry({ cartId: "cart-4", item: "OTHER:0001" })),
      at(entry({ cartId: undefined })),
    ];
    expect(openCart(entries, TARGET_ITEM, 2)).toBe("cart-2");
    expect(openCart(entries, TARGET_ITEM, 5)).toBe("cart-3");
    expect(openCart(entries, "OTHER:0001", 2)).toBe("cart-4");
    expect(openCart(entries.slice(0, 2), TARGET_ITEM, 2)).toBeUndefined();
    expect(openCart([at(entry({ cartId: "cart-1" })), at(entry({ cartId: "cart-9" }))], TARGET_ITEM, 2)).toBe("cart-9");
    expect(unsettledOrders(entries).map((o) => o.id)).toEqual(["o-1", "o-2"]);
    expect(unsettledOrders([at(entry({ phase: "ordered" }))])).toEqual([]);
    // An order Microsoft cancelled is settled: never waited on again.
    expect(unsettledOrders([...entries, at(entry({ cartId: "cart-1", phase: "failed", orderIds: ["o-2"], reason: "cancelled" }))]).map((o) => o.id)).toEqual([
      "o-1",
    ]);
  });

  it("a failed cart is never open again, and counts towards the next cart's request id for the same item and seats only", () => {
    const at = (e: Omit<JournalEntry, "time">): JournalEntry => ({ time: "2026-11-24T00:00:00.000Z", ...e });
    const entries = [
      at(entry({ cartId: "cart-1" })),
      at(entry({ cartId: "cart-1", phase: "failed" })),
      at(entry({ cartId: "cart-2" })),
      at(entry({ cartId: "cart-2", phase: "failed" })),
      at(entry({ cartId: "cart-3", quantity: 5, phase: "failed" })),
      at(entry({ cartId: "cart-4", item: "OTHER:0001", phase: "failed" })),
      at(entry({ cartId: "cart-5", phase: "ordered", orderIds: ["o-5"] })),
    ];
    expect(openCart(entries, TARGET_ITEM, 2)).toBeUndefined();
    expect(failedCarts(entries, TARGET_ITEM, 2)).toBe(2);
    expect(failedCarts(entries, TARGET_ITEM, 5)).toBe(1);
    expect(failedCarts(entries, "OTHER:0001", 2)).toBe(1);
    expect(failedCarts(entries, "OTHER:0001", 5)).toBe(0);
    expect(failedCarts([], TARGET_ITEM, 2)).toBe(0);
  });
});

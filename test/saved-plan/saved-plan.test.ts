/**
 * Saved plans read back from real files: the integrity digest, the shape check (every field,
 * every action by its kind's own shape), duplicates, versions; and staleness by fingerprint.
 */
import { createHash } from "node:crypto";
import { mkdtemp, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { reconcile } from "../../src/reconcile/reconcile.js";
import { createSavedPlan, readSavedPlan, serializeSavedPlan, SAVED_PLAN_VERSION, canonicalJson, type SavedPlan } from "../../src/saved-plan/saved-plan.js";
import { findStale } from "../../src/saved-plan/stale.js";
import { SKU, liveState, planFor, type ModelCustomer } from "../reconcile/model.js";

const NOW = { now: "2026-11-24T00:00:00Z", warnDays: 30, country: "US" };
const A = "6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a";
const B = "367930e6-12d8-4ecc-a320-aabd3f9ebaa0";
const U = (n: number) => `33333333-3333-4333-8333-${String(n).padStart(12, "0")}`;

function model(id: string): ModelCustomer {
  return {
    id,
    name: id === A ? "Contoso" : "Fabrikam",
    subs: [
      { id: `${id.slice(0, 8)}-0000-4000-8000-000000000001`, skuId: SKU.MCOIMP.skuId, quantity: 2, status: "active" },
      { id: `${id.slice(0, 8)}-0000-4000-8000-000000000002`, skuId: SKU.DESKLESSPACK.skuId, quantity: 1, status: "active" },
    ],
    users: [
      { id: U(1), upn: "a@x.onmicrosoft.com", skuIds: [SKU.MCOIMP.skuId] },
      { id: U(2), upn: "b@x.onmicrosoft.com", skuIds: [SKU.MCOIMP.skuId] },
    ],
  };
}

let dir: string;
let saved: SavedPlan;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pcplan-saved-"));
});

// Built before each test, not once: an error here then fails every test, where a failing
// beforeAll would only skip them (and mutation testing would count the mutant as survived).
beforeEach(() => {
  const customers = reconcile([planFor([{ id: A }, { id: B }])], liveState([model(A), model(B)], SKU.MCOIMP.skuId), NOW);
  saved = createSavedPlan({
    createdAt: NOW.now,
    now: NOW.now,
    endpoint: "https://api.partnercenter.microsoft.com/v1",
    plansHash: "abc",
    files: [{ path: "plans/test.yaml", sha256: "def" }],
    customers: customers.map((c) => ({ plan: c, fingerprint: `sha256:${c.customerId}` })),
  });
});

/** Writes `value` as a saved plan, re-signed as a forger would (the digest is not a signature). */
async function write(value: unknown, resign = true): Promise<string> {
  const file = join(dir, `p-${Math.random().toString(36).slice(2)}.json`);
  const { integrity, ...body } = value as Record<string, unknown>;
  const digest = resign ? "sha256:" + createHash("sha256").update(canonicalJson(body)).digest("hex") : integrity;
  await writeFile(file, JSON.stringify({ ...body, integrity: digest }));
  return file;
}

const clone = (): SavedPlan => JSON.parse(JSON.stringify(saved)) as SavedPlan;

describe("saved plans", () => {
  it("read back exactly what was written", async () => {
    const file = join(dir, "plan.json");
    await writeFile(file, serializeSavedPlan(saved));
    const back = await readSavedPlan(file);
    expect(back).toEqual(saved);
    expect(back.formatVersion).toBe(SAVED_PLAN_VERSION);
    expect(back.customers[0]?.plan.actions.map((a) => a.kind)).toEqual(["resize", "reassign", "reassign", "suspend"]);
  });

  it("refuse an edit that did not recompute the digest", async () => {
    const p = clone();
    (p.customers[0].plan.actions[0] as { to: number }).to = 900;
    await expect(readSavedPlan(await write(p, false))).rejects.toThrow(/integrity check failed/);
  });

  it("refuse other format versions and other kinds of file", async () => {
    await expect(readSavedPlan(await write({ ...clone(), formatVersion: 1 }))).rejects.toThrow(/formatVersion 1 is not supported/);
    await expect(readSavedPlan(await write({ ...clone(), kind: "something/else" }))).rejects.toThrow(/not a pcplan saved plan/);
    await expect(readSavedPlan(join(dir, "missing.json"))).rejects.toThrow(/no such saved plan file/);
  });

  it.each([
    ["an unknown top-level field", (p: SavedPlan) => Object.assign(p, { plans: [] }), /\$: unknown field "plans"/],
    [
      "an unknown action kind",
      (p: SavedPlan) => void (p.customers[0].plan.actions[0] = { kind: "delete-tenant" } as never),
      /actions\[0\]\.kind: must be one of await, purchase, resize, group-license, reassign, suspend/,
    ],
    [
      "a resize with a string seat count",
      (p: SavedPlan) => void ((p.customers[0].plan.actions[0] as { to: unknown }).to = "40"),
      /actions\[0\]\.to: must be a positive integer/,
    ],
    [
      "a reassign with an extra field",
      (p: SavedPlan) => void Object.assign(p.customers[0].plan.actions[1], { also: "x" }),
      /actions\[1\]: unknown field "also"/,
    ],
    [
      "a suspend of a non-GUID subscription",
      (p: SavedPlan) => void ((p.customers[0].plan.actions[3] as { subscriptionId: string }).subscriptionId = "../x"),
      /actions\[3\]\.subscriptionId: must be a lowercase GUID/,
    ],
    ["an upper-case customer id", (p: SavedPlan) => void (p.customers[0].plan.customerId = A.toUpperCase()), /customerId: must be a lowercase GUID/],
    ["a fingerprint that is not text", (p: SavedPlan) => void ((p.customers[0] as { fingerprint: unknown }).fingerprint = 7), /fingerprint: must be a string/],
  ])("refuse %s even with a recomputed digest", async (_name, mutate, message) => {
    const p = clone();
    mutate(p);
    await expect(readSavedPlan(await write(p))).rejects.toThrow(message);
  });

  it("refuse a customer listed twice (its actions would run twice at once)", async () => {
    const p = clone();
    p.customers.push(p.customers[0]);
    await expect(readSavedPlan(await write(p))).rejects.toThrow(new RegExp(`customer ${A} is listed more than once`));
  });

  it("find customers whose live state moved, or who vanished", () => {
    const now = new Map([
      [A, `sha256:${A}`],
      [B, "sha256:other"],
    ]);
    expect(findStale(saved, now).map((s) => [s.customerId, s.reason])).toEqual([[B, "live state changed since the plan was saved"]]);
    expect(findStale(saved, new Map([[A, `sha256:${A}`]])).map((s) => s.reason)).toEqual(["no longer found"]);
    expect(
      findStale(
        saved,
        new Map([
          [A, `sha256:${A}`],
          [B, `sha256:${B}`],
        ]),
      ),
    ).toEqual([]);
  });
});

describe("saved plans, what else is refused", () => {
  it("a file too large to be a saved plan, unread", async () => {
    const file = join(dir, "huge.json");
    await writeFile(file, "");
    await truncate(file, 64 * 1024 * 1024 + 1);
    await expect(readSavedPlan(file)).rejects.toThrow(`${file}: 67108865 bytes is too large for a saved plan`);
  });

  it("a file that is not JSON, or JSON that is not a saved plan, naming the file", async () => {
    const file = join(dir, "bad.json");
    await writeFile(file, "{ not json");
    await expect(readSavedPlan(file)).rejects.toThrow(new RegExp(`^${file}: not a saved plan \\(invalid JSON: `));
    for (const text of ["null", "[]", '"pcplan/saved-plan"', '{"kind":"pcplan/other"}']) {
      await writeFile(file, text);
      await expect(readSavedPlan(file)).rejects.toThrow(`${file}: not a pcplan saved plan (kind must be "pcplan/saved-plan")`);
    }
  });

  it("a digest that is missing or not text", async () => {
    const p = clone() as unknown as Record<string, unknown>;
    for (const integrity of [undefined, 7]) {
      const file = join(dir, `d-${String(integrity)}.json`);
      await writeFile(file, JSON.stringify({ ...p, integrity }));
      await expect(readSavedPlan(file)).rejects.toThrow(/integrity check failed/);
    }
  });

  it("every error is a SAVED_PLAN error (a user error: run plan again)", async () => {
    const file = (name: string, text: string) => writeFile(join(dir, name), text).then(() => join(dir, name));
    const huge = join(dir, "huge-2.json");
    await writeFile(huge, "");
    await truncate(huge, 64 * 1024 * 1024 + 1);
    const twice = clone();
    twice.customers.push(twice.customers[0]);
    const refused = [
      join(dir, "missing.json"),
      huge,
      await file("not-json.json", "{"),
      await write({ ...clone(), kind: "something/else" }),
      await write({ ...clone(), formatVersion: 1 }),
      await write(Object.assign(clone(), { customers: [] }), false),
      await write(Object.assign(clone(), { plans: [] })),
      await write(twice),
    ];
    for (const f of refused) {
      const err = await readSavedPlan(f).catch((e: unknown) => e);
      expect(err, f).toMatchObject({ code: "SAVED_PLAN", userError: true });
    }
  });

  it("is written as indented JSON ending with a newline (a clean diff in review)", () => {
    const text = serializeSavedPlan(saved);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.split("\n")[1]).toMatch(/^ {2}"/);
  });

  it("a digest does not depend on the order of keys, at any depth", () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson([3, 1, 2])).toBe("[3,1,2]");
  });

  it("reads a plan written with its keys in another order", async () => {
    const reversed = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversed)
        : v && typeof v === "object"
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reversed(x)]),
            )
          : v;
    const file = join(dir, "reversed.json");
    await writeFile(file, JSON.stringify(reversed(saved)));
    expect(await readSavedPlan(file)).toEqual(saved);
  });
});

describe("stale customers", () => {
  it("says which customers were not found when planned and are found now, and leaves alone those still not found", () => {
    const p = clone();
    p.customers[1].fingerprint = null;
    expect(
      findStale(
        p,
        new Map([
          [A, `sha256:${A}`],
          [B, "sha256:new"],
        ]),
      ),
    ).toEqual([{ customerId: B, name: "Fabrikam", reason: "was not found when planned" }]);
    expect(findStale(p, new Map([[A, `sha256:${A}`]]))).toEqual([]);
  });
});

describe("saved plans, the shape of what surrounds the actions", () => {
  it.each([
    [
      "a file entry without its digest",
      (p: SavedPlan) => void ((p.files[0] as { sha256?: string }).sha256 = undefined),
      /\$\.files\[0\]\.sha256: missing; must be a string/,
    ],
    [
      "a note that is not an object",
      (p: SavedPlan) => void (p.customers[0].plan.notes as unknown[]).push("x"),
      /\$\.customers\[0\]\.plan\.notes\[0\]: must be an object/,
    ],
    ["a customers list that is not a list", (p: SavedPlan) => void ((p as { customers: unknown }).customers = {}), /\$\.customers: must be an array/],
    [
      "a plan without its source",
      (p: SavedPlan) => void ((p.customers[0].plan as { source?: unknown }).source = undefined),
      /\$\.customers\[0\]\.plan\.source: missing; must be an object/,
    ],
    ["a negative format version", (p: SavedPlan) => void ((p as { formatVersion: number }).formatVersion = -2), /formatVersion -2 is not supported/],
    ["an endpoint that is not text", (p: SavedPlan) => void ((p as { endpoint: unknown }).endpoint = 1), /\$\.endpoint: must be a string/],
    ["a saved customer with an extra field", (p: SavedPlan) => void Object.assign(p.customers[0], { extra: 1 }), /\$\.customers\[0\]: unknown field "extra"/],
  ])("refuse %s", async (_name, mutate, message) => {
    const p = clone();
    mutate(p);
    await expect(readSavedPlan(await write(p))).rejects.toThrow(message);
  });

  it("accept what the diff adds to a customer's plan and notes of any kind", async () => {
    const p = clone();
    p.customers[0].plan.notes.push({ level: "info", code: "excluded-holds-source", message: "kept" });
    Object.assign(p.customers[0].plan, { future: "field" });
    expect((await readSavedPlan(await write(p))).customers[0]?.plan.notes).toHaveLength(1);
  });
});

/**
 * Issue 11, "an answer that does not fit is an error, never data": the demo world is applied
 * through a proxy that rewrites one customer's answers the way a faulty Partner Center did
 * (consumed units missing, null or a string — once read as "0 users", which suspended
 * subscriptions still held; seat counts as strings — once read as 4 → 40; statuses in
 * capitals — once read as "not active", which bought second subscriptions). `apply
 * --auto-approve` must write nothing for that customer, name the call and the field, exit
 * non-zero, and apply the others.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEMO, DEMO_BUYERS, TAILWIND_PROVISIONED } from "../helpers/demo-customers.js";
import { startDemoRun, type DemoRun } from "../helpers/demo-run.js";
import type { Answer, ProxiedRequest } from "../helpers/hostile-proxy.js";

interface WireSku {
  consumedUnits?: unknown;
  productSku: { skuPartNumber: string };
}
interface WireItems<T> {
  items: T[];
}

let run: DemoRun;
beforeEach(async () => {
  // pcplan in-process; Tailwind's earlier order settled before the run, so no apply waits out its
  // real minute (TAILWIND_PROVISIONED).
  run = await startDemoRun({ inProcess: true });
  run.sandbox.setClock(TAILWIND_PROVISIONED);
});
afterEach(async () => {
  await run.close();
});

/** Edits the `items` of a customer's answer to `GET …/{resource}` (list calls only). */
function editList<T>(customerId: string, resource: string, edit: (items: T[], req: ProxiedRequest) => void): (req: ProxiedRequest, a: Answer) => void {
  return (req, a) => {
    if (req.method === "GET" && req.customerId === customerId && req.path.endsWith(`/${resource}`) && a.status === 200)
      edit((a.body as WireItems<T>).items, req);
  };
}

const sourceSku = (items: WireSku[]) => items.find((k) => k.productSku.skuPartNumber === "MCOIMP")!;

/** Exit 3: the hostile customer is reported by call and field, nothing written for it, the rest applied. */
function expectRefusedAlone(r: { code: number | null; stdout: string; stderr: string }, customerId: string, call: string, field: RegExp): void {
  const out = r.stdout + r.stderr;
  expect(r.code, out).toBe(3);
  expect(run.writes(customerId)).toEqual([]);
  expect(out).toContain(`${call}(customer ${customerId})`);
  expect(out).toMatch(field);
  expect(out).not.toMatch(/internal error|TypeError/);
  expect(r.stdout).toMatch(new RegExp(`unreadable +\\S.*\\(${customerId}\\)`));
  expect(r.stdout).toMatch(/Apply partly failed: \d+ changes applied; 1 customer not done/);
  // Everybody else went on: Adventure Works (6 reassignments, a suspension; nothing bought, so no
  // access proof: the first licence write is its own) and Tailspin (a legacy order).
  expect(run.writes(DEMO.adventure).length).toBe(7);
  expect(run.orders(DEMO.tailspin)).toBe(1);
}

describe("hostile answers: no write for the customer, a named error, the others applied", () => {
  it.each([
    ["missing", (k: WireSku) => delete k.consumedUnits, /consumedUnits: missing/],
    ["null", (k: WireSku) => (k.consumedUnits = null), /consumedUnits: must be a number, got null/],
    ["a string", (k: WireSku) => (k.consumedUnits = "12"), /consumedUnits: must be a number, got "12"/],
  ])("consumedUnits of the source SKU %s (once read as 0 users: suspended while held)", async (_what, edit, field) => {
    run.proxy.hooks = { response: editList<WireSku>(DEMO.contoso, "subscribedskus", (items) => edit(sourceSku(items))) };
    const r = await run.cli(["apply", "--auto-approve"]);
    expectRefusedAlone(r, DEMO.contoso, "listSubscribedSkus", field);
  });

  it("seat counts sent as strings (once read as 4 → 40)", async () => {
    run.proxy.hooks = {
      response: editList<{ quantity: unknown }>(DEMO.fabrikam, "subscriptions", (items) => items.forEach((s) => (s.quantity = String(s.quantity)))),
    };
    const r = await run.cli(["apply", "--auto-approve"]);
    expectRefusedAlone(r, DEMO.fabrikam, "listSubscriptions", /quantity: must be a number, got "\d+"/);
  });

  it('statuses in capitals ("ACTIVE") are read as what they say: nothing is bought twice', async () => {
    const shout = (req: ProxiedRequest, a: Answer) => {
      if (req.method !== "GET" || a.status !== 200 || !/\/(subscriptions|orders)(\/[^/]+)?$/.test(req.path)) return;
      const body = a.body as { items?: { status?: unknown }[]; status?: unknown };
      for (const x of body.items ?? [body]) if (typeof x.status === "string") x.status = x.status.toUpperCase();
    };
    run.proxy.hooks = { response: shout };
    const r = await run.cli(["apply", "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // One order for each customer whose plan buys, none for those holding the target already.
    for (const id of Object.values(DEMO)) expect(run.orders(id), id).toBe(DEMO_BUYERS.includes(id) ? 1 : 0);
    const again = await run.cli(["plan", "--detailed-exitcode"]);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toContain("No changes. Live state matches the plans.");
  });
});

describe("the re-check before a retirement fails closed", () => {
  // Wide World Importers' plan is one suspension; the planning read is honest, the re-check is not.
  it.each([
    [
      "consumedUnits null",
      (items: WireSku[]) => (sourceSku(items).consumedUnits = null),
      /listSubscribedSkus\(customer [^)]+\).*consumedUnits: must be a number, got null/,
    ],
    ["the source SKU not listed", (items: WireSku[]) => items.splice(items.indexOf(sourceSku(items)), 1), /the subscribed SKUs do not list MCOIMP/],
    [
      "the count says a user holds it again, the holders say nobody",
      (items: WireSku[]) => (sourceSku(items).consumedUnits = 1),
      /readings disagree — the subscribed SKUs count 1 consumed unit\(s\) of MCOIMP, the \S+ licence reads find 0 user\(s\) holding it/,
    ],
  ])("%s: no suspension", async (_what, edit, message) => {
    let reads = 0;
    run.proxy.hooks = { response: editList<WireSku>(DEMO.wideworld, "subscribedskus", (items) => void (++reads > 1 && edit(items))) };
    const r = await run.cli(["apply", "--auto-approve"]);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(reads).toBe(2);
    expect(run.writes(DEMO.wideworld)).toEqual([]);
    expect(r.stdout).toMatch(new RegExp(`failed +Wide World Importers \\(${DEMO.wideworld}\\): suspend failed: .*${message.source}`));
    expect(run.sandbox.changes.some((c) => c.kind === "subscription" && c.customerId === DEMO.wideworld)).toBe(false);
  });

  // New commerce: the source is cancelled (Alpine, inside its window) or its renewal turned off (Coho).
  it.each([
    ["cancel", DEMO.alpine, "Alpine Ski House"],
    ["no-renew", DEMO.coho, "Coho Winery"],
  ])("%s after the reassignments, consumedUnits null at the re-check: no retirement", async (verb, id, name) => {
    const basic = (items: WireSku[]) => items.find((k) => k.productSku.skuPartNumber === "O365_BUSINESS_ESSENTIALS")!;
    // Honest until a user's licence has moved: then the re-check before the retirement reads null.
    const moved = () => run.sandbox.changes.some((c) => c.kind === "licenses" && c.customerId === id);
    run.proxy.hooks = { response: editList<WireSku>(id, "subscribedskus", (items) => void (moved() && (basic(items).consumedUnits = null))) };
    const r = await run.cli(["apply", "--auto-approve", "--customer", id]);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toMatch(
      new RegExp(`failed +${name} \\(${id}\\): .*${verb} failed: .*listSubscribedSkus\\(customer ${id}\\).*consumedUnits: must be a number, got null`),
    );
    expect(run.writes(id).filter((w) => w.method === "PATCH")).toEqual([]);
    expect(run.orders(id)).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { reconcile } from "../../src/reconcile/reconcile.js";
import { jsonChunks, renderJson, toJsonPreview } from "../../src/render/json.js";
import { GITHUB_LIMIT, renderMarkdown } from "../../src/render/markdown.js";
import { renderText } from "../../src/render/text.js";
import { SKU, liveState, planFor, type ModelCustomer } from "../reconcile/model.js";

const NOW = { now: "2026-11-24T00:00:00Z", warnDays: 30, country: "US" };
const ESC = "\u001b";

function world(customers: number, users: number): ModelCustomer[] {
  return Array.from({ length: customers }, (_, c) => ({
    id: `customer-${String(c).padStart(4, "0")}`,
    name: `Customer ${c} <Ltd & Co>`,
    subs: [{ id: `src-${c}`, skuId: SKU.MCOIMP.skuId, quantity: users, status: "active" as const, commitmentEndDate: "2027-01-31T00:00:00Z" }],
    users: Array.from({ length: users }, (_, u) => ({ id: `u-${c}-${u}`, upn: `user${u}@customer${c}.onmicrosoft.com`, skuIds: [SKU.MCOIMP.skuId] })),
  }));
}

function preview(customers: number, users: number) {
  const w = world(customers, users);
  return reconcile([planFor(w.map((c) => ({ id: c.id, name: c.name })))], liveState(w, SKU.MCOIMP.skuId), NOW);
}

describe("markdown preview", () => {
  it("puts the summary first and one closed <details> per customer", () => {
    const md = renderMarkdown(preview(3, 2), NOW);
    expect(md.split("\n")[2]).toBe("**Plan: 3 purchases, 0 resizes, 6 reassignments, 3 suspensions across 3 customers (0 unchanged).**");
    expect(md.match(/<details>/g)).toHaveLength(3);
    expect(md.match(/<\/details>/g)).toHaveLength(3);
    expect(md).toContain("<b>Customer 0 &lt;Ltd &amp; Co&gt;</b>");
    expect(md).not.toContain("truncated");
  });

  it("stays under GitHub's limit with a truncation note when there are many customers", () => {
    const md = renderMarkdown(preview(400, 50), NOW);
    expect(md.length).toBeLessThanOrEqual(GITHUB_LIMIT);
    expect(md).toMatch(/Preview truncated:\*\* \d+ more customers with changes not shown/);
    expect(md.match(/<details>/g)!.length).toBe(md.match(/<\/details>/g)!.length);
    expect(md).toContain("across 400 customers");
  });

  it("cuts one huge customer's action list rather than dropping it", () => {
    const md = renderMarkdown(preview(1, 5000), NOW);
    expect(md.length).toBeLessThanOrEqual(GITHUB_LIMIT);
    expect(md).toMatch(/… \d+ more actions not shown/);
    expect(md.match(/```/g)!.length % 2).toBe(0);
  });
});

describe("text preview", () => {
  it("colours markers only when asked, and ends with the summary line", () => {
    const plain = renderText(preview(1, 1), { color: false, now: NOW.now });
    expect(plain).not.toContain(ESC);
    expect(plain.trimEnd().split("\n").at(-1)).toBe("Plan: 1 purchase, 0 resizes, 1 reassignment, 1 suspension across 1 customer (0 unchanged).");
    expect(renderText(preview(1, 1), { color: true, now: NOW.now })).toContain(`${ESC}[32m+${ESC}[39m purchase`);
  });

  it("says so when nothing is to be done", () => {
    expect(renderText([], { color: false, now: NOW.now })).toBe("No changes. Live state matches the plans.\n");
  });
});

describe("json preview", () => {
  it("is versioned and has one reassign action per user", () => {
    const doc = JSON.parse(renderJson(preview(2, 3))) as { formatVersion: number; customers: { actions: { kind: string; userPrincipalName?: string }[] }[] };
    expect(doc.formatVersion).toBe(1);
    expect(doc.customers[0].actions.filter((a) => a.kind === "reassign").map((a) => a.userPrincipalName)).toEqual([
      "user0@customer0.onmicrosoft.com",
      "user1@customer0.onmicrosoft.com",
      "user2@customer0.onmicrosoft.com",
    ]);
  });

  it("is written a customer at a time, byte for byte what one JSON.stringify of the whole would print", () => {
    for (const [customers, users] of [
      [0, 0],
      [1, 2],
      [5, 3],
    ] as const) {
      const plans = preview(customers, users);
      const chunks = [...jsonChunks(plans)];
      expect(chunks).toHaveLength(customers + 2);
      expect(chunks.join("")).toBe(JSON.stringify(toJsonPreview(plans), null, 2) + "\n");
    }
  });
});

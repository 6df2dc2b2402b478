/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers from the wire are checked by assertions, not types */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FIXTURE_PATH, generateWorld, loadFixture, startSandbox, validateFixture } from "../../src/sandbox/index.js";
import { C, SKU, call } from "./helpers/sandbox.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pcplan-fixture-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function demoJson(): Promise<any> {
  return JSON.parse(await readFile(DEMO_FIXTURE_PATH, "utf8"));
}

describe("fixture validation", () => {
  it("loads the demo world as docs/demo-world.md describes it", async () => {
    const f = await loadFixture(DEMO_FIXTURE_PATH);
    // Nine legacy customers, then eight new-commerce ones, then Lucerne, licensed through a group (docs/demo-world.md).
    expect(f.customers).toHaveLength(18);
    const byId = (id: string) => f.customers.find((c) => c.id === id)!;
    expect(byId(C.contoso).users).toHaveLength(12);
    // Dates relative to the sandbox clock (docs/sandbox.md): at the pinned now 2026-11-24 this is 2027-03-31.
    expect(byId(C.contoso).subscriptions[0]).toMatchObject({ quantity: 12, autoRenewEnabled: false, commitmentEndDate: "today+P127D" });
    expect(
      byId(C.fabrikam)
        .users.filter((u) => u.licenses.includes(SKU.MCOIMP))
        .map((u) => u.userPrincipalName),
    ).toContain("ceo@fabrikam.onmicrosoft.com");
    expect(byId(C.wideworld).users.every((u) => u.licenses.length === 0)).toBe(true);
    expect(
      f.offers
        .filter((o) => !o.isAvailableForPurchase)
        .map((o) => f.skus.find((s) => s.id === o.skuId)!.skuPartNumber)
        .sort(),
    ).toEqual(["MCOIMP", "MCOIMP_GOV"]);
    expect(f.credentials.map((c) => c.role).sort()).toEqual(["admin-agent", "admin-agent", "helpdesk-agent", "sales-agent"]);
  });

  it("rejects an unknown field and a wrong type, naming the file and the field path", async () => {
    const bad = await demoJson();
    bad.customers[1].subscriptions[0].quantity = "twelve";
    bad.customers[0].users[2].lisences = [];
    const path = join(dir, "bad.json");
    await writeFile(path, JSON.stringify(bad));
    const err = await loadFixture(path).then(
      () => new Error("no error"),
      (e: unknown) => e as Error,
    );
    expect(err.message).not.toBe("no error");
    expect(err.message).toContain(path);
    expect(err.message).toContain("/customers/1/subscriptions/0/quantity: must be integer");
    expect(err.message).toContain('/customers/0/users/2: unknown field "lisences"');
  });

  it("rejects broken references: an offer no subscription can resolve, a suspended sub without suspendedAt", async () => {
    const bad = await demoJson();
    bad.customers[0].subscriptions[0].offerId = "NO-SUCH-OFFER";
    bad.customers[2].subscriptions[1].suspendedAt = undefined;
    expect(() => validateFixture(JSON.parse(JSON.stringify(bad)), "x.json")).toThrow(
      /\/customers\/0\/subscriptions\/0\/offerId: unknown offer NO-SUCH-OFFER[\s\S]*\/customers\/2\/subscriptions\/1: missing field "suspendedAt"/,
    );
  });

  it("rejects broken new-commerce references: catalog items, NCE-only fields, SKUs, GDAP customers", async () => {
    const bad = await demoJson();
    const alpine = bad.customers.findIndex((c: any) => c.companyName === "Alpine Ski House");
    bad.customers[alpine].subscriptions[0].offerId = "CFQ7TTC0LH18:0001:GONE";
    bad.customers[0].subscriptions[0].transitionEligibilities = [];
    bad.products[0].skus[0].provisioningId = "00000000-0000-0000-0000-000000000009";
    bad.credentials[0].gdap["11111111-2222-3333-4444-555555555555"] = ["Directory Readers"];
    const errors = (() => {
      try {
        validateFixture(bad, "x.json");
        return "";
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(errors).toContain(`/customers/${alpine}/subscriptions/0/offerId: unknown catalog item CFQ7TTC0LH18:0001:GONE`);
    expect(errors).toContain("/customers/0/subscriptions/0/transitionEligibilities: only new-commerce subscriptions have it");
    expect(errors).toContain("/products/0/skus/0/provisioningId: unknown sku 00000000-0000-0000-0000-000000000009");
    expect(errors).toContain("/credentials/0/gdap/11111111-2222-3333-4444-555555555555: unknown customer");
  });

  it("names the file when it is not JSON", async () => {
    const path = join(dir, "broken.json");
    await writeFile(path, "{ nope");
    await expect(loadFixture(path)).rejects.toThrow(`${path}: sandbox fixture is not valid JSON`);
  });
});

describe("generateWorld", () => {
  it("builds N customers sharing exactly M users, schema-valid, in the expected mix", () => {
    const w = generateWorld({ customers: 200, users: 5000, seed: 3 });
    expect(w.customers).toHaveLength(200);
    expect(w.customers.reduce((n, c) => n + c.users.length, 0)).toBe(5000);
    expect(() => validateFixture(w)).not.toThrow();
    const sizes = w.customers.map((c) => c.users.length);
    expect(Math.max(...sizes)).toBeGreaterThan(2 * Math.min(...sizes));
    const skype = SKU.MCOIMP;
    const untouched = w.customers.filter((c) => c.users.length > 0 && c.users.every((u) => u.licenses.includes(skype))).length;
    const noSkype = w.customers.filter((c) => !c.subscriptions.some((s) => w.offers.find((o) => o.id === s.offerId)!.skuId === skype)).length;
    const migrated = w.customers.filter((c) => c.subscriptions.some((s) => s.status === "suspended")).length;
    for (const n of [untouched / 200, noSkype / 200, migrated / 200]) expect(n).toBeGreaterThan(0.1);
    expect(untouched / 200).toBeGreaterThan(0.3);
  });

  it("makes a share of the customers new-commerce ones, leaving worlds without that share as they were", () => {
    const plain = generateWorld({ customers: 200, users: 5000, seed: 3 });
    expect(generateWorld({ customers: 200, users: 5000, seed: 3, nce: 0 })).toEqual(plain);
    expect(plain.customers.every((c) => c.subscriptions.every((s) => !s.offerId.includes(":")))).toBe(true);

    const w = generateWorld({ customers: 200, users: 5000, seed: 3, nce: 0.5 });
    expect(() => validateFixture(w)).not.toThrow();
    expect(w.customers.reduce((n, c) => n + c.users.length, 0)).toBe(5000);
    const nce = w.customers.filter((c) => c.subscriptions.some((s) => s.offerId.split(":").length === 3));
    expect(nce.length / 200).toBeGreaterThan(0.35);
    expect(nce.length / 200).toBeLessThan(0.65);
    const holdingBasic = nce.filter((c) => c.users.some((u) => u.licenses.includes(SKU.BASIC)));
    expect(holdingBasic.length).toBeGreaterThan(0.3 * nce.length);
    const eligibilities = nce.flatMap((c) => c.subscriptions.flatMap((s) => s.transitionEligibilities ?? []));
    expect(eligibilities.some((e) => e.eligibilities.some((d) => d.transitionType === "transition_with_license_transfer" && !d.isEligible))).toBe(true);
    expect(eligibilities.some((e) => e.eligibilities.some((d) => d.transitionType === "transition_with_license_transfer" && d.isEligible))).toBe(true);
    // The demo's per-customer GDAP entries name customers a generated world does not have.
    expect(w.credentials.every((c) => Object.keys(c.gdap ?? {}).every((k) => k === "*"))).toBe(true);
    expect(() => generateWorld({ customers: 1, users: 1, nce: 2 })).toThrow(RangeError);
  });

  it("is deterministic per seed", () => {
    const a = generateWorld({ customers: 50, users: 900, seed: 9 });
    expect(generateWorld({ customers: 50, users: 900, seed: 9 })).toEqual(a);
    expect(generateWorld({ customers: 50, users: 900, seed: 10 })).not.toEqual(a);
  });

  it("builds 2,000 customers / 50,000 users: every user once, every id unique (its speed is npm run bench's to measure)", () => {
    const w = generateWorld({ customers: 2000, users: 50_000, seed: 1 });
    const users = w.customers.flatMap((c) => c.users);
    expect(users).toHaveLength(50_000);
    const ids = [...w.customers.map((c) => c.id), ...users.map((u) => u.id), ...w.customers.flatMap((c) => c.subscriptions.map((s) => s.id))];
    expect(new Set(ids.map((id) => id.toLowerCase())).size).toBe(ids.length);
  });

  it("serves a generated world", async () => {
    const sb = await startSandbox({ fixture: generateWorld({ customers: 30, users: 400, seed: 5 }), defaultPageSize: 100 });
    try {
      const res = await call(sb, "GET", "/customers");
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(30);
      expect(res.body.links.next).toBeUndefined();
    } finally {
      await sb.close();
    }
  });
});

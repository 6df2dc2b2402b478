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
    // Nine legacy customers, then eight new-commerce ones (docs/demo-world.md).
    expect(f.customers).toHaveLength(17);
    const byId = (id: string) => f.customers.find((c) => c.id === id)!;
    expect(byId(C.contoso).users).toHaveLength(12);
    expect(byId(C.contoso).subscriptions[0]).toMatchObject({ quantity: 12, autoRenewEnabled: false, commitmentEndDate: "2027-03-31T00:00:00Z" });
    expect(byId(C.fabrikam).users.filter((u) => u.licenses.includes(SKU.MCOIMP)).map((u) => u.userPrincipalName)).toContain("ceo@fabrikam.onmicrosoft.com");
    expect(byId(C.wideworld).users.every((u) => u.licenses.length === 0)).toBe(true);
    expect(f.offers.filter((o) => !o.isAvailableForPurchase).map((o) => f.skus.find((s) => s.id === o.skuId)!.skuPartNumber).sort()).toEqual([
      "MCOIMP",
      "MCOIMP_GOV",
    ]);
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

  it("is deterministic per seed", () => {
    const a = generateWorld({ customers: 50, users: 900, seed: 9 });
    expect(generateWorld({ customers: 50, users: 900, seed: 9 })).toEqual(a);
    expect(generateWorld({ customers: 50, users: 900, seed: 10 })).not.toEqual(a);
  });

  it("builds 2,000 customers / 50,000 users in well under a second", () => {
    generateWorld({ customers: 10, users: 100 }); // load the catalog once
    // Best of three, so a busy machine's scheduler noise does not decide the outcome.
    let best = Infinity;
    let w = generateWorld({ customers: 1, users: 1 });
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      w = generateWorld({ customers: 2000, users: 50_000, seed: 1 });
      best = Math.min(best, performance.now() - t);
    }
    expect(best).toBeLessThan(1000);
    expect(w.customers.reduce((n, c) => n + c.users.length, 0)).toBe(50_000);
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

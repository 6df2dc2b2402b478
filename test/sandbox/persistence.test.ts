/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- JSON answers from the wire are checked by assertions, not types */
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../../src/sandbox/index.js";
import { C, ITEM, N, NOW, SKU, buy, call, getSubscription, later, offerFor, startDemo } from "./helpers/sandbox.js";

let dir: string;
let sb: SandboxHandle | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pcplan-sandbox-"));
});
afterEach(async () => {
  await sb?.close();
  sb = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe("state file", () => {
  it("survives a restart: orders, licenses and idempotency records", async () => {
    const statePath = join(dir, "state.json");
    sb = await startDemo({ statePath });
    const body = { billingCycle: "monthly", lineItems: [{ lineItemNumber: 0, offerId: offerFor(sb, SKU.DESKLESSPACK), quantity: 12 }] };
    const first = await call(sb, "POST", `/customers/${C.contoso}/orders`, { body, headers: { "MS-RequestId": "r-1" } });
    const user = sb.world().customers.find((c) => c.id === C.contoso)!.users[0];
    const lic = await call(sb, "POST", `/customers/${C.contoso}/users/${user.id}/licenseupdates`, {
      body: { licensesToAssign: [{ skuId: SKU.DESKLESSPACK }], licensesToRemove: [SKU.MCOIMP] },
    });
    expect(lic.status).toBe(201);
    await sb.close();

    // A different fixture argument does not matter: the state file wins.
    sb = await startDemo({ statePath });
    const subs = await call(sb, "GET", `/customers/${C.contoso}/subscriptions`);
    expect(subs.body.items).toHaveLength(2);
    const licenses = await call(sb, "GET", `/customers/${C.contoso}/users/${user.id}/licenses`);
    expect(licenses.body.items.map((l: any) => l.productSku.skuPartNumber)).toEqual(["DESKLESSPACK"]);
    const replay = await call(sb, "POST", `/customers/${C.contoso}/orders`, { body, headers: { "MS-RequestId": "r-1" } });
    expect(replay.body).toEqual(first.body);
    expect((await call(sb, "GET", `/customers/${C.contoso}/subscriptions`)).body.items).toHaveLength(2);
    // A restarted sandbox hands out new ids, not the ones it already used.
    const second = await call(sb, "POST", `/customers/${C.contoso}/orders`, { body, headers: { "MS-RequestId": "r-2" } });
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.lineItems[0].subscriptionId).not.toBe(first.body.lineItems[0].subscriptionId);
  });

  it("writes atomically: no temp files left, the file always parses", async () => {
    const statePath = join(dir, "state.json");
    sb = await startDemo({ statePath });
    const offerId = offerFor(sb, SKU.DESKLESSPACK);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(sb!, "POST", `/customers/${C.contoso}/orders`, {
          body: { lineItems: [{ lineItemNumber: 0, offerId, quantity: 1 }] },
          headers: { "MS-RequestId": `p-${i}` },
        }),
      ),
    );
    const saved = JSON.parse(await readFile(statePath, "utf8"));
    expect(saved.customers.find((c: any) => c.id === C.contoso).subscriptions).toHaveLength(11);
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("keeps a cart's first checkout and an order still provisioning across a restart", async () => {
    const statePath = join(dir, "state.json");
    sb = await startDemo({ statePath, provisioningDelayMs: 60_000 });
    const { cart, checkout } = await buy(sb, N.alpine, ITEM.standardUS, 8);
    await sb.close();
    sb = await startDemo({ statePath });
    const again = await call(sb, "POST", `/customers/${N.alpine}/carts/${cart.body.id}/checkout`);
    expect(again.body).toEqual(checkout.body);
    const order = checkout.body.orders[0].id;
    const status = () => call(sb!, "GET", `/customers/${N.alpine}/orders/${order}/provisioningstatus`);
    expect((await status()).body.items[0].status).toBe("prefulfillmentPending");
    later(sb, NOW, 61_000);
    expect((await status()).body.items[0].status).toBe("fulfilled");
  });

  it("loads a state file written before new commerce (no products, carts, transitions)", async () => {
    const statePath = join(dir, "state.json");
    sb = await startDemo({ statePath });
    await sb.close();
    const old = JSON.parse(await readFile(statePath, "utf8"));
    delete old.products;
    for (const c of old.customers) {
      delete c.carts;
      delete c.transitions;
      delete c.country;
    }
    await writeFile(statePath, JSON.stringify(old));
    sb = await startDemo({ statePath });
    const cart = await call(sb, "POST", `/customers/${C.contoso}/carts`, {
      body: { lineItems: [{ id: 0, catalogItemId: ITEM.f3, quantity: 1, billingCycle: "monthly", termDuration: "P1Y" }] },
    });
    expect(cart.status).toBe(201);
    expect(cart.body.lineItems[0].error.errorCode).toBe(10001);
    expect((await call(sb, "GET", `/customers/${C.contoso}/orders`)).body.items).toEqual([]);
  });

  it("refuses a state file that is not one", async () => {
    const statePath = join(dir, "state.json");
    await import("node:fs/promises").then((fs) => fs.writeFile(statePath, '{"hello": 1}'));
    await expect(startDemo({ statePath })).rejects.toThrow(/not a pcplan sandbox state file/);
  });

  it("refuses a state an older pcplan wrote (no app consents in it: every app would be refused), naming the fix", async () => {
    const statePath = join(dir, "state.json");
    const fs = await import("node:fs/promises");
    await fs.writeFile(statePath, JSON.stringify({ formatVersion: 1, customers: [], credentials: [] }));
    await expect(startDemo({ statePath })).rejects.toThrow(/formatVersion 1; this one reads 2\): delete it to start the demo world afresh/);
  });
});

describe("deprovisioning", () => {
  it("deletes a suspended subscription once 120 days have passed, not before", async () => {
    sb = await startDemo();
    // Northwind's MCOIMP was suspended 2026-10-01; 120 days later is 2027-01-29.
    sb.setClock("2027-01-28T23:00:00Z");
    const before = await getSubscription(sb, C.northwind, SKU.MCOIMP, "suspended");
    expect(before.status).toBe("suspended");
    let skus = await call(sb, "GET", `/customers/${C.northwind}/subscribedskus`);
    expect(skus.body.items.find((s: any) => s.productSku.id === SKU.MCOIMP)).toMatchObject({ suspendedUnits: 5 });

    sb.setClock("2027-01-29T00:00:01Z");
    const after = await call(sb, "GET", `/customers/${C.northwind}/subscriptions/${before.id}`);
    expect(after.body.status).toBe("deleted");
    skus = await call(sb, "GET", `/customers/${C.northwind}/subscribedskus`);
    expect(skus.body.items.find((s: any) => s.productSku.id === SKU.MCOIMP)).toBeUndefined();
    expect(sb.changes.filter((c) => c.kind === "deprovision")).toEqual([
      { seq: expect.any(Number), kind: "deprovision", customerId: C.northwind, subscriptionId: before.id },
    ]);
  });

  it("counts from the suspension the sandbox itself recorded", async () => {
    sb = await startDemo();
    const sub = await getSubscription(sb, C.wideworld, SKU.MCOIMP);
    await call(sb, "PATCH", `/customers/${C.wideworld}/subscriptions/${sub.id}`, {
      body: { ...sub, status: "suspended" },
      headers: { "If-Match": sub.attributes.etag },
    });
    sb.setClock("2027-03-23T00:00:00Z"); // 119 days after 2026-11-24
    expect((await call(sb, "GET", `/customers/${C.wideworld}/subscriptions/${sub.id}`)).body.status).toBe("suspended");
    sb.setClock("2027-03-25T00:00:00Z");
    expect((await call(sb, "GET", `/customers/${C.wideworld}/subscriptions/${sub.id}`)).body.status).toBe("deleted");
  });
});

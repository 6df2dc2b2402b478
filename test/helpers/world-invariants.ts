/**
 * What must hold after any sequence of applies of generated-world plans (test/helpers/world-plans.ts),
 * however they were interrupted, raced or lied to, once they converged: read from the sandbox's
 * own record of changes, never from pcplan's output.
 */
import { expect } from "vitest";
import { nceProductFor } from "../../src/catalog/nce-products.js";
import type { SandboxFixture, SandboxHandle } from "../../src/sandbox/index.js";
import { worldSkus, type WorldPlans } from "./world-plans.js";

const lc = (s: string) => s.toLowerCase();

/** Orders the sandbox took, per customer id (lowercase). */
export function ordersPerCustomer(sandbox: SandboxHandle): Map<string, number> {
  const per = new Map<string, number>();
  for (const o of sandbox.changes) if (o.kind === "order") per.set(lc(o.customerId), (per.get(lc(o.customerId)) ?? 0) + 1);
  return per;
}

/**
 * No duplicate purchase, no user ever without the source or the target licence, no suspension
 * of a subscription in use, nothing for customers outside the plans — and, with `converged`,
 * the final world is the plans (every holder moved but the excluded, the source retired iff
 * nobody holds it, enough target seats). `skip` names customers left alone on purpose.
 */
export function checkWorldInvariants(
  sandbox: SandboxHandle,
  world: SandboxFixture,
  plans: WorldPlans,
  opts: { converged: boolean; skip?: ReadonlySet<string> },
): void {
  const { source, target, sourceOffers } = worldSkus(world);
  const planned = new Set(plans.customerIds);
  const writes = sandbox.requestLog.filter((r) => r.write);

  // Nothing for customers not in a plan (from the path: a 429/5xx answers before routing sets customerId).
  for (const w of writes) expect(planned.has(lc(/^\/v1\/customers\/([^/]+)/i.exec(w.path)?.[1] ?? "")), w.path).toBe(true);

  // No duplicate purchase: at most one order per customer, none where a target subscription already existed.
  // A target subscription is a legacy offer of the target SKU or a new-commerce item of its product.
  const targetOffers = new Set(world.offers.filter((o) => lc(o.skuId) === target).map((o) => lc(o.id)));
  const targetItem = lc(nceProductFor(target)?.catalogItem ?? "-");
  const isTarget = (offerId: string) => targetOffers.has(lc(offerId)) || lc(offerId).startsWith(`${targetItem}:`);
  for (const [id, n] of ordersPerCustomer(sandbox)) {
    expect(n, `orders for ${id}`).toBe(1);
    const before = world.customers.find((c) => lc(c.id) === id)!;
    expect(
      before.subscriptions.some((s) => isTarget(s.offerId) && s.status === "active"),
      `bought a second target for ${id}`,
    ).toBe(false);
  }

  // At no point a user without either the source or the target license.
  for (const c of sandbox.changes) {
    if (c.kind !== "licenses") continue;
    const after = c.skuIdsAfter.map(lc);
    expect(after.includes(source) || after.includes(target), `user ${c.userId} left without Skype or F3`).toBe(true);
  }

  // Never a suspension of a subscription with consumed units.
  const suspensions = sandbox.changes.filter((c) => c.kind === "subscription" && c.status === "suspended");
  for (const s of suspensions) {
    const log =
      s.kind === "subscription"
        ? sandbox.requestLog
            .filter((e) => e.customerId === s.customerId && e.write)
            .map((e) => `${e.seq} ${e.method} ${e.path} ${e.status}${e.fault ? ` ${e.fault}` : ""}`)
        : [];
    expect(s.kind === "subscription" && s.consumedUnitsOfSku, `suspended in use: ${JSON.stringify(s)}\n${log.join("\n")}`).toBe(0);
  }
  if (!opts.converged) return;
  expect(suspensions.length).toBeGreaterThan(0);

  // The final world is the plans: every non-excluded holder moved, the source suspended where nobody holds it.
  const after = sandbox.world();
  for (const id of planned) {
    if (opts.skip?.has(id)) continue;
    const was = world.customers.find((c) => lc(c.id) === id)!;
    const now = after.customers.find((c) => lc(c.id) === id)!;
    const holdsSourceBefore = was.users.filter((u) => u.licenses.map(lc).includes(source));
    for (const u of holdsSourceBefore) {
      const nowU = now.users.find((x) => x.id === u.id)!;
      const skus = nowU.licenses.map(lc);
      if (plans.excluded.has(lc(u.userPrincipalName))) expect(skus).toContain(source);
      else {
        expect(skus, `${u.userPrincipalName}`).toContain(target);
        expect(skus, `${u.userPrincipalName}`).not.toContain(source);
      }
      // Other licenses survive.
      for (const l of u.licenses.map(lc)) if (l !== source) expect(skus).toContain(l);
    }
    const stillHeld = now.users.some((u) => u.licenses.map(lc).includes(source));
    const activeSource = now.subscriptions.filter((s) => sourceOffers.has(lc(s.offerId)) && s.status === "active");
    expect(activeSource.length > 0, `source subscription of ${id} active iff still held`).toBe(stillHeld);
    const onTarget = now.users.filter((u) => u.licenses.map(lc).includes(target)).length;
    const seats = now.subscriptions.filter((s) => isTarget(s.offerId) && s.status === "active").reduce((n, s) => n + s.quantity, 0);
    expect(seats, `target seats of ${id}`).toBeGreaterThanOrEqual(onTarget);
  }
}

/**
 * Licence rules both API sides of the sandbox share, so a licence changed through Partner
 * Center or through Graph follows the same rules and is seen by the other: which SKUs a customer
 * "subscribes" to, and an atomic assign + remove on one user (all checked before anything
 * changes). Each side words the problems in its own error shape.
 */
import type { WorldState } from "./state.js";
import type { FixtureSku, FixtureUser, NewStateChange, WorldCustomer } from "./types.js";

/** One SKU per live subscription's licence SKU or licence any user holds. */
export function subscribedSkus(state: WorldState, c: WorldCustomer): FixtureSku[] {
  const ids = new Set<string>();
  for (const s of c.subscriptions) {
    const sku = s.status !== "deleted" ? state.skuOfSubscription(s) : undefined;
    if (sku) ids.add(sku);
  }
  for (const u of c.users) for (const l of u.licenses) ids.add(l.toLowerCase());
  return [...ids].map((id) => state.sku(id)).filter((s): s is FixtureSku => s !== undefined);
}

export type LicenseProblem =
  { kind: "not-held"; skuId: string } | { kind: "unknown-sku"; skuId: string } | { kind: "in-both"; skuId: string } | { kind: "no-units"; skuId: string };

export type LicenseCheck = { ok: true; toAdd: string[] } | { ok: false; problem: LicenseProblem };

const lc = (s: string): string => s.toLowerCase();

/** Validates an assign + remove on one user against the customer's units; changes nothing. */
export function checkLicenseChange(state: WorldState, c: WorldCustomer, u: FixtureUser, assign: readonly string[], remove: readonly string[]): LicenseCheck {
  const held = new Set(u.licenses.map(lc));
  const removeSet = new Set(remove.map(lc));
  for (const id of remove) if (!held.has(lc(id))) return { ok: false, problem: { kind: "not-held", skuId: id } };
  const toAdd: string[] = [];
  for (const id of assign) {
    const sku = state.sku(id);
    if (!sku) return { ok: false, problem: { kind: "unknown-sku", skuId: id } };
    if (removeSet.has(lc(sku.id))) return { ok: false, problem: { kind: "in-both", skuId: sku.id } };
    if (held.has(lc(sku.id)) || toAdd.some((x) => lc(x) === lc(sku.id))) continue;
    if (state.units(c, sku.id, "active") - state.consumedUnits(c, sku.id) < 1) return { ok: false, problem: { kind: "no-units", skuId: sku.id } };
    toAdd.push(sku.id);
  }
  return { ok: true, toAdd };
}

/** Applies a checked change and records it. */
export function commitLicenseChange(
  c: WorldCustomer,
  u: FixtureUser,
  toAdd: readonly string[],
  remove: readonly string[],
  record: (change: NewStateChange) => void,
  requestId?: string,
): void {
  const removeSet = new Set(remove.map(lc));
  const removed = u.licenses.filter((l) => removeSet.has(lc(l)));
  u.licenses = [...u.licenses.filter((l) => !removeSet.has(lc(l))), ...toAdd];
  record({
    kind: "licenses",
    customerId: c.id,
    userId: u.id,
    skuIdsAfter: [...u.licenses],
    assigned: [...toAdd],
    removed,
    ...(requestId !== undefined ? { requestId } : {}),
  });
}

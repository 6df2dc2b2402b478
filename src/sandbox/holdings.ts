/** What a user holds: licences assigned directly and through groups, and the plans disabled on a direct assignment. */
import type { FixtureUser } from "./types.js";

const lc = (s: string): string => s.toLowerCase();

/** Every SKU the user holds, directly or through a group (Graph's assignedLicenses), once. */
export function heldSkus(u: FixtureUser): string[] {
  const out = [...u.licenses];
  for (const g of u.groupLicenses ?? []) if (!out.some((l) => lc(l) === lc(g.skuId))) out.push(g.skuId);
  return out;
}

export function holds(u: FixtureUser, skuId: string): boolean {
  return heldSkus(u).some((l) => lc(l) === lc(skuId));
}

/** The disabled service plans of the user's direct assignment of a SKU. */
export function disabledPlansOf(u: FixtureUser, skuId: string): string[] {
  return u.disabledPlans?.[lc(skuId)] ?? [];
}

/** What a user holds: licences assigned directly and through groups, and the plans disabled on a direct assignment. */
import type { FixtureUser, WorldCustomer } from "./types.js";

const lc = (s: string): string => s.toLowerCase();

/** Every SKU the user holds, directly or through a group (Graph's assignedLicenses), once. */
export function heldSkus(u: FixtureUser): string[] {
  const out = [...u.licenses];
  // An assignment in error is not held (licenseAssignmentState: state Error, no unit consumed).
  for (const g of u.groupLicenses ?? []) if (g.error === undefined && !out.some((l) => lc(l) === lc(g.skuId))) out.push(g.skuId);
  return out;
}

export function holds(u: FixtureUser, skuId: string): boolean {
  return heldSkus(u).some((l) => lc(l) === lc(skuId));
}

/** The disabled service plans of the user's direct assignment of a SKU. */
export function disabledPlansOf(u: FixtureUser, skuId: string): string[] {
  return u.disabledPlans?.[lc(skuId)] ?? [];
}

/** The licences a group gives every member at the start: what a fixture's groups say, added to what its users list. */
export function inheritAtStart(c: WorldCustomer): void {
  for (const g of c.groups ?? []) {
    for (const id of g.members) {
      const u = c.users.find((x) => lc(x.id) === lc(id));
      if (!u) continue;
      for (const l of g.licenses ?? []) {
        const entries = (u.groupLicenses ??= []);
        if (entries.some((e) => lc(e.group) === lc(g.id) && lc(e.skuId) === lc(l.skuId))) continue;
        entries.push({ skuId: l.skuId, group: g.id, ...(l.disabledPlans?.length ? { disabledPlans: [...l.disabledPlans] } : {}) });
      }
    }
  }
}

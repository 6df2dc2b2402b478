import type { CustomerPlan, LiveCustomer } from "../reconcile/types.js";
import type { LicenceAssignmentError } from "./types.js";

/**
 * The licence assignments of the plan's source or target that Microsoft recorded as failed, per
 * user and group, from the holders as read (Graph's licenseAssignmentStates, state Error:
 * learn.microsoft.com/graph/api/resources/licenseassignmentstate; what each error means and how to
 * resolve it: learn.microsoft.com/entra/identity/users/licensing-groups-resolve-problems). Partner
 * Center reads no assignment states: none there.
 */
export function licenceErrorsOf(c: CustomerPlan, lc: LiveCustomer): LicenceAssignmentError[] {
  const skus = new Map([
    [c.source.skuId, c.source.skuPartNumber],
    [c.target.skuId, c.target.skuPartNumber],
  ]);
  const groupName = (id: string) => lc.groups?.find((g) => g.id === id)?.name ?? id;
  const out: LicenceAssignmentError[] = [];
  for (const u of lc.users ?? []) {
    for (const a of u.assignments ?? []) {
      const sku = skus.get(a.skuId);
      if (a.error === undefined || sku === undefined) continue;
      out.push({ kind: "license-error", upn: u.upn, sku, error: a.error, group: a.group === null ? null : groupName(a.group) });
    }
  }
  return out.sort((a, b) => a.upn.localeCompare(b.upn) || a.sku.localeCompare(b.sku));
}

/**
 * Licence rules both API sides of the sandbox share, so a licence changed through Partner
 * Center or through Graph follows the same rules and is seen by the other: which SKUs a customer
 * "subscribes" to, what a user holds (directly, or through a group), and an atomic assign +
 * remove on one user (all checked before anything changes). Each side words the problems in its
 * own error shape.
 *
 * As the reference has it: an assignment carries the service plans disabled on it, and adding a
 * licence the user already holds sets its disabled plans (user-assignlicense, assign-licenses-to-a-user),
 * so re-asserting it with the same ones changes nothing and succeeds; a licence held through a
 * group (group-based licensing) cannot be removed from the user directly ("User license is
 * inherited from a group membership and it cannot be removed directly from the user.";
 * learn.microsoft.com/entra/identity/users/licensing-group-advanced), a direct copy beside it can.
 */
import { disabledPlansOf, heldSkus, holds } from "./holdings.js";
import type { WorldState } from "./state.js";
import type { FixtureSku, FixtureUser, NewStateChange, WorldCustomer } from "./types.js";

const lc = (s: string): string => s.toLowerCase();

/** One SKU per live subscription's licence SKU or licence any user holds. */
export function subscribedSkus(state: WorldState, c: WorldCustomer): FixtureSku[] {
  const ids = new Set<string>();
  for (const s of c.subscriptions) {
    const sku = s.status !== "deleted" ? state.skuOfSubscription(s) : undefined;
    if (sku) ids.add(sku);
  }
  for (const u of c.users) for (const l of heldSkus(u)) ids.add(lc(l));
  return [...ids].map((id) => state.sku(id)).filter((s): s is FixtureSku => s !== undefined);
}

export type LicenseProblem =
  | { kind: "not-held"; skuId: string }
  | { kind: "inherited"; skuId: string; group: string }
  | { kind: "unknown-sku"; skuId: string }
  | { kind: "in-both"; skuId: string }
  | { kind: "no-units"; skuId: string };

/** A licence to assign, with the service plans to disable on it (null or absent: none). */
export interface Assignment {
  skuId: string;
  disabledPlans?: readonly string[] | null;
}

/** What a checked change does: SKUs that become direct assignments, and the disabled plans each assignment ends with. */
export interface CheckedChange {
  toAdd: string[];
  plans: { skuId: string; disabledPlans: string[] }[];
}

export type LicenseCheck = ({ ok: true } & CheckedChange) | { ok: false; problem: LicenseProblem };

const samePlans = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((p) => b.some((q) => lc(p) === lc(q)));

function removalProblem(u: FixtureUser, id: string): LicenseProblem | undefined {
  if (u.licenses.some((l) => lc(l) === lc(id))) return undefined;
  const group = u.groupLicenses?.find((g) => lc(g.skuId) === lc(id));
  return group ? { kind: "inherited", skuId: id, group: group.group } : { kind: "not-held", skuId: id };
}

/** Validates an assign + remove on one user against the customer's units; changes nothing. */
export function checkLicenseChange(
  state: WorldState,
  c: WorldCustomer,
  u: FixtureUser,
  assign: readonly Assignment[],
  remove: readonly string[],
): LicenseCheck {
  for (const id of remove) {
    const problem = removalProblem(u, id);
    if (problem) return { ok: false, problem };
  }
  const removeSet = new Set(remove.map(lc));
  const out: CheckedChange = { toAdd: [], plans: [] };
  for (const a of assign) {
    const sku = state.sku(a.skuId);
    if (!sku) return { ok: false, problem: { kind: "unknown-sku", skuId: a.skuId } };
    if (removeSet.has(lc(sku.id))) return { ok: false, problem: { kind: "in-both", skuId: sku.id } };
    const plans = [...(a.disabledPlans ?? [])];
    const direct = u.licenses.some((l) => lc(l) === lc(sku.id));
    if (direct && samePlans(plans, disabledPlansOf(u, sku.id))) continue;
    if (!direct && !out.toAdd.some((x) => lc(x) === lc(sku.id))) {
      // A user already holding it through a group consumes no second unit.
      if (!holds(u, sku.id) && state.units(c, sku.id, "active") - state.consumedUnits(c, sku.id) < 1)
        return { ok: false, problem: { kind: "no-units", skuId: sku.id } };
      out.toAdd.push(sku.id);
    }
    out.plans.push({ skuId: sku.id, disabledPlans: plans });
  }
  return { ok: true, ...out };
}

/** Applies a checked change and records it; a change that changes nothing (a re-asserted licence) records nothing. */
export function commitLicenseChange(
  c: WorldCustomer,
  u: FixtureUser,
  change: CheckedChange,
  remove: readonly string[],
  record: (change: NewStateChange) => void,
  requestId?: string,
): void {
  if (change.toAdd.length === 0 && change.plans.length === 0 && remove.length === 0) return;
  const removeSet = new Set(remove.map(lc));
  const removed = u.licenses.filter((l) => removeSet.has(lc(l)));
  u.licenses = [...u.licenses.filter((l) => !removeSet.has(lc(l))), ...change.toAdd];
  const plans = Object.fromEntries(Object.entries(u.disabledPlans ?? {}).filter(([k]) => !removeSet.has(k)));
  for (const p of change.plans) plans[lc(p.skuId)] = p.disabledPlans;
  for (const [k, v] of Object.entries(plans)) if (v.length === 0) delete plans[k];
  if (Object.keys(plans).length > 0) u.disabledPlans = plans;
  else delete u.disabledPlans;
  record({
    kind: "licenses",
    customerId: c.id,
    userId: u.id,
    skuIdsAfter: heldSkus(u),
    assigned: [...change.toAdd],
    removed,
    ...(requestId !== undefined ? { requestId } : {}),
  });
}

/**
 * Group-based licensing in the sandbox, as the reference describes it: a group's licences are
 * inherited by its direct members (learn.microsoft.com/entra/fundamentals/concept-group-based-licensing);
 * `POST /groups/{id}/assignLicense` changes the group's own assignment and answers 202 at once
 * (learn.microsoft.com/graph/api/group-assignlicense); its members are processed later, while the
 * group's `licenseProcessingState` says so; assignments that fail are recorded on the member with
 * Graph's error word (licenseAssignmentState.error) and listed by `membersWithLicenseErrors`
 * (learn.microsoft.com/entra/identity/users/licensing-groups-resolve-problems). A member
 * without a usage location inherits the tenant's (licensing-admin-center). A user holding the
 * same licence directly and through a group consumes one unit.
 *
 * Per member the change is atomic: a member whose new licence fails keeps what the group stopped
 * assigning, so no member is left without service ("the original intent to license the user is
 * never lost"). This is the sandbox's conservative reading; pcplan never relies on it alone (it
 * retires a source only when no unit of it is consumed).
 */
import { heldSkus, holds } from "./holdings.js";
import type { WorldState } from "./state.js";
import type { FixtureUser, GroupLicense, LicenseAssignmentError, NewStateChange, WorldCustomer, WorldGroup } from "./types.js";

const lc = (s: string): string => s.toLowerCase();

/** Graph's `licenseProcessingState.state` of a group now. */
export function processingState(g: WorldGroup): "QueuedForProcessing" | "ProcessingInProgress" | "ProcessingComplete" {
  return g.processingDueAt === undefined ? "ProcessingComplete" : "ProcessingInProgress";
}

/** The error a new licence would meet on this user, or undefined when it can be given. */
function errorFor(state: WorldState, c: WorldCustomer, u: FixtureUser, skuId: string, leaving: ReadonlySet<string>): LicenseAssignmentError | undefined {
  const sku = state.sku(skuId);
  if (!sku) return "Other";
  const kept = heldSkus(u).filter((h) => !leaving.has(lc(h)));
  const clash = kept.some(
    (h) => (sku.mutuallyExclusiveWith ?? []).some((x) => lc(x) === lc(h)) || (state.sku(h)?.mutuallyExclusiveWith ?? []).some((x) => lc(x) === lc(skuId)),
  );
  if (clash) return "MutuallyExclusiveViolation";
  if (!holds(u, skuId) && state.units(c, skuId, "active") - state.consumedUnits(c, skuId) < 1) return "CountViolation";
  return undefined;
}

/** One member brought in line with the group's licences; the change to record when what they hold changed. */
function processMember(state: WorldState, c: WorldCustomer, g: WorldGroup, u: FixtureUser): NewStateChange | undefined {
  const before = heldSkus(u);
  const own = (u.groupLicenses ?? []).filter((e) => lc(e.group) === lc(g.id));
  const others = (u.groupLicenses ?? []).filter((e) => lc(e.group) !== lc(g.id));
  const wanted = g.licenses ?? [];
  const leaving = new Set(own.filter((e) => !wanted.some((w) => lc(w.skuId) === lc(e.skuId))).map((e) => lc(e.skuId)));
  const next: GroupLicense[] = [];
  let failed = false;
  for (const w of wanted) {
    const had = own.find((e) => lc(e.skuId) === lc(w.skuId) && e.error === undefined);
    const error = had ? undefined : errorFor(state, c, u, w.skuId, leaving);
    if (error) failed = true;
    next.push({ skuId: w.skuId, group: g.id, ...(w.disabledPlans?.length ? { disabledPlans: [...w.disabledPlans] } : {}), ...(error ? { error } : {}) });
  }
  // Atomic per member: a failed addition keeps what the group no longer assigns.
  if (failed) next.push(...own.filter((e) => leaving.has(lc(e.skuId)) && e.error === undefined));
  u.groupLicenses = [...others, ...next];
  if (u.groupLicenses.length === 0) delete u.groupLicenses;
  const after = heldSkus(u);
  if (before.length === after.length && before.every((s) => after.includes(s))) return undefined;
  return {
    kind: "licenses",
    customerId: c.id,
    userId: u.id,
    skuIdsAfter: after,
    assigned: after.filter((s) => !before.includes(s)),
    removed: before.filter((s) => !after.includes(s)),
  };
}

/** Processes a group whose processing is due: every member, then the group is complete. */
export function processGroup(state: WorldState, c: WorldCustomer, g: WorldGroup): NewStateChange[] {
  const out: NewStateChange[] = [];
  for (const id of g.members) {
    const u = c.users.find((x) => lc(x.id) === lc(id));
    const change = u ? processMember(state, c, g, u) : undefined;
    if (change) out.push(change);
  }
  delete g.processingDueAt;
  return out;
}

/** Members of the group holding one of its licences in error (membersWithLicenseErrors). */
export function membersWithErrors(c: WorldCustomer, g: WorldGroup): FixtureUser[] {
  return c.users.filter((u) => g.members.some((m) => lc(m) === lc(u.id)) && (u.groupLicenses ?? []).some((e) => lc(e.group) === lc(g.id) && e.error));
}

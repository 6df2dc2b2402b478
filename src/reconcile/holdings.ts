/**
 * How the source is held, and what that lets pcplan do (SPEC §11): a user may hold it directly,
 * through a group, or both (licenseAssignmentStates). A group holding the source moves as one
 * thing (its own assignment changes; no write per member) unless the plan says `groups: leave`;
 * a direct copy beside a group copy is then removed; a user without a usage location cannot be
 * given the target directly unless the plan sets one. Pure: live model in, decisions out.
 */
import type { MigrationPlan, PlanCustomer } from "../plan-file/types.js";
import type { LiveCustomer, LiveGroup, LiveState, LiveUser, Note } from "./types.js";

/** What is decided for the holders of one customer's source. */
export interface Holdings {
  /** Users moved by their own licence change, with what the change carries. */
  direct: { user: LiveUser; disabledPlans: string[]; usageLocation: string | undefined }[];
  /** Groups whose own assignment moves, with the target plans they keep off. */
  groups: { group: LiveGroup; disabledPlans: string[] }[];
  /** Users who no longer hold the source once the planned changes are done. */
  released: Set<string>;
  /** Users who will newly hold the target (each once): what seats are needed for. */
  newOnTarget: Set<string>;
  notes: Note[];
}

const lc = (s: string) => s.toLowerCase();
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** The source's assignments of a user: direct (or unknown, read through Partner Center) and the groups it comes through. */
function heldBy(u: LiveUser, skuId: string): { direct: boolean; groups: string[]; directPlans: string[] } {
  if (!u.assignments) return { direct: true, groups: [], directPlans: [] };
  const own = u.assignments.filter((a) => a.skuId === skuId && a.error === undefined);
  const direct = own.find((a) => a.group === null);
  return { direct: direct !== undefined, groups: own.flatMap((a) => (a.group === null ? [] : [a.group])), directPlans: direct?.disabledPlans ?? [] };
}

/**
 * The target's service plans matching the source's disabled ones by service plan name, and the
 * names of those without a counterpart. `reset`: none carried.
 */
export function carryPlans(
  disabled: readonly string[],
  source: string,
  target: string,
  state: Pick<LiveState, "servicePlans">,
  mode: PlanCustomer["servicePlans"],
): { ids: string[]; missing: string[] } {
  if (mode === "reset" || disabled.length === 0) return { ids: [], missing: [] };
  const plansOf = (sku: string) => state.servicePlans?.get(sku) ?? [];
  const ids: string[] = [];
  const missing: string[] = [];
  for (const id of disabled) {
    const name = plansOf(source).find((p) => p.id === lc(id))?.name;
    const counterpart = name === undefined ? undefined : plansOf(target).find((p) => p.name === name);
    if (counterpart) ids.push(counterpart.id);
    else missing.push(name ?? id);
  }
  return { ids: [...new Set(ids)].sort(), missing };
}

interface Ctx {
  plan: MigrationPlan;
  pc: PlanCustomer;
  lc: LiveCustomer;
  state: Pick<LiveState, "servicePlans">;
  country: string;
}

/** The groups that move: they hold the source, are processed, and hold no excluded user. */
function movingGroups(c: Ctx, holders: readonly LiveUser[], notes: Note[]): Map<string, { group: LiveGroup; disabledPlans: string[] }> {
  const out = new Map<string, { group: LiveGroup; disabledPlans: string[] }>();
  const excluded = new Set(c.pc.exclude);
  const source = c.plan.source.skuId;
  for (const g of c.lc.groups ?? []) {
    const held = g.licenses.find((l) => l.skuId === source);
    if (!held || !holders.some((u) => heldBy(u, source).groups.includes(g.id))) continue;
    if (c.pc.groups === "leave") continue;
    if (g.processing !== undefined && g.processing !== "ProcessingComplete") {
      notes.push({
        level: "warning",
        code: "group-processing",
        message: `group ${g.name} is still being processed (${g.processing}): it is left as it is until it is done`,
      });
      continue;
    }
    const out_ = g.members.filter((m) => excluded.has(lc(m.upn)));
    if (out_.length > 0) {
      notes.push({
        level: "error",
        code: "held-through-group",
        message: `group ${g.name} holds ${c.plan.source.skuPartNumber} for excluded ${out_.map((m) => m.upn).join(", ")}: the group is not moved (exclude them from the group, or stop excluding them)`,
      });
      continue;
    }
    const plans = carryPlans(held.disabledPlans, source, c.pc.target.skuId, c.state, c.pc.servicePlans);
    if (plans.missing.length > 0) notes.push(droppedNote(`group ${g.name}`, plans.missing, c));
    out.set(g.id, { group: g, disabledPlans: plans.ids });
  }
  return out;
}

function droppedNote(who: string, names: readonly string[], c: Ctx): Note {
  return {
    level: "warning",
    code: "service-plan-dropped",
    message: `${who}: disabled service plan${names.length === 1 ? "" : "s"} ${names.join(", ")} of ${c.plan.source.skuPartNumber} ha${names.length === 1 ? "s" : "ve"} no counterpart in ${c.pc.target.skuPartNumber}`,
  };
}

/** The usage location a user without one gets first, or undefined (reported, not moved). */
function usageLocationFor(c: Ctx): string | undefined {
  const wanted = c.pc.usageLocation;
  if (wanted === undefined) return undefined;
  return wanted === "tenant" ? (c.pc.purchase.country ?? c.country).toUpperCase() : wanted;
}

/** Decides, per holder of the source (excluded users already left out), how it moves or why it stays. */
export function decideHoldings(c: Ctx, holders: readonly LiveUser[]): Holdings {
  const notes: Note[] = [];
  const source = c.plan.source.skuId;
  const target = c.pc.target.skuId;
  const groups = movingGroups(c, holders, notes);
  const out: Holdings = { direct: [], groups: [...groups.values()], released: new Set(), newOnTarget: new Set(), notes };
  for (const g of out.groups) for (const m of g.group.members) if (!m.skuIds.includes(target)) out.newOnTarget.add(m.id);
  const left = new Map<string, string[]>();
  const noLocation: string[] = [];
  for (const u of holders) {
    const h = heldBy(u, source);
    const unmoved = h.groups.filter((g) => !groups.has(g));
    if (unmoved.length > 0) {
      for (const g of unmoved) left.set(g, [...(left.get(g) ?? []), u.upn]);
      continue;
    }
    const viaGroup = h.groups.length > 0;
    const needsTarget = !viaGroup && !u.skuIds.includes(target);
    let usageLocation: string | undefined;
    if (needsTarget && u.usageLocation === null) {
      usageLocation = usageLocationFor(c);
      if (usageLocation === undefined) {
        noLocation.push(u.upn);
        continue;
      }
    }
    if (h.direct) {
      const plans = viaGroup ? { ids: [], missing: [] } : carryPlans(h.directPlans, source, target, c.state, c.pc.servicePlans);
      if (plans.missing.length > 0) notes.push(droppedNote(u.upn, plans.missing, c));
      out.direct.push({ user: u, disabledPlans: plans.ids, usageLocation });
      if (needsTarget) out.newOnTarget.add(u.id);
    }
    out.released.add(u.id);
  }
  for (const [g, upns] of left) notes.push(leftNote(c, g, upns));
  if (noLocation.length > 0) {
    notes.push({
      level: "error",
      code: "no-usage-location",
      message: `${plural(noLocation.length, "user")} without a usage location cannot be given ${c.pc.target.skuPartNumber} and keep ${c.plan.source.skuPartNumber}: ${noLocation.sort().join(", ")} (set usageLocation in the plan to set it first)`,
    });
  }
  notes.push(...errorNotes(holders, c));
  return out;
}

/** Holders left through a group: by the plan (`groups: leave`), or because the group cannot move. */
function leftNote(c: Ctx, groupId: string, upns: string[]): Note {
  const g = (c.lc.groups ?? []).find((x) => x.id === groupId);
  const name = g?.name ?? groupId;
  const why =
    c.pc.groups === "leave"
      ? "groups: leave"
      : g === undefined || !g.licenses.some((l) => l.skuId === c.plan.source.skuId)
        ? "the group no longer assigns it: the user's assignment from it is in error or still being processed"
        : "the group is not moved";
  return {
    // Not done either way: the source stays while they hold it (apply's exit code says so).
    level: "error",
    code: "held-through-group",
    message: `${plural(upns.length, "user")} held through group ${name}${g ? ` (${plural(g.members.length, "member")})` : ""} keep ${c.plan.source.skuPartNumber} (${why}): ${upns.sort().join(", ")}`,
  };
}

/** Licence assignment errors already present on the source or target, named per user (and the group it comes through) with Graph's word. */
function errorNotes(holders: readonly LiveUser[], c: Ctx): Note[] {
  const skus = new Set([c.plan.source.skuId, c.pc.target.skuId]);
  const through = (g: string | null) => (g === null ? "" : `, through group ${(c.lc.groups ?? []).find((x) => x.id === g)?.name ?? g}`);
  const found = holders.flatMap((u) =>
    (u.assignments ?? []).filter((a) => a.error !== undefined && skus.has(a.skuId)).map((a) => `${u.upn} (${a.error}${through(a.group)})`),
  );
  if (found.length === 0) return [];
  return [{ level: "warning", code: "license-errors", message: `licence assignment errors: ${[...new Set(found)].sort().join(", ")}` }];
}

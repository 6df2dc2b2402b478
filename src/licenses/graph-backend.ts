import type { GraphClient } from "../graph/client.js";
import { MAX_BATCH } from "../graph/client.js";
import type { GraphUser, LicenseAssignmentState, SubscribedSku } from "../graph/types.js";
import type { LiveAssignment, LiveGroup, LiveSku, LiveUser } from "../model/live-state.js";
import { inert } from "../util/inert-text.js";
import type { GroupLicensing, LicenseBackend, LicenseChangeOutcome } from "./backend.js";

type Limit = <T>(f: () => Promise<T>) => Promise<T>;

/**
 * Licences through Microsoft Graph on each customer's tenant: counts from `subscribedSkus`
 * (`prepaidUnits.enabled` is the total Partner Center calls `totalUnits`), holders by one
 * filtered users query per SKU (999 a page) — read in the same `$batch` as the counts when the
 * engine says which SKUs it will ask for — and changes as `assignLicense` in `$batch`es of 20.
 * `limit` bounds the calls in flight.
 */
export function graphLicenses(graph: GraphClient, limit: Limit): LicenseBackend {
  /** Holders read along with the counts, kept until `holders` takes them or the counts are read again. */
  const readAhead = new Map<string, { key: string; holders: Map<string, GraphUser[]> }>();
  const keyOf = (skuIds: ReadonlySet<string>) =>
    [...skuIds]
      .map((s) => s.toLowerCase())
      .sort()
      .join(",");

  return {
    name: "graph",
    prepare: (customerIds) => graph.prepare(customerIds),
    async subscribedSkus(customerId, holdersOf) {
      // A fresh count is never paired with holders read along with an earlier one.
      readAhead.delete(customerId);
      if (!holdersOf || holdersOf.size === 0 || holdersOf.size >= MAX_BATCH) return (await limit(() => graph.subscribedSkus(customerId))).map(toLiveSku);
      const read = await limit(() => graph.readLicenses(customerId, [...holdersOf]));
      const skus = read.skus.map(toLiveSku);
      if (skus.some((k) => holdersOf.has(k.skuId) && k.consumedUnits > 0)) readAhead.set(customerId, { key: keyOf(holdersOf), holders: read.holders });
      return skus;
    },
    async holders(customerId, skuIds) {
      const ahead = readAhead.get(customerId);
      readAhead.delete(customerId);
      // The batch reads holders only of SKUs counted as consumed: a SKU it skipped on the strength
      // of its count is read now, never taken as held by nobody.
      const bySku =
        ahead?.key === keyOf(skuIds) && [...skuIds].every((s) => ahead.holders.has(s))
          ? ahead.holders
          : new Map(await Promise.all([...skuIds].map(async (s) => [s, await limit(() => graph.holdersOf(customerId, s))] as const)));
      const users = new Map<string, LiveUser>();
      for (const list of bySku.values()) for (const u of list) users.set(u.id.toLowerCase(), toLiveUser(u));
      return [...users.values()];
    },
    async updateLicenses(customerId, changes) {
      const chunks = Array.from({ length: Math.ceil(changes.length / MAX_BATCH) }, (_, i) => changes.slice(i * MAX_BATCH, (i + 1) * MAX_BATCH));
      const outcomes = await Promise.all(chunks.map((chunk) => limit(() => graph.assignLicenses(customerId, chunk))));
      return outcomes.flat() satisfies LicenseChangeOutcome[];
    },
    async reassert(customerId, userId, skuId, requestId) {
      const sku = skuId.toLowerCase();
      const user = (await limit(() => graph.holdersOf(customerId, sku))).find((u) => u.id.toLowerCase() === userId.toLowerCase());
      const held = user?.assignedLicenses.find((l) => l.skuId.toLowerCase() === sku);
      if (!held) throw new Error(`the user no longer holds ${skuId}`);
      const change = { userId, assign: [sku], remove: [], requestId, disabledPlans: { [sku]: held.disabledPlans ?? [] } };
      const [outcome] = await limit(() => graph.assignLicenses(customerId, [change]));
      if (outcome && !outcome.ok) throw outcome.error;
    },
    groupLicensing: groupLicensing(graph, limit),
  };
}

/**
 * Group-based licensing through Graph: a group's licences, type and members (group resource,
 * group-list-members), its assignment changed in one call (group-assignlicense), how far its
 * processing is (`licenseProcessingState`) and its members in error
 * (group-list-memberswithlicenseerrors); a user's usage location set before a direct assignment
 * (user-update). learn.microsoft.com/graph/api/resources/group
 */
function groupLicensing(graph: GraphClient, limit: Limit): GroupLicensing {
  return {
    groups: (customerId, ids) =>
      Promise.all(
        ids.map(async (id): Promise<LiveGroup> => {
          const [g, members] = await Promise.all([limit(() => graph.group(customerId, id)), limit(() => graph.groupMembers(customerId, id))]);
          return {
            id: g.id.toLowerCase(),
            name: inert(g.displayName ?? g.id),
            dynamic: (g.groupTypes ?? []).some((t) => t.toLowerCase() === "dynamicmembership"),
            onPremises: g.onPremisesSyncEnabled === true,
            licenses: (g.assignedLicenses ?? []).map((l) => ({
              skuId: l.skuId.toLowerCase(),
              disabledPlans: (l.disabledPlans ?? []).map((p) => p.toLowerCase()),
            })),
            members: members.map(toLiveUser),
            processing: g.licenseProcessingState?.state ?? undefined,
          };
        }),
      ),
    changeGroup: (customerId, change) => limit(() => graph.assignGroupLicense(customerId, change)),
    async progress(customerId, groupId) {
      const g = await limit(() => graph.group(customerId, groupId));
      const processing = g.licenseProcessingState?.state ?? undefined;
      if (processing !== "ProcessingComplete") return { processing, errors: [] };
      const inError = await limit(() => graph.membersWithLicenseErrors(customerId, groupId));
      const errors = inError.flatMap((u) =>
        (u.licenseAssignmentStates ?? [])
          .filter((s) => s.assignedByGroup?.toLowerCase() === groupId.toLowerCase() && s.error && s.error !== "None")
          .map((s) => ({ userId: u.id.toLowerCase(), upn: inert(u.userPrincipalName), error: inert(s.error ?? "Other") })),
      );
      return { processing, errors };
    },
    setUsageLocation: (customerId, userId, usageLocation, requestId) => limit(() => graph.setUsageLocation(customerId, userId, usageLocation, requestId)),
  };
}

function toLiveSku(k: SubscribedSku): LiveSku {
  return { skuId: k.skuId.toLowerCase(), skuPartNumber: inert(k.skuPartNumber), consumedUnits: k.consumedUnits, totalUnits: k.prepaidUnits.enabled };
}

function toLiveUser(u: GraphUser): LiveUser {
  return {
    id: u.id.toLowerCase(),
    upn: inert(u.userPrincipalName),
    skuIds: u.assignedLicenses.map((l) => l.skuId.toLowerCase()),
    // Always selected: Graph's null (none set) arrives absent, the check drops null fields (src/http/validate.ts).
    usageLocation: u.usageLocation ? inert(u.usageLocation) : null,
    ...(u.licenseAssignmentStates ? { assignments: u.licenseAssignmentStates.map(toAssignment) } : {}),
  };
}

function toAssignment(s: LicenseAssignmentState): LiveAssignment {
  return {
    skuId: s.skuId.toLowerCase(),
    group: s.assignedByGroup ? s.assignedByGroup.toLowerCase() : null,
    error: s.error && s.error !== "None" ? inert(s.error) : undefined,
    disabledPlans: (s.disabledPlans ?? []).map((p) => p.toLowerCase()),
  };
}

import type { GraphClient } from "../graph/client.js";
import { MAX_BATCH } from "../graph/client.js";
import type { GraphUser, SubscribedSku } from "../graph/types.js";
import type { LiveSku, LiveUser } from "../model/live-state.js";
import { inert } from "../util/inert-text.js";
import type { LicenseBackend, LicenseChangeOutcome } from "./backend.js";

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
  };
}

function toLiveSku(k: SubscribedSku): LiveSku {
  return { skuId: k.skuId.toLowerCase(), skuPartNumber: inert(k.skuPartNumber), consumedUnits: k.consumedUnits, totalUnits: k.prepaidUnits.enabled };
}

function toLiveUser(u: GraphUser): LiveUser {
  return { id: u.id.toLowerCase(), upn: inert(u.userPrincipalName), skuIds: u.assignedLicenses.map((l) => l.skuId.toLowerCase()) };
}

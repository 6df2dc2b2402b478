import type { LicenseBackend } from "../licenses/backend.js";
import type { PartnerCenterApi } from "../partner-center/api.js";
import type { Subscription } from "../partner-center/types.js";
import type { LiveCustomer, LiveSku, LiveSubscription } from "../model/live-state.js";
import { isCatalogItemId } from "../partner-center/catalog-item-sku.js";
import { skuIdOf, type SkuOf } from "./offer-skus.js";
import type { Limit } from "../util/limit.js";

export interface CommerceState {
  subscriptions: LiveSubscription[];
  skus: LiveSku[];
  /** Subscription ids Partner Center listed more than once (each kept once); absent when none. */
  duplicateSubscriptions?: LiveCustomer["duplicateSubscriptions"];
}

/**
 * A customer's subscriptions (each with the licence SKU its offer provisions, from Partner
 * Center) and subscribed-SKU counts (from the licence backend): two reads, in parallel, plus the
 * catalog lookups `skuOfOffer` has not cached yet.
 * What `plan` and `discover` both start from. A 404 (no such customer) propagates.
 * A subscription listed twice is kept once (issue 22 §6): two copies would plan two retirements
 * of it and two writes; the copies are named so the preview can say so.
 */
export async function readCommerceState(
  api: PartnerCenterApi,
  licenses: LicenseBackend,
  limit: Limit,
  customerId: string,
  skuOfOffer: (offerId: string) => Promise<SkuOf>,
  /** The SKUs whose holders will be read next, if any (the licence backend may read them along). */
  holdersOf?: ReadonlySet<string>,
): Promise<CommerceState> {
  // Both in parallel; a customer Partner Center does not know is "not found", whatever the licence API answered for its tenant.
  const [subsRead, skusRead] = await Promise.allSettled([limit(() => api.listSubscriptions(customerId)), licenses.subscribedSkus(customerId, holdersOf)]);
  if (subsRead.status === "rejected") throw subsRead.reason;
  if (skusRead.status === "rejected") throw skusRead.reason;
  const [subs, skus] = [subsRead.value, skusRead.value];
  const { unique, duplicates } = dedupeById(subs);
  const subscriptions = await Promise.all(unique.map(async (s) => toLiveSubscription(s, await skuOfOffer(s.offerId))));
  return { subscriptions, skus, ...(duplicates.length > 0 ? { duplicateSubscriptions: duplicates } : {}) };
}

/**
 * Each subscription once, by id (case aside), the first copy kept. A copy that differs from the
 * first (another quantity or status) leaves no way to tell which is true: it is marked `differs`.
 */
export function dedupeById(subs: readonly Subscription[]): { unique: Subscription[]; duplicates: NonNullable<CommerceState["duplicateSubscriptions"]> } {
  const first = new Map<string, Subscription>();
  const dup = new Map<string, { id: string; copies: number; differs: boolean }>();
  for (const s of subs) {
    const id = s.id.toLowerCase();
    const kept = first.get(id);
    if (!kept) {
      first.set(id, s);
      continue;
    }
    const d = dup.get(id) ?? { id, copies: 1, differs: false };
    d.copies += 1;
    d.differs ||= JSON.stringify(kept) !== JSON.stringify(s);
    dup.set(id, d);
  }
  return { unique: [...first.values()], duplicates: [...dup.values()] };
}

function toLiveSubscription(s: Subscription, sku: SkuOf): LiveSubscription {
  return {
    id: s.id.toLowerCase(),
    offerId: s.offerId.toLowerCase(),
    skuId: skuIdOf(sku),
    unmapped: "unmapped" in sku ? sku.unmapped : undefined,
    commerce: isCatalogItemId(s.offerId) ? "nce" : "legacy",
    quantity: s.quantity,
    status: String(s.status).trim().toLowerCase(),
    autoRenewEnabled: s.autoRenewEnabled,
    commitmentEndDate: s.commitmentEndDate,
    creationDate: s.creationDate,
    cancellationAllowedUntil: s.cancellationAllowedUntilDate,
    termDuration: s.termDuration,
    billingCycle: s.billingCycle?.trim().toLowerCase(),
    ...scheduledOf(s),
  };
}

/** The change scheduled for the renewal, if any (create-scheduled-changes). */
function scheduledOf(s: Subscription): Pick<LiveSubscription, "scheduledNextTerm"> {
  const i = s.scheduledNextTermInstructions;
  if (!i) return {};
  const { productId, skuId, availabilityId, termDuration, billingCycle } = i.product;
  return {
    scheduledNextTerm: {
      catalogItemId: `${productId}:${skuId}:${availabilityId}`.toUpperCase(),
      quantity: i.quantity,
      termDuration: termDuration.trim().toUpperCase(),
      billingCycle: billingCycle.trim().toLowerCase(),
    },
  };
}

/**
 * New-commerce customers for generated worlds: a Microsoft 365 Business Basic source (NCE,
 * bought 1–330 days ago, so a few are still inside their cancellation window) and Business
 * Standard as the target, in the same four states the legacy customers are generated in.
 */
import { catalogItemIdOf } from "./catalog-index.js";
import { addDuration } from "./durations.js";
import { rngGuid, rngInt, type Rng } from "./random.js";
import type { FixtureProduct, FixtureSku, FixtureSubscription, FixtureTransitionEligibility } from "./types.js";

export interface NceCatalog {
  basic: { catalogItemId: string; skuId: string };
  standard: { catalogItemId: string; skuId: string };
}

const DAY_MS = 86_400_000;

export function nceCatalog(products: readonly FixtureProduct[], skus: readonly FixtureSku[]): NceCatalog {
  const item = (part: string) => {
    const sku = skus.find((s) => s.skuPartNumber === part);
    for (const p of products) {
      for (const s of p.skus) {
        const a = s.availabilities.find((x) => x.countries.includes("US"));
        if (sku && a && s.provisioningId?.toLowerCase() === sku.id.toLowerCase() && p.listed !== false) {
          return { catalogItemId: catalogItemIdOf(p, s, a), skuId: sku.id };
        }
      }
    }
    throw new Error(`demo catalog lacks a US new-commerce product for ${part}`);
  };
  return { basic: item("O365_BUSINESS_ESSENTIALS"), standard: item("O365_BUSINESS_PREMIUM") };
}

const CONFLICT = { code: 3, description: "Subscription cannot be transitioned because there are conflicting services." };

/**
 * The subscriptions of one new-commerce customer of `size` users; `give(from, to, skuId)` hands
 * licences to users [from, to).
 */
export function nceSubscriptions(
  rng: Rng,
  now: number,
  size: number,
  cat: NceCatalog,
  give: (from: number, to: number, skuId: string) => void,
): FixtureSubscription[] {
  const bought = new Date(now - rngInt(rng, 1, 330) * DAY_MS).toISOString();
  const eligible = rng.next() < 0.7;
  const eligibility: FixtureTransitionEligibility[] = [
    {
      catalogItemId: cat.standard.catalogItemId,
      eligibilities: [
        { transitionType: "transition_only", isEligible: true },
        eligible
          ? { transitionType: "transition_with_license_transfer", isEligible: true }
          : { transitionType: "transition_with_license_transfer", isEligible: false, errors: [CONFLICT] },
      ],
    },
  ];
  const sub = (catalogItemId: string, quantity: number, extra: Partial<FixtureSubscription> = {}): FixtureSubscription => ({
    id: rngGuid(rng),
    offerId: catalogItemId,
    quantity: Math.max(1, quantity),
    status: "active",
    autoRenewEnabled: true,
    creationDate: bought,
    commitmentEndDate: addDuration(bought, "P1Y"),
    termDuration: "P1Y",
    billingCycle: "monthly",
    ...extra,
  });
  const roll = rng.next();
  if (roll < 0.4) {
    give(0, size, cat.basic.skuId);
    return [sub(cat.basic.catalogItemId, size, { transitionEligibilities: eligibility })];
  }
  if (roll < 0.6) {
    const moved = size >= 2 ? rngInt(rng, 1, size - 1) : 0;
    give(0, moved, cat.standard.skuId);
    give(moved, size, cat.basic.skuId);
    return [sub(cat.basic.catalogItemId, size, { transitionEligibilities: eligibility }), sub(cat.standard.catalogItemId, size)];
  }
  if (roll < 0.8) {
    give(0, size, cat.standard.skuId);
    return [sub(cat.standard.catalogItemId, size), sub(cat.basic.catalogItemId, size, { autoRenewEnabled: false })];
  }
  give(0, size, cat.standard.skuId);
  return [sub(cat.standard.catalogItemId, size)];
}

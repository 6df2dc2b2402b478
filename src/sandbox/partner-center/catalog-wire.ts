/** Catalog objects → Product, Sku and Availability as the reference shows them (product-resources, get-a-sku-by-id). */
import type { Availability, Product, Sku } from "../../partner-center/types.js";
import { catalogItemIdOf } from "../catalog-index.js";
import { CANCELLATION_WINDOW } from "../durations.js";
import type { FixtureAvailability, FixtureProduct, FixtureProductSku } from "../types.js";
import { link } from "./wire.js";

const TERM_TEXT: Record<string, string> = { P1M: "One-Month commitment", P1Y: "One-Year commitment", P3Y: "Three-Year commitment" };

export function toProduct(p: FixtureProduct, country: string): Product {
  return {
    id: p.id,
    title: p.title,
    description: p.description ?? p.title,
    productType: { id: "OnlineServicesNCE", displayName: "OnlineServicesNCE" },
    isMicrosoftProduct: true,
    publisherName: "Microsoft Corporation",
    links: {
      skus: link(`/products/${p.id}/skus?country=${country}`),
      self: link(`/products/${p.id}?country=${country}`),
    },
    attributes: { objectType: "Product" },
  };
}

export function toSku(p: FixtureProduct, s: FixtureProductSku, country: string): Sku {
  const cycles = new Set(s.availabilities.flatMap((a) => a.terms.map((t) => t.billingCycle)));
  return {
    id: s.id,
    productId: p.id,
    title: s.title,
    description: s.description ?? s.title,
    minimumQuantity: s.minimumQuantity,
    maximumQuantity: s.maximumQuantity,
    isTrial: false,
    supportedBillingCycles: [...cycles],
    purchasePrerequisites: ["MicrosoftCloudAgreement"],
    inventoryVariables: [],
    provisioningVariables: [],
    actions: ["Refund"],
    dynamicAttributes: {
      isMicrosoftProduct: true,
      hasConstraints: true,
      isAddon: false,
      prerequisiteSkus: [],
      isSoftwareAssuranceApplicable: false,
      upgradeTargetOffers: [],
      ...(s.provisioningId !== undefined ? { provisioningId: s.provisioningId } : {}),
      internal: false,
    },
    links: {
      availabilities: link(`/products/${p.id}/skus/${s.id}/availabilities?country=${country}`),
      self: link(`/products/${p.id}/skus/${s.id}?country=${country}`),
    },
    attributes: { objectType: "Sku" },
  };
}

export function toAvailability(p: FixtureProduct, s: FixtureProductSku, a: FixtureAvailability, country: string): Availability {
  return {
    id: a.id,
    productId: p.id,
    skuId: s.id,
    catalogItemId: catalogItemIdOf(p, s, a),
    defaultCurrency: { code: "USD", symbol: "$" },
    segment: a.segment ?? "commercial",
    country,
    isPurchasable: a.isPurchasable !== false,
    isRenewable: a.isRenewable !== false,
    terms: a.terms.map((t, i) => ({
      id: `${a.id.toLowerCase()}-${i}`,
      duration: t.duration,
      description: `${TERM_TEXT[t.duration] ?? t.duration} for ${t.billingCycle} billing`,
      billingCycle: t.billingCycle,
      cancellationPolicies: [{ refundOptions: [{ sequenceId: 0, type: "Partial", expiresAfter: CANCELLATION_WINDOW }] }],
    })),
    links: { self: link(`/products/${p.id}/skus/${s.id}/availabilities/${a.id}?country=${country}`) },
    attributes: { objectType: "Availability" },
  };
}

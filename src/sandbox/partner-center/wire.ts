/** World objects → Partner Center response shapes (camelCase, as in the reference examples). */
import type { Collection, Customer, CustomerUser, License, Link, Offer, ServicePlan, SubscribedSku, Subscription } from "../../partner-center/types.js";
import type { FixtureOffer, FixtureSku, FixtureUser, WorldCustomer, WorldSubscription } from "../types.js";
import { etagOf, isNce, type WorldState } from "../state.js";

export function link(uri: string, method = "GET", headers: Link["headers"] = []): Link {
  return { uri, method, headers };
}

export function collection<T>(items: T[], links?: Collection<T>["links"]): Collection<T> {
  return { totalCount: items.length, items, ...(links ? { links } : {}), attributes: { objectType: "Collection" } };
}

export function toCustomer(c: WorldCustomer): Customer & { links: Record<string, Link> } {
  return {
    id: c.id,
    companyProfile: {
      tenantId: c.id,
      domain: c.domain,
      companyName: c.companyName,
      attributes: { objectType: "CustomerCompanyProfile" },
    },
    relationshipToPartner: c.relationshipToPartner,
    links: { self: link(`/customers/${c.id}`) },
    attributes: { objectType: "Customer" },
  };
}

/** Midnight UTC of the day the subscription was created, as the service reports it. */
function dayOf(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 10)}T00:00:00Z`;
}

export function toSubscription(state: WorldState, c: WorldCustomer, s: WorldSubscription): Subscription {
  if (isNce(s)) return toNceSubscription(state, c, s);
  const offer = state.offer(s.offerId);
  return {
    id: s.id,
    offerId: s.offerId,
    offerName: offer?.name ?? s.offerId,
    friendlyName: s.friendlyName,
    quantity: s.quantity,
    unitType: "Licenses",
    creationDate: s.creationDate,
    effectiveStartDate: dayOf(s.creationDate),
    commitmentEndDate: s.commitmentEndDate,
    status: s.status,
    autoRenewEnabled: s.autoRenewEnabled,
    billingCycle: s.billingCycle,
    termDuration: s.termDuration ?? "P1Y",
    contractType: "subscription",
    orderId: s.orderId,
    suspensionReasons: [...s.suspensionReasons],
    links: {
      offer: link(`/offers/${s.offerId}?country=${offer?.country ?? "US"}`),
      self: link(`/customers/${c.id}/subscriptions/${s.id}`),
    },
    attributes: { etag: etagOf(s), objectType: "Subscription" },
  };
}

/**
 * A new-commerce subscription as get-all-of-a-customer-s-subscriptions shows one: offerId
 * `product:sku:availability`, links to product, SKU and availability, the cancellation window,
 * and no etag.
 */
function toNceSubscription(state: WorldState, c: WorldCustomer, s: WorldSubscription): Subscription & Record<string, unknown> {
  const [productId = "", skuId = "", availabilityId = ""] = s.offerId.split(":");
  const cc = c.country;
  const windowEnd = s.cancellationAllowedUntilDate;
  return {
    id: s.id,
    offerId: s.offerId,
    offerName: state.catalog.skuOfItem(s.offerId)?.sku.title ?? s.friendlyName,
    friendlyName: s.friendlyName,
    productType: { id: "OnlineServicesNCE", displayName: "OnlineServicesNCE" },
    quantity: s.quantity,
    unitType: "Licenses",
    hasPurchasableAddons: false,
    creationDate: s.creationDate,
    effectiveStartDate: s.creationDate,
    commitmentEndDate: s.commitmentEndDate,
    ...(windowEnd !== undefined ? { cancellationAllowedUntilDate: windowEnd } : {}),
    status: s.status,
    autoRenewEnabled: s.autoRenewEnabled,
    isTrial: false,
    billingType: "license",
    billingCycle: s.billingCycle,
    termDuration: s.termDuration ?? "P1Y",
    renewalTermDuration: "",
    ...(s.scheduledNextTermInstructions ? { scheduledNextTermInstructions: structuredClone(s.scheduledNextTermInstructions) } : {}),
    ...(windowEnd !== undefined ? { refundOptions: [{ type: "Full", expiresAt: windowEnd }] } : {}),
    isMicrosoftProduct: true,
    partnerId: "",
    attentionNeeded: false,
    actionTaken: false,
    contractType: "subscription",
    suspensionReasons: [...s.suspensionReasons],
    links: {
      product: link(`/products/${productId}?country=${cc}`),
      sku: link(`/products/${productId}/skus/${skuId}?country=${cc}`),
      availability: link(`/products/${productId}/skus/${skuId}/availabilities/${availabilityId}?country=${cc}`),
      self: link(`/customers/${c.id}/subscriptions/${s.id}`),
    },
    publisherName: "Microsoft Corporation",
    orderId: s.orderId,
    attributes: { objectType: "Subscription" },
  };
}

function servicePlans(sku: FixtureSku, capabilityStatus: string): ServicePlan[] {
  return sku.servicePlans.map((p) => ({
    displayName: p.displayName,
    serviceName: p.serviceName,
    id: p.id,
    capabilityStatus,
    targetType: "User",
  }));
}

export function toSubscribedSku(state: WorldState, c: WorldCustomer, sku: FixtureSku): SubscribedSku {
  const total = state.units(c, sku.id, "active");
  const suspended = state.units(c, sku.id, "suspended");
  const consumed = state.consumedUnits(c, sku.id);
  const capabilityStatus = total > 0 ? "Enabled" : suspended > 0 ? "Suspended" : "Deleted";
  return {
    availableUnits: total - consumed,
    activeUnits: total,
    consumedUnits: consumed,
    suspendedUnits: suspended,
    totalUnits: total,
    warningUnits: 0,
    productSku: { id: sku.id, name: sku.name, skuPartNumber: sku.skuPartNumber, targetType: "User", licenseGroupId: "group1" },
    servicePlans: servicePlans(sku, capabilityStatus),
    capabilityStatus,
    attributes: { objectType: "SubscribedSku" },
  };
}

export function toUser(c: WorldCustomer, u: FixtureUser): CustomerUser & { links: Record<string, Link> } {
  return {
    usageLocation: u.usageLocation ?? "US",
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    state: "active",
    links: { self: link(`/customers/${c.id}/users/${u.id}`) },
    attributes: { objectType: "CustomerUser" },
  };
}

/** A user's licence lists the service plans it provides: the SKU's, less those disabled on the user's assignment. */
export function toLicense(sku: FixtureSku, disabledPlans: readonly string[] = []): License {
  const off = new Set(disabledPlans.map((p) => p.toLowerCase()));
  return {
    servicePlans: servicePlans(sku, "Assigned").filter((p) => !off.has(p.id.toLowerCase())),
    productSku: { id: sku.id, name: sku.name, skuPartNumber: sku.skuPartNumber, licenseGroupId: "group1" },
    attributes: { objectType: "License" },
  };
}

export function toOffer(state: WorldState, o: FixtureOffer): Offer & Record<string, unknown> {
  const sku = state.sku(o.skuId);
  const category = o.category ?? "Enterprise";
  return {
    id: o.id,
    name: o.name,
    description: o.name,
    minimumQuantity: o.minimumQuantity,
    maximumQuantity: o.maximumQuantity,
    locale: "en-us",
    country: o.country,
    category: { id: `${category.replace(/\W+/g, "")}_Key`, name: category },
    prerequisiteOffers: [],
    isAddOn: false,
    isAvailableForPurchase: o.isAvailableForPurchase,
    billing: "license",
    isAutoRenewable: o.isAvailableForPurchase,
    product: { id: sku?.id ?? o.skuId, name: sku?.name ?? o.name, unit: "Licenses" },
    unitType: "Licenses",
    upgradeTargetOffers: [...(o.upgradeTargetOffers ?? [])],
    links: { self: link(`/offers/${o.id}?country=${o.country}`) },
    attributes: { objectType: "Offer" },
  };
}

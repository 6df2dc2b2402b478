/** A fixture made into a live world: defaults filled in, order ids drawn from the seeded rng. */
import { CatalogIndex, isCatalogItemId } from "./catalog-index.js";
import { CANCELLATION_WINDOW, addDuration, subtractDuration } from "./durations.js";
import { createRng, rngGuid } from "./random.js";
import type { FixtureOrder, FixtureSubscription, SandboxFixture, SandboxWorld, WorldCustomer, WorldOrder, WorldSubscription } from "./types.js";

const key = (id: string): string => id.toLowerCase();

export function worldFromFixture(fixture: SandboxFixture, seed: number): SandboxWorld {
  const rng = createRng(seed ^ 0x5eed1d5);
  const catalog = new CatalogIndex(fixture.products ?? []);
  const offerName = new Map(fixture.offers.map((o) => [key(o.id), o.name]));
  const nameOf = (offerId: string): string =>
    offerName.get(key(offerId)) ?? (isCatalogItemId(offerId) ? catalog.skuOfItem(offerId)?.sku.title : undefined) ?? offerId;

  const subscription = (s: FixtureSubscription): WorldSubscription => {
    const nce = isCatalogItemId(s.offerId);
    const termDuration = s.termDuration ?? "P1Y";
    const creationDate = s.creationDate ?? subtractDuration(s.commitmentEndDate, termDuration);
    return {
      id: s.id,
      offerId: s.offerId,
      friendlyName: s.friendlyName ?? nameOf(s.offerId),
      quantity: s.quantity,
      status: s.status,
      autoRenewEnabled: s.autoRenewEnabled,
      commitmentEndDate: s.commitmentEndDate,
      creationDate,
      ...(s.suspendedAt !== undefined ? { suspendedAt: s.suspendedAt } : {}),
      suspensionReasons: s.status === "suspended" ? ["CustomerCancellation"] : [],
      orderId: s.orderId ?? (nce ? rngGuid(rng).replace(/-/g, "").slice(0, 12) : rngGuid(rng)),
      billingCycle: s.billingCycle ?? "monthly",
      termDuration,
      ...(nce ? { cancellationAllowedUntilDate: s.cancellationAllowedUntilDate ?? addDuration(creationDate, CANCELLATION_WINDOW) } : {}),
      ...(s.transitionEligibilities ? { transitionEligibilities: structuredClone(s.transitionEligibilities) } : {}),
      version: 1,
    };
  };

  const order = (o: FixtureOrder): WorldOrder => ({
    id: o.id,
    creationDate: o.creationDate,
    billingCycle: o.billingCycle ?? "monthly",
    status: "pending",
    lineItems: o.lineItems.map((l, i) => ({
      lineItemNumber: i,
      offerId: l.offerId,
      quantity: l.quantity,
      friendlyName: l.friendlyName ?? nameOf(l.offerId),
      ...(l.termDuration !== undefined ? { termDuration: l.termDuration } : {}),
    })),
    ...(o.lineItems.some((l) => isCatalogItemId(l.offerId)) ? { commerce: "nce" as const } : {}),
    ...(o.fulfillAt !== undefined ? { fulfillAt: o.fulfillAt } : {}),
  });

  const customers: WorldCustomer[] = fixture.customers.map((c) => ({
    id: c.id,
    companyName: c.companyName,
    domain: c.domain,
    relationshipToPartner: c.relationshipToPartner ?? "reseller",
    country: (c.country ?? "US").toUpperCase(),
    users: c.users.map((u) => ({ ...u, usageLocation: u.usageLocation ?? "US", licenses: [...u.licenses] })),
    orders: (c.orders ?? []).map(order),
    carts: [],
    transitions: [],
    subscriptions: c.subscriptions.map(subscription),
    ...(c.commerceBlock !== undefined ? { commerceBlock: c.commerceBlock } : {}),
    ...(c.checkoutOrderError !== undefined ? { checkoutOrderError: { ...c.checkoutOrderError } } : {}),
  }));
  return {
    formatVersion: 1,
    partner: { ...fixture.partner },
    skus: structuredClone(fixture.skus),
    offers: structuredClone(fixture.offers),
    products: structuredClone(fixture.products ?? []),
    customers,
    credentials: structuredClone(fixture.credentials),
    idempotency: {},
    idState: rng.state,
  };
}

/** A state file written before new commerce existed lacks these; fill them in place. */
export function upgradeWorld(world: SandboxWorld): SandboxWorld {
  world.products ??= [];
  for (const c of world.customers) {
    c.country ??= "US";
    c.carts ??= [];
    c.transitions ??= [];
    c.orders ??= [];
  }
  return world;
}

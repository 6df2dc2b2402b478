/**
 * A fixture made into a live world: defaults filled in, order ids drawn from the seeded rng, and
 * dates relative to the sandbox clock (`today+P127D`, `now-PT10M`) made instants, so the demo
 * world shows the same deadlines on any day (docs/sandbox.md).
 */
import { SANDBOX_STATE_VERSION } from "./world-types.js";
import { inheritAtStart } from "./holdings.js";
import { CatalogIndex, isCatalogItemId } from "./catalog-index.js";
import { CANCELLATION_WINDOW, addDuration, resolveDate, subtractDuration } from "./durations.js";
import { createRng, rngGuid, type Rng } from "./random.js";
import type {
  FixtureCustomer,
  FixtureOrder,
  FixtureSubscription,
  SandboxFixture,
  SandboxWorld,
  WorldCustomer,
  WorldOrder,
  WorldSubscription,
} from "./types.js";

const key = (id: string): string => id.toLowerCase();

/** What every part of a fixture is made with: the seeded rng, the offer names and the clock's "now". */
interface Making {
  rng: Rng;
  nameOf(offerId: string): string;
  at(date: string): string;
}

function subscriptionOf(m: Making, s: FixtureSubscription): WorldSubscription {
  const nce = isCatalogItemId(s.offerId);
  const termDuration = s.termDuration ?? "P1Y";
  const commitmentEndDate = m.at(s.commitmentEndDate);
  const creationDate = s.creationDate !== undefined ? m.at(s.creationDate) : subtractDuration(commitmentEndDate, termDuration);
  const windowEnd = s.cancellationAllowedUntilDate !== undefined ? m.at(s.cancellationAllowedUntilDate) : addDuration(creationDate, CANCELLATION_WINDOW);
  return {
    id: s.id,
    offerId: s.offerId,
    friendlyName: s.friendlyName ?? m.nameOf(s.offerId),
    quantity: s.quantity,
    status: s.status,
    autoRenewEnabled: s.autoRenewEnabled,
    commitmentEndDate,
    creationDate,
    ...(s.suspendedAt !== undefined ? { suspendedAt: m.at(s.suspendedAt) } : {}),
    suspensionReasons: s.status === "suspended" ? ["CustomerCancellation"] : [],
    orderId: s.orderId ?? (nce ? rngGuid(m.rng).replace(/-/g, "").slice(0, 12) : rngGuid(m.rng)),
    billingCycle: s.billingCycle ?? "monthly",
    termDuration,
    ...(nce ? { cancellationAllowedUntilDate: windowEnd } : {}),
    ...(s.transitionEligibilities ? { transitionEligibilities: structuredClone(s.transitionEligibilities) } : {}),
    ...(s.scheduledEligibilities ? { scheduledEligibilities: structuredClone(s.scheduledEligibilities) } : {}),
    version: 1,
  };
}

function orderOf(m: Making, o: FixtureOrder): WorldOrder {
  return {
    id: o.id,
    creationDate: m.at(o.creationDate),
    billingCycle: o.billingCycle ?? "monthly",
    status: "pending",
    lineItems: o.lineItems.map((l, i) => ({
      lineItemNumber: i,
      offerId: l.offerId,
      quantity: l.quantity,
      friendlyName: l.friendlyName ?? m.nameOf(l.offerId),
      ...(l.termDuration !== undefined ? { termDuration: l.termDuration } : {}),
    })),
    ...(o.lineItems.some((l) => isCatalogItemId(l.offerId)) ? { commerce: "nce" as const } : {}),
    ...(o.fulfillAt !== undefined ? { fulfillAt: m.at(o.fulfillAt) } : {}),
    ...(o.cancelAt !== undefined ? { cancelAt: m.at(o.cancelAt) } : {}),
  };
}

function customerOf(m: Making, c: FixtureCustomer): WorldCustomer {
  return {
    id: c.id,
    companyName: c.companyName,
    domain: c.domain,
    relationshipToPartner: c.relationshipToPartner ?? "reseller",
    country: (c.country ?? "US").toUpperCase(),
    users: c.users.map((u) => ({
      ...structuredClone(u),
      usageLocation: u.usageLocation === undefined ? "US" : u.usageLocation,
      ...(u.disabledPlans ? { disabledPlans: Object.fromEntries(Object.entries(u.disabledPlans).map(([k, v]) => [k.toLowerCase(), [...v]])) } : {}),
    })),
    ...(c.groups ? { groups: structuredClone(c.groups) } : {}),
    orders: (c.orders ?? []).map((o) => orderOf(m, o)),
    carts: [],
    transitions: [],
    subscriptions: c.subscriptions.map((s) => subscriptionOf(m, s)),
    ...(c.commerceBlock !== undefined ? { commerceBlock: c.commerceBlock } : {}),
    ...(c.checkoutOrderError !== undefined ? { checkoutOrderError: { ...c.checkoutOrderError } } : {}),
    ...(c.ordersCancelled ? { ordersCancelled: true } : {}),
  };
}

/** The world a fixture describes, its relative dates read at `nowMs` (the sandbox clock when it starts). */
export function worldFromFixture(fixture: SandboxFixture, seed: number, nowMs: number): SandboxWorld {
  const rng = createRng(seed ^ 0x5eed1d5);
  const catalog = new CatalogIndex(fixture.products ?? []);
  const offerName = new Map(fixture.offers.map((o) => [key(o.id), o.name]));
  const making: Making = {
    rng,
    nameOf: (offerId) => offerName.get(key(offerId)) ?? (isCatalogItemId(offerId) ? catalog.skuOfItem(offerId)?.sku.title : undefined) ?? offerId,
    at: (date) => resolveDate(date, nowMs),
  };
  const customers = fixture.customers.map((c) => customerOf(making, c));
  customers.forEach(inheritAtStart);
  return {
    formatVersion: SANDBOX_STATE_VERSION,
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

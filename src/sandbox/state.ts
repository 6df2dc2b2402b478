/**
 * The live world and the lookups and rules every handler shares. Ids are matched
 * case-insensitively, as Partner Center does (its own payloads mix cases).
 */
import { CatalogIndex, isCatalogItemId } from "./catalog-index.js";
import type { FixtureOffer, FixtureSku, FixtureUser, SandboxWorld, WorldCustomer, WorldSubscription } from "./types.js";
import { createRng, rngGuid, type Rng } from "./random.js";
import { holds } from "./holdings.js";
import { upgradeWorld } from "./world-from-fixture.js";

export { DEPROVISION_AFTER_DAYS } from "../partner-center/lifecycle.js";

const key = (id: string): string => id.toLowerCase();

/** The world plus indexes; handlers mutate `world` only through this. */
export class WorldState {
  private readonly customers = new Map<string, WorldCustomer>();
  private readonly skus = new Map<string, FixtureSku>();
  private readonly offers = new Map<string, FixtureOffer>();
  private readonly idRng: Rng;
  readonly catalog: CatalogIndex;

  constructor(readonly world: SandboxWorld) {
    upgradeWorld(world);
    this.catalog = new CatalogIndex(world.products);
    for (const c of world.customers) this.customers.set(key(c.id), c);
    for (const s of world.skus) this.skus.set(key(s.id), s);
    for (const o of world.offers) this.offers.set(key(o.id), o);
    this.idRng = createRng(world.idState);
  }

  customer(id: string): WorldCustomer | undefined {
    return this.customers.get(key(id));
  }

  sku(id: string): FixtureSku | undefined {
    return this.skus.get(key(id));
  }

  offer(id: string): FixtureOffer | undefined {
    return this.offers.get(key(id));
  }

  subscription(c: WorldCustomer, id: string): WorldSubscription | undefined {
    const k = key(id);
    return c.subscriptions.find((s) => key(s.id) === k);
  }

  user(c: WorldCustomer, id: string): FixtureUser | undefined {
    const k = key(id);
    return c.users.find((u) => key(u.id) === k);
  }

  /** skuId (lowercase) an offer id provisions: a legacy offer's SKU, or a catalog item's provisioningId. */
  skuOfOffer(offerId: string): string | undefined {
    if (isCatalogItemId(offerId)) {
      const id = this.catalog.skuOfItem(offerId)?.sku.provisioningId;
      return id !== undefined ? key(id) : undefined;
    }
    const o = this.offer(offerId);
    return o ? key(o.skuId) : undefined;
  }

  /** skuId (lowercase) a subscription provisions. */
  skuOfSubscription(s: WorldSubscription): string | undefined {
    return this.skuOfOffer(s.offerId);
  }

  /** Minimum and maximum quantity of the offer or SKU a subscription was bought from. */
  quantityBounds(s: WorldSubscription): { min: number; max: number } | undefined {
    if (isCatalogItemId(s.offerId)) {
      const sku = this.catalog.skuOfItem(s.offerId)?.sku;
      return sku ? { min: sku.minimumQuantity, max: sku.maximumQuantity } : undefined;
    }
    const o = this.offer(s.offerId);
    return o ? { min: o.minimumQuantity, max: o.maximumQuantity } : undefined;
  }

  /** Users of the customer holding the sku right now, directly or through a group (one unit each). */
  consumedUnits(c: WorldCustomer, skuId: string): number {
    let n = 0;
    for (const u of c.users) if (holds(u, skuId)) n++;
    return n;
  }

  /** Units of the sku from the customer's subscriptions in the given status. */
  units(c: WorldCustomer, skuId: string, status: "active" | "suspended"): number {
    const k = key(skuId);
    let n = 0;
    for (const s of c.subscriptions) if (s.status === status && this.skuOfSubscription(s) === k) n += s.quantity;
    return n;
  }

  newId(): string {
    const id = rngGuid(this.idRng);
    this.world.idState = this.idRng.state;
    return id;
  }

  /** A new-commerce order id: 12 hex digits, as in the reference (`5cf72f146967`). */
  newOrderId(): string {
    return this.newId().replace(/-/g, "").slice(0, 12);
  }
}

/** True for a new-commerce subscription (offerId `product:sku:availability`). */
export function isNce(s: WorldSubscription): boolean {
  return isCatalogItemId(s.offerId);
}

export function etagOf(s: WorldSubscription): string {
  return Buffer.from(JSON.stringify({ id: s.id.toLowerCase(), version: s.version })).toString("base64");
}

export function sameId(a: string, b: string): boolean {
  return key(a) === key(b);
}

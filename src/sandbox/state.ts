/**
 * The live world and the lookups and rules every handler shares. Ids are matched
 * case-insensitively, as Partner Center does (its own payloads mix cases).
 */
import type {
  FixtureOffer,
  FixtureSku,
  FixtureUser,
  NewStateChange,
  SandboxFixture,
  SandboxWorld,
  WorldCustomer,
  WorldSubscription,
} from "./types.js";
import { createRng, rngGuid, type Rng } from "./random.js";

const DAY_MS = 86_400_000;
/** Partner Center deprovisions a suspended subscription after this many days. */
export const DEPROVISION_AFTER_DAYS = 120;

const key = (id: string): string => id.toLowerCase();

/** Turns a fixture into a world: fills defaults, hands out order ids from the seeded rng. */
export function worldFromFixture(fixture: SandboxFixture, seed: number): SandboxWorld {
  const rng = createRng(seed ^ 0x5eed1d5);
  const offerName = new Map(fixture.offers.map((o) => [key(o.id), o.name]));
  const customers: WorldCustomer[] = fixture.customers.map((c) => ({
    id: c.id,
    companyName: c.companyName,
    domain: c.domain,
    relationshipToPartner: c.relationshipToPartner ?? "reseller",
    users: c.users.map((u) => ({ ...u, usageLocation: u.usageLocation ?? "US", licenses: [...u.licenses] })),
    orders: [],
    subscriptions: c.subscriptions.map(
      (s): WorldSubscription => ({
        id: s.id,
        offerId: s.offerId,
        friendlyName: s.friendlyName ?? offerName.get(key(s.offerId)) ?? s.offerId,
        quantity: s.quantity,
        status: s.status,
        autoRenewEnabled: s.autoRenewEnabled,
        commitmentEndDate: s.commitmentEndDate,
        creationDate: s.creationDate ?? new Date(Date.parse(s.commitmentEndDate) - 365 * DAY_MS).toISOString(),
        ...(s.suspendedAt !== undefined ? { suspendedAt: s.suspendedAt } : {}),
        suspensionReasons: s.status === "suspended" ? ["CustomerCancellation"] : [],
        orderId: s.orderId ?? rngGuid(rng),
        billingCycle: "monthly",
        version: 1,
      }),
    ),
  }));
  return {
    formatVersion: 1,
    partner: { ...fixture.partner },
    skus: structuredClone(fixture.skus),
    offers: structuredClone(fixture.offers),
    customers,
    credentials: structuredClone(fixture.credentials),
    idempotency: {},
    idState: rng.state,
  };
}

/** The world plus indexes; handlers mutate `world` only through this. */
export class WorldState {
  private readonly customers = new Map<string, WorldCustomer>();
  private readonly skus = new Map<string, FixtureSku>();
  private readonly offers = new Map<string, FixtureOffer>();
  private readonly idRng: Rng;

  constructor(readonly world: SandboxWorld) {
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

  /** skuId (lowercase) a subscription provisions, via its offer. */
  skuOfSubscription(s: WorldSubscription): string | undefined {
    const o = this.offer(s.offerId);
    return o ? key(o.skuId) : undefined;
  }

  /** Users of the customer holding the sku right now. */
  consumedUnits(c: WorldCustomer, skuId: string): number {
    const k = key(skuId);
    let n = 0;
    for (const u of c.users) if (u.licenses.some((l) => key(l) === k)) n++;
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

  /**
   * Deprovisions suspended subscriptions whose 120 days have passed. Lazy: called on every
   * request (and on setClock), returns the changes so the caller records and persists them.
   */
  deprovisionDue(nowMs: number): NewStateChange[] {
    const out: NewStateChange[] = [];
    for (const c of this.world.customers) {
      for (const s of c.subscriptions) {
        if (s.status !== "suspended" || s.suspendedAt === undefined) continue;
        if (Date.parse(s.suspendedAt) + DEPROVISION_AFTER_DAYS * DAY_MS > nowMs) continue;
        s.status = "deleted";
        s.version++;
        out.push({ kind: "deprovision", customerId: c.id, subscriptionId: s.id });
      }
    }
    return out;
  }
}

export function etagOf(s: WorldSubscription): string {
  return Buffer.from(JSON.stringify({ id: s.id.toLowerCase(), version: s.version })).toString("base64");
}

export function sameId(a: string, b: string): boolean {
  return key(a) === key(b);
}

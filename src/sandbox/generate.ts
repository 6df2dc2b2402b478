/**
 * Synthetic worlds for benchmarks: N customers sharing M users, uneven sizes, in the states
 * a real partner meets (40% untouched, 20% partly migrated, 20% migrated, 20% no Skype).
 * A share of them (`nce`, default none) are new-commerce customers instead (generate-nce.ts).
 * Same seed, same world. The catalog (skus, offers, products, credentials) is the demo fixture's.
 */
import { readFileSync } from "node:fs";
import { DEMO_FIXTURE_PATH } from "./fixture.js";
import { nceCatalog, nceSubscriptions, type NceCatalog } from "./generate-nce.js";
import { createRng, rngGuid, rngInt, type Rng } from "./random.js";
import type { FixtureCredential, FixtureCustomer, FixtureOffer, FixtureSubscription, FixtureUser, SandboxFixture } from "./types.js";

export interface GenerateOptions {
  customers: number;
  users: number;
  seed?: number;
  /** Reference "now" for end and suspension dates; default the demo's pinned 2026-11-24, so output depends on the seed only. */
  now?: string;
  /** Share of customers (0–1) that hold new-commerce Business Basic instead of legacy Skype. Default 0. */
  nce?: number;
}

const DAY_MS = 86_400_000;
type DemoCatalog = Pick<SandboxFixture, "partner" | "skus" | "offers" | "products" | "credentials">;
let catalog: DemoCatalog | undefined;

function demoCatalog(): DemoCatalog {
  if (!catalog) {
    const demo = JSON.parse(readFileSync(DEMO_FIXTURE_PATH, "utf8")) as SandboxFixture;
    catalog = { partner: demo.partner, skus: demo.skus, offers: demo.offers, products: demo.products ?? [], credentials: demo.credentials };
  }
  return catalog;
}

/** The demo's credentials, keeping only their `*` GDAP and consent entries: the demo's customers are not in a generated world. */
function generatedCredential(c: FixtureCredential): FixtureCredential {
  const { gdap, consents, ...rest } = c;
  return {
    ...rest,
    ...(gdap?.["*"] ? { gdap: { "*": [...gdap["*"]] } } : {}),
    ...(consents?.["*"] ? { consents: { "*": [...consents["*"]] } } : {}),
  };
}

/** Splits `total` into `n` uneven parts (raw weights 1..60, scaled to sum exactly to total). */
function splitUneven(rng: Rng, n: number, total: number): number[] {
  const raw = Array.from({ length: n }, () => rngInt(rng, 1, 60));
  const sum = raw.reduce((a, b) => a + b, 0);
  const sizes = raw.map((r) => Math.floor((r * total) / sum));
  let rest = total - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % n, rest--) sizes[i] = (sizes[i] ?? 0) + 1;
  return sizes;
}

const isoDay = (ms: number): string => `${new Date(ms).toISOString().slice(0, 10)}T00:00:00Z`;

interface LegacyOffers {
  skype: FixtureOffer;
  f3: FixtureOffer;
  e1: FixtureOffer;
  pbi: FixtureOffer;
}

function legacyOffers(cat: DemoCatalog): LegacyOffers {
  const offerOf = (part: string): FixtureOffer => {
    const sku = cat.skus.find((s) => s.skuPartNumber === part);
    const offer = sku && cat.offers.find((o) => o.skuId === sku.id);
    if (!offer) throw new Error(`demo catalog lacks an offer for ${part}`);
    return offer;
  };
  return { skype: offerOf("MCOIMP"), f3: offerOf("DESKLESSPACK"), e1: offerOf("STANDARDPACK"), pbi: offerOf("POWER_BI_PRO") };
}

type Give = (from: number, to: number, skuId: string) => void;
type NewSubscription = (offer: FixtureOffer, quantity: number, extra?: Partial<FixtureSubscription>) => FixtureSubscription;

/** A legacy customer in one of the four states (40% untouched, 20% partly migrated, 20% migrated, 20% no Skype). */
function legacySubscriptions(rng: Rng, now: number, size: number, o: LegacyOffers, sub: NewSubscription, give: Give): FixtureSubscription[] {
  const roll = rng.next();
  if (roll < 0.4) {
    give(0, size, o.skype.skuId);
    return [sub(o.skype, size)];
  }
  if (roll < 0.6) {
    const moved = size >= 2 ? rngInt(rng, 1, size - 1) : 0;
    const subs = [sub(o.skype, size), sub(o.f3, size)];
    give(0, moved, o.f3.skuId);
    give(moved, size, o.skype.skuId);
    return subs;
  }
  if (roll < 0.8) {
    const suspendedAt = isoDay(now - rngInt(rng, 1, 90) * DAY_MS);
    give(0, size, o.f3.skuId);
    return [sub(o.f3, size), sub(o.skype, size, { status: "suspended", suspendedAt })];
  }
  const bi = Math.floor(size / 3);
  const subs = [sub(o.e1, size), ...(bi > 0 ? [sub(o.pbi, bi)] : [])];
  give(0, size, o.e1.skuId);
  give(0, bi, o.pbi.skuId);
  return subs;
}

interface GenerateContext {
  rng: Rng;
  now: number;
  share: number;
  offers: LegacyOffers;
  /** Made on first use, so worlds without new commerce draw nothing for it. */
  nce: () => NceCatalog;
}

function generatedCustomer(g: GenerateContext, size: number, i: number): FixtureCustomer {
  const { rng, now } = g;
  const domain = `customer${i + 1}.onmicrosoft.com`;
  const end = isoDay(now + rngInt(rng, 10, 365) * DAY_MS);
  const sub: NewSubscription = (offer, quantity, extra = {}) => ({
    id: rngGuid(rng),
    offerId: offer.id,
    quantity: Math.max(1, quantity),
    status: "active",
    autoRenewEnabled: offer.isAvailableForPurchase,
    commitmentEndDate: end,
    ...extra,
  });
  const users: FixtureUser[] = Array.from({ length: size }, (_, j) => ({
    id: rngGuid(rng),
    userPrincipalName: `user${j + 1}@${domain}`,
    displayName: `User ${j + 1}`,
    licenses: [],
  }));
  const give: Give = (from, to, skuId) => {
    for (let j = from; j < to; j++) users[j]?.licenses.push(skuId);
  };
  // Drawn only when asked for, so worlds without new commerce stay what they were for a seed.
  const subscriptions =
    g.share > 0 && rng.next() < g.share ? nceSubscriptions(rng, now, size, g.nce(), give) : legacySubscriptions(rng, now, size, g.offers, sub, give);
  return { id: rngGuid(rng), companyName: `Customer ${i + 1} Ltd`, domain, subscriptions, users };
}

export function generateWorld(opts: GenerateOptions): SandboxFixture {
  const { customers: n, users: m } = opts;
  const share = opts.nce ?? 0;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(m) || m < 0) {
    throw new RangeError("generateWorld: customers and users must be non-negative integers");
  }
  if (!(share >= 0 && share <= 1)) throw new RangeError("generateWorld: nce must be a share from 0 to 1");
  const rng = createRng(opts.seed ?? 1);
  const cat = demoCatalog();
  let nce: NceCatalog | undefined;
  const g: GenerateContext = {
    rng,
    now: Date.parse(opts.now ?? "2026-11-24T00:00:00Z"),
    share,
    offers: legacyOffers(cat),
    nce: () => (nce ??= nceCatalog(cat.products ?? [], cat.skus)),
  };
  const sizes = n > 0 ? splitUneven(rng, n, m) : [];
  return {
    partner: { ...cat.partner },
    skus: cat.skus,
    offers: cat.offers,
    products: cat.products ?? [],
    customers: sizes.map((size, i) => generatedCustomer(g, size, i)),
    credentials: cat.credentials.map(generatedCredential),
  };
}

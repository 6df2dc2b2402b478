/**
 * Synthetic worlds for benchmarks: N customers sharing M users, uneven sizes, in the states
 * a real partner meets (40% untouched, 20% partly migrated, 20% migrated, 20% no Skype).
 * A share of them (`nce`, default none) are new-commerce customers instead (generate-nce.ts).
 * Same seed, same world. The catalog (skus, offers, products, credentials) is the demo fixture's.
 */
import { readFileSync } from "node:fs";
import { DEMO_FIXTURE_PATH } from "./fixture.js";
import { nceCatalog, nceSubscriptions } from "./generate-nce.js";
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
let catalog: Pick<SandboxFixture, "partner" | "skus" | "offers" | "products" | "credentials"> | undefined;

function demoCatalog(): NonNullable<typeof catalog> {
  if (!catalog) {
    const demo = JSON.parse(readFileSync(DEMO_FIXTURE_PATH, "utf8")) as SandboxFixture;
    catalog = { partner: demo.partner, skus: demo.skus, offers: demo.offers, products: demo.products ?? [], credentials: demo.credentials };
  }
  return catalog;
}

/** The demo's credentials, keeping only their `*` GDAP entries: the demo's customers are not in a generated world. */
function generatedCredential(c: FixtureCredential): FixtureCredential {
  const star = c.gdap?.["*"];
  const { gdap: _drop, ...rest } = c;
  return star ? { ...rest, gdap: { "*": [...star] } } : rest;
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

export function generateWorld(opts: GenerateOptions): SandboxFixture {
  const { customers: n, users: m } = opts;
  const share = opts.nce ?? 0;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(m) || m < 0) {
    throw new RangeError("generateWorld: customers and users must be non-negative integers");
  }
  if (!(share >= 0 && share <= 1)) throw new RangeError("generateWorld: nce must be a share from 0 to 1");
  const rng = createRng(opts.seed ?? 1);
  const now = Date.parse(opts.now ?? "2026-11-24T00:00:00Z");
  const cat = demoCatalog();
  const offerOf = (part: string): FixtureOffer => {
    const sku = cat.skus.find((s) => s.skuPartNumber === part);
    const offer = sku && cat.offers.find((o) => o.skuId === sku.id);
    if (!offer) throw new Error(`demo catalog lacks an offer for ${part}`);
    return offer;
  };
  const [skype, f3, e1, pbi] = ["MCOIMP", "DESKLESSPACK", "STANDARDPACK", "POWER_BI_PRO"].map(offerOf) as [
    FixtureOffer,
    FixtureOffer,
    FixtureOffer,
    FixtureOffer,
  ];

  let nce: ReturnType<typeof nceCatalog> | undefined;
  const sizes = n > 0 ? splitUneven(rng, n, m) : [];
  const customers: FixtureCustomer[] = sizes.map((size, i) => {
    const domain = `customer${i + 1}.onmicrosoft.com`;
    const end = isoDay(now + rngInt(rng, 10, 365) * DAY_MS);
    const sub = (offer: FixtureOffer, quantity: number, extra: Partial<FixtureSubscription> = {}): FixtureSubscription => ({
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
    const give = (from: number, to: number, skuId: string) => {
      for (let j = from; j < to; j++) users[j]?.licenses.push(skuId);
    };
    // Drawn only when asked for, so worlds without new commerce stay what they were for a seed.
    if (share > 0 && rng.next() < share) {
      const subscriptions = nceSubscriptions(rng, now, size, (nce ??= nceCatalog(cat.products ?? [], cat.skus)), give);
      return { id: rngGuid(rng), companyName: `Customer ${i + 1} Ltd`, domain, subscriptions, users };
    }
    const roll = rng.next();
    let subscriptions: FixtureSubscription[];
    if (roll < 0.4) {
      subscriptions = [sub(skype, size)];
      give(0, size, skype.skuId);
    } else if (roll < 0.6) {
      const moved = size >= 2 ? rngInt(rng, 1, size - 1) : 0;
      subscriptions = [sub(skype, size), sub(f3, size)];
      give(0, moved, f3.skuId);
      give(moved, size, skype.skuId);
    } else if (roll < 0.8) {
      const suspendedAt = isoDay(now - rngInt(rng, 1, 90) * DAY_MS);
      subscriptions = [sub(f3, size), sub(skype, size, { status: "suspended", suspendedAt })];
      give(0, size, f3.skuId);
    } else {
      const bi = Math.floor(size / 3);
      subscriptions = [sub(e1, size), ...(bi > 0 ? [sub(pbi, bi)] : [])];
      give(0, size, e1.skuId);
      give(0, bi, pbi.skuId);
    }
    return { id: rngGuid(rng), companyName: `Customer ${i + 1} Ltd`, domain, subscriptions, users };
  });

  return {
    partner: { ...cat.partner },
    skus: cat.skus,
    offers: cat.offers,
    products: cat.products ?? [],
    customers,
    credentials: cat.credentials.map(generatedCredential),
  };
}

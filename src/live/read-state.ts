import pLimit from "p-limit";
import type { LicenseBackend, LicenseBackendFactory } from "../licenses/backend.js";
import type { PartnerCenterApi } from "../partner-center/api.js";
import { AuthenticationError } from "../partner-center/errors.js";
import type { Offer } from "../partner-center/types.js";
import type { MigrationPlan } from "../plan-file/types.js";
import type { LiveCustomer, LiveOffer, LiveState } from "../reconcile/types.js";
import { inert } from "../util/inert-text.js";
import { isNotFound } from "./not-found.js";
import { licenseSkuResolver } from "./offer-skus.js";
import { readCommerceState, type CommerceState } from "./read-customer.js";

export interface ReadOptions {
  /** Requests in flight at once (the client separately keeps to its request rate). */
  concurrency: number;
  /** Where licence state is read (Partner Center or Graph). */
  licenses: LicenseBackendFactory;
  country: string;
  onProgress?: (e: { customersDone: number; customersTotal: number }) => void;
}

/** What each planned customer is read for: its source SKUs across plans. */
interface Wanted {
  id: string;
  name: string | undefined;
  sourceSkuIds: Set<string>;
}

/** Customers without a name in the plans: above this many, one paged customer list is cheaper than a read each. */
const NAME_LIST_THRESHOLD = 10;

/**
 * Reads live state for the planned customers only: offers once, then per customer its
 * subscriptions and subscribed SKUs, and — only when a source SKU has consumed units —
 * its users' licenses, stopping once every consumed source unit is accounted for.
 * Server-supplied text (names, user principal names) is made inert here, once, for every format.
 * A customer whose reads fail (after the client's retries) is recorded in `failures` and the
 * others go on; only a failure no customer can escape (credentials, the offer catalog) ends the run.
 */
export async function readLiveState(api: PartnerCenterApi, plans: readonly MigrationPlan[], opts: ReadOptions): Promise<LiveState> {
  const limit = pLimit(Math.max(1, opts.concurrency));
  const licenses = opts.licenses(limit);
  const listed = await api.listOffers(opts.country);
  const offers = listed.map(toLiveOffer);
  const skuOfOffer = licenseSkuResolver(api, limit, opts.country, listed);

  const wanted = wantedCustomers(plans);
  const names = await namesOf(api, limit, [...wanted.values()]);
  const customers = new Map<string, LiveCustomer>();
  const failures = new Map<string, string>();
  let done = 0;
  // Customers in flight are bounded too, not only requests: otherwise every customer's first
  // reads are queued at once, and each customer's user list waits in memory behind all the
  // others' (peak memory grew with the number of customers). Twice the request concurrency
  // keeps the request queue full while one customer waits on its sequential user pages.
  const customerLimit = pLimit(Math.max(1, opts.concurrency) * 2);
  await Promise.all(
    [...wanted.values()].map((w) =>
      customerLimit(async () => {
        try {
          const c = await readCustomer(api, licenses, limit, w, names, skuOfOffer);
          if (c) customers.set(w.id, c);
        } catch (err) {
          if (err instanceof AuthenticationError) throw err;
          failures.set(w.id, inert(err instanceof Error ? err.message : String(err)));
        }
        opts.onProgress?.({ customersDone: ++done, customersTotal: wanted.size });
      }),
    ),
  );
  return { customers, failures, offers };
}

function wantedCustomers(plans: readonly MigrationPlan[]): Map<string, Wanted> {
  const wanted = new Map<string, Wanted>();
  for (const plan of plans) {
    for (const c of plan.customers) {
      const w = wanted.get(c.id) ?? { id: c.id, name: c.name, sourceSkuIds: new Set<string>() };
      w.sourceSkuIds.add(plan.source.skuId);
      wanted.set(c.id, w);
    }
  }
  return wanted;
}

type Limit = ReturnType<typeof pLimit>;
type Names = (customerId: string) => Promise<string>;

/**
 * Names come from the plans; a customer without one is named from Partner Center: one read
 * each for a few, the paged customer list for many. A name is never worth failing a customer.
 */
async function namesOf(api: PartnerCenterApi, limit: Limit, wanted: readonly Wanted[]): Promise<Names> {
  const unnamed = wanted.filter((w) => w.name === undefined);
  const known = new Map(wanted.flatMap((w) => (w.name === undefined ? [] : [[w.id, w.name] as const])));
  if (unnamed.length > NAME_LIST_THRESHOLD) {
    const listed = await limit(() => api.listCustomers()).catch(() => []);
    for (const c of listed) known.set(c.id.toLowerCase(), inert(c.companyProfile.companyName));
  }
  return async (id) => {
    const name = known.get(id);
    if (name !== undefined) return name;
    if (unnamed.length > NAME_LIST_THRESHOLD) return id;
    return limit(() => api.getCustomer(id)).then(
      (c) => inert(c.companyProfile.companyName),
      () => id,
    );
  };
}

async function readCustomer(
  api: PartnerCenterApi,
  licenses: LicenseBackend,
  limit: Limit,
  w: Wanted,
  nameOf: Names,
  skuOfOffer: (offerId: string) => Promise<string | undefined>,
): Promise<LiveCustomer | undefined> {
  let state: CommerceState;
  try {
    state = await readCommerceState(api, licenses, limit, w.id, skuOfOffer, w.sourceSkuIds);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const sourceConsumed = state.skus.filter((k) => w.sourceSkuIds.has(k.skuId)).reduce((n, k) => n + k.consumedUnits, 0);
  const users = sourceConsumed > 0 ? await licenses.holders(w.id, w.sourceSkuIds, sourceConsumed) : undefined;
  return { id: w.id, name: await nameOf(w.id), ...state, users };
}

function toLiveOffer(o: Offer): LiveOffer {
  return {
    id: o.id.toLowerCase(),
    name: inert(o.name),
    skuId: o.product.id.toLowerCase(),
    purchasable: o.isAvailableForPurchase,
    minimumQuantity: o.minimumQuantity,
    maximumQuantity: o.maximumQuantity,
  };
}

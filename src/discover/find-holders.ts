import pLimit from "p-limit";
import type { PartnerCenterApi } from "../partner-center/api.js";
import type { Customer } from "../partner-center/types.js";
import { licenseSkuResolver, type SkuOf } from "../live/offer-skus.js";
import { partnerCenterLicenses } from "../licenses/partner-center-backend.js";
import { readCommerceState } from "../live/read-customer.js";
import { inert } from "../util/inert-text.js";
import type { DiscoveredCustomer } from "./types.js";
import type { Limit } from "../util/limit.js";

export interface FindHoldersOptions {
  /** The source SKU, lowercase skuId. */
  sourceSkuId: string;
  country: string;
  /** Requests in flight at once (the client separately keeps to its request rate). */
  concurrency: number;
  /** Only customers for which this returns true are read (e.g. --customer, --shard). */
  include?: (customerId: string) => boolean;
  onProgress?: (e: { customersDone: number; customersTotal: number }) => void;
}

/**
 * Reads, for every customer of the partner, its subscriptions and subscribed SKUs, and keeps the
 * customers that hold the source: an active subscription whose offer provisions the source SKU,
 * or consumed source units. Two reads per customer, plus the offer catalog once; no user reads.
 */
export async function findSourceHolders(api: PartnerCenterApi, opts: FindHoldersOptions): Promise<DiscoveredCustomer[]> {
  const limit = pLimit(Math.max(1, opts.concurrency));
  const source = opts.sourceSkuId.toLowerCase();
  const skuOfOffer = licenseSkuResolver(api, limit, opts.country, await api.listOffers(opts.country));

  const customers = (await api.listCustomers()).filter((c) => !opts.include || opts.include(c.id.toLowerCase()));
  let done = 0;
  const found = await Promise.all(
    customers.map(async (c) => {
      const result = await readCustomer(api, limit, c, source, skuOfOffer);
      opts.onProgress?.({ customersDone: ++done, customersTotal: customers.length });
      return result;
    }),
  );
  return found.filter((c): c is DiscoveredCustomer => c !== undefined);
}

async function readCustomer(
  api: PartnerCenterApi,
  limit: Limit,
  c: Customer,
  source: string,
  skuOfOffer: (offerId: string) => Promise<SkuOf>,
): Promise<DiscoveredCustomer | undefined> {
  const { subscriptions, skus } = await readCommerceState(api, partnerCenterLicenses(api, limit), limit, c.id, skuOfOffer);
  const sourceUsers = skus.filter((k) => k.skuId === source).reduce((n, k) => n + k.consumedUnits, 0);
  const sourceSubs = subscriptions.filter((s) => s.skuId === source);
  if (sourceUsers === 0 && !sourceSubs.some((s) => s.status === "active")) return undefined;
  return {
    id: c.id.toLowerCase(),
    name: inert(c.companyProfile.companyName),
    domain: inert(c.companyProfile.domain),
    sourceUsers,
    subscriptions: sourceSubs.map(({ id, quantity, status, autoRenewEnabled, commitmentEndDate }) => ({
      id,
      quantity,
      status,
      autoRenewEnabled,
      commitmentEndDate,
    })),
  };
}

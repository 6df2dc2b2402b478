import pLimit from "p-limit";
import { PcplanError } from "../errors.js";
import type { LicenseBackend, LicenseBackendFactory } from "../licenses/backend.js";
import type { PartnerCenterApi } from "../partner-center/api.js";
import { AuthenticationError } from "../partner-center/errors.js";
import type { Offer } from "../partner-center/types.js";
import type { MigrationPlan, PlanCustomer } from "../plan-file/types.js";
import type { AccessCheck } from "../access/access-check.js";
import type { CatalogTarget, LicenceAccess, LiveCustomer, LiveOffer, LiveState, LiveUser, PendingOrder, TransitionOption } from "../model/live-state.js";
import { loadCatalog } from "../catalog/load-catalog.js";
import { inert } from "../util/inert-text.js";
import { isNotFound } from "./not-found.js";
import { licenseSkuResolver, skuIdOf, type SkuOf } from "./offer-skus.js";
import { unsettledOrders, type PurchaseJournal } from "../journal/purchase-journal.js";
import { catalogKey } from "../model/catalog-key.js";
import { resolveCatalogTarget } from "./read-catalog.js";
import { readCommerceState, type CommerceState } from "./read-customer.js";
import { ORDER_LAG_WINDOW_MS, readPendingOrders } from "./read-orders.js";
import { readRenewalFacts } from "./read-renewal.js";
import { readTermEnds } from "./read-term-ends.js";
import type { ScheduleJournal } from "../journal/schedule-journal.js";
import { unbounded, type Limit } from "../util/limit.js";

export interface ReadOptions {
  /** Requests in flight at once (the client separately keeps to its request rate). */
  concurrency: number;
  /** Where licence state is read (Partner Center or Graph). */
  licenses: LicenseBackendFactory;
  country: string;
  /** pcplan's record of purchases it made (orders the orders list may not show yet). */
  journal?: PurchaseJournal;
  /** What the credential may do with each customer's licences: asked first; a customer whose licences cannot even be read is not read. */
  access?: AccessCheck;
  /** pcplan's record of the changes it scheduled for renewals (`strategy: at-renewal`). */
  schedules?: ScheduleJournal;
  onProgress?: (e: { customersDone: number; customersTotal: number }) => void;
  /**
   * The run's time (ms since the epoch): an order created within ORDER_LAG_WINDOW_MS before it,
   * completed while its subscription is not listed yet, is still in flight, as the re-check
   * before a purchase takes it (src/apply/effects/purchase.ts). Without it, only the journal's.
   */
  now?: number;
}

/** What each planned customer is read for, across plans. */
interface Wanted {
  id: string;
  name: string | undefined;
  sourceSkuIds: Set<string>;
  targetSkuIds: Set<string>;
  /** The plan entries naming it (for the catalog targets it may need). */
  entries: PlanCustomer[];
}

/** Customers in flight per unit of --concurrency. */
const CUSTOMERS_PER_SLOT = 8;

/** Customers without a name in the plans: above this many, one paged customer list is cheaper than a read each. */
const NAME_LIST_THRESHOLD = 10;

/**
 * Reads live state for the planned customers only: offers once, then per customer its
 * subscriptions and subscribed SKUs, and its users' licences: all of them where an active source
 * subscription may be retired (the holders must confirm the count a retirement rests on), else
 * only when a source SKU has consumed units, stopping once every consumed unit is accounted for.
 * Server-supplied text (names, user principal names) is made inert here, once, for every format.
 * A customer whose reads fail (after the client's retries) is recorded in `failures` and the
 * others go on; only a failure no customer can escape (credentials, the offer catalog) ends the run.
 */
export async function readLiveState(api: PartnerCenterApi, plans: readonly MigrationPlan[], opts: ReadOptions): Promise<LiveState> {
  // The client bounds what is on the wire after each request's budget (src/partner-center/
  // dispatcher.ts); a bound here on every request would let requests that wait for one
  // customer's budget hold up all the others. What is bounded here: customers in flight (memory),
  // and each customer's licence reads (so they stop early once every holder is found).
  const perCustomer = Math.max(1, opts.concurrency);
  const limit = unbounded;
  const wanted = wantedCustomers(plans);
  opts.licenses(limit).prepare?.([...wanted.keys()]);
  const listed = await api.listOffers(opts.country);
  const offers = listed.map(toLiveOffer);
  const skuOfOffer = licenseSkuResolver(api, limit, opts.country, listed);

  const names = namesOf(api, limit, [...wanted.values()]);
  const customers = new Map<string, LiveCustomer>();
  const failures = new Map<string, string>();
  const access = new Map<string, LicenceAccess>();
  const catalog = new Map<string, Promise<CatalogTarget>>();
  // A new-commerce target is resolved once per run (two reads), and only if some customer has
  // no subscription of it (a purchase might be needed): a converged world reads no catalog.
  const needCatalog = (pc: PlanCustomer) => {
    if (pc.purchase.commerce === "legacy") return;
    const key = catalogKey(pc, opts.country);
    if (!catalog.has(key)) catalog.set(key, resolveCatalogTarget(api, limit, pc, pc.purchase.country ?? opts.country));
  };
  const ctx: CustomerReads = {
    api,
    licenses: () => opts.licenses(pLimit(perCustomer)),
    limit,
    names,
    skuOfOffer,
    journal: opts.journal,
    schedules: opts.schedules,
    needCatalog,
    ...(opts.now === undefined ? {} : { lagSince: opts.now - ORDER_LAG_WINDOW_MS }),
  };
  let done = 0;
  // Customers in flight are bounded: otherwise every customer's first reads are queued at once,
  // and each customer's user list waits in memory behind all the others' (peak memory grew with
  // the number of customers). Many customers at once (8 × the concurrency) spread the partner's
  // rate thin across them, so a per-customer limit (Partner Center limits some resources per
  // customer tenant) rarely binds, and the wire stays busy while some wait on their user pages.
  const customerLimit = pLimit(Math.max(1, opts.concurrency) * CUSTOMERS_PER_SLOT);
  await Promise.all(
    [...wanted.values()].map((w) =>
      customerLimit(async () => {
        try {
          const verdict = await opts.access?.licenceAccess(w.id).catch(() => undefined);
          const unreadable = verdict?.state === "refused" && !verdict.readable;
          const c = unreadable ? undefined : await readCustomer(ctx, w);
          if (c) customers.set(w.id, c);
          if (verdict && (c || (unreadable && (await known(api, w.id))))) access.set(w.id, verdict);
        } catch (err) {
          // No customer escapes a refused credential or an unusable state file (.pcplan/).
          // Nor the run's time limit (--timeout): the run ends, it does not plan around a customer.
          if (err instanceof AuthenticationError || (err instanceof PcplanError && (err.code === "STATE_FILE" || err.code === "RUN_TIMEOUT"))) throw err;
          failures.set(w.id, inert(err instanceof Error ? err.message : String(err)));
        }
        opts.onProgress?.({ customersDone: ++done, customersTotal: wanted.size });
      }),
    ),
  );
  const resolved = new Map(await Promise.all([...catalog].map(async ([k, p]) => [k, await p] as const)));
  return { customers, failures, offers, catalog: resolved, servicePlans: servicePlansOf(plans), ...(opts.access ? { access } : {}) };
}

/**
 * A customer whose licences the credential cannot read (no token for its tenant): only whether
 * Partner Center knows it (an unknown id is "not found", never a refusal), so the refusal can be
 * said with its name and nothing is planned from a half-read state.
 */
async function known(api: PartnerCenterApi, customerId: string): Promise<boolean> {
  try {
    await api.listSubscriptions(customerId);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** The service plans (id, name) of every source and target the plans name, from the catalog (to carry disabled plans by name). */
function servicePlansOf(plans: readonly MigrationPlan[]): Map<string, { id: string; name: string }[]> {
  const catalog = loadCatalog();
  const skus = new Set(plans.flatMap((p) => [p.source.skuId, p.target.skuId, ...p.customers.map((c) => c.target.skuId)]));
  return new Map([...skus].map((s) => [s, catalog.servicePlans(s).map((p) => ({ id: p.id.toLowerCase(), name: p.name }))]));
}

/**
 * The groups some holder inherits a source from, where the licence API shows groups (Graph):
 * each group's licences, type and members. None read where every holder holds it directly.
 */
async function readGroups(licenses: LicenseBackend, customerId: string, users: readonly LiveUser[] | undefined, sourceSkuIds: ReadonlySet<string>) {
  if (!licenses.groupLicensing || users === undefined) return {};
  const ids = new Set(users.flatMap((u) => (u.assignments ?? []).filter((a) => a.group !== null && sourceSkuIds.has(a.skuId)).map((a) => a.group as string)));
  return { groups: ids.size === 0 ? [] : await licenses.groupLicensing.groups(customerId, [...ids].sort()) };
}

function wantedCustomers(plans: readonly MigrationPlan[]): Map<string, Wanted> {
  const wanted = new Map<string, Wanted>();
  for (const plan of plans) {
    for (const c of plan.customers) {
      const w = wanted.get(c.id) ?? { id: c.id, name: c.name, sourceSkuIds: new Set<string>(), targetSkuIds: new Set<string>(), entries: [] };
      w.sourceSkuIds.add(plan.source.skuId);
      w.targetSkuIds.add(c.target.skuId);
      w.entries.push(c);
      wanted.set(c.id, w);
    }
  }
  return wanted;
}

type Names = (customerId: string) => Promise<string>;

/**
 * Names come from the plans; a customer without one is named from Partner Center: one read
 * each for a few, the paged customer list for many. A name is never worth failing a customer,
 * nor waiting for: the list is read while the customers are, and asked for only at the end of each.
 */
function namesOf(api: PartnerCenterApi, limit: Limit, wanted: readonly Wanted[]): Names {
  const unnamed = wanted.filter((w) => w.name === undefined);
  const known = new Map(wanted.flatMap((w) => (w.name === undefined ? [] : [[w.id, w.name] as const])));
  const listed =
    unnamed.length > NAME_LIST_THRESHOLD
      ? limit(() => api.listCustomers()).then(
          (cs) => new Map(cs.map((c) => [c.id.toLowerCase(), inert(c.companyProfile.companyName)] as const)),
          () => new Map<string, string>(),
        )
      : undefined;
  return async (id) => {
    const name = (await listed)?.get(id) ?? known.get(id);
    if (name !== undefined) return name;
    if (listed) return id;
    return limit(() => api.getCustomer(id)).then(
      (c) => inert(c.companyProfile.companyName),
      () => id,
    );
  };
}

interface CustomerReads {
  api: PartnerCenterApi;
  /** A licence backend for one customer, its reads bounded on their own. */
  licenses: () => LicenseBackend;
  limit: Limit;
  names: Names;
  skuOfOffer: (offerId: string) => Promise<SkuOf>;
  journal: PurchaseJournal | undefined;
  schedules: ScheduleJournal | undefined;
  needCatalog: (pc: PlanCustomer) => void;
  /** Orders of the list created since then count as in flight while their subscription is not listed (`readPendingOrders`). */
  lagSince?: number;
}

/**
 * One customer: subscriptions and counts; then, only where they matter, the source holders
 * (source units consumed, or a source subscription that may be retired), the orders in flight and catalog targets (no target subscription
 * yet, so a purchase may be needed), the allowed term end dates of a co-termed purchase
 * (`purchase.termEnd`) and transition eligibilities (`strategy: transition`).
 */
async function readCustomer(r: CustomerReads, w: Wanted): Promise<LiveCustomer | undefined> {
  const licenses = r.licenses();
  let state: CommerceState;
  try {
    state = await readCommerceState(r.api, licenses, r.limit, w.id, r.skuOfOffer, w.sourceSkuIds);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const sourceConsumed = state.skus.filter((k) => w.sourceSkuIds.has(k.skuId)).reduce((n, k) => n + k.consumedUnits, 0);
  // A retirement is never planned on the count alone: where one may follow, every holder is read.
  const mayRetire =
    w.entries.some((pc) => pc.decommission !== "keep") &&
    state.subscriptions.some((s) => s.skuId !== undefined && w.sourceSkuIds.has(s.skuId) && s.status === "active");
  const hasTarget = (skuId: string) => state.subscriptions.some((s) => s.skuId === skuId && (s.status === "active" || s.status === "pending"));
  const mayBuy = [...w.targetSkuIds].some((t) => !hasTarget(t));
  for (const pc of w.entries) if (!hasTarget(pc.target.skuId)) r.needCatalog(pc);
  const nceSources = state.subscriptions.filter((s) => s.commerce === "nce" && s.status === "active" && s.skuId !== undefined && w.sourceSkuIds.has(s.skuId));
  const transitionFrom = w.entries.some((pc) => pc.strategy === "transition") ? nceSources : [];
  const atRenewal = w.entries.some((pc) => pc.strategy === "at-renewal");
  const [users, pendingOrders, eligibilities, renewal, termEnds] = await Promise.all([
    mayRetire
      ? licenses.holders(w.id, w.sourceSkuIds, undefined, sourceConsumed)
      : sourceConsumed > 0
        ? licenses.holders(w.id, w.sourceSkuIds, sourceConsumed)
        : Promise.resolve(undefined),
    mayBuy
      ? readPendingOrders(
          r.api,
          r.limit,
          w.id,
          unsettledOrders((await r.journal?.entries(w.id)) ?? []),
          new Set(state.subscriptions.filter((s) => s.status === "active").map((s) => s.id)),
          async (o) => skuIdOf(await r.skuOfOffer(o)),
          r.lagSince,
        )
      : Promise.resolve<PendingOrder[]>([]),
    readEligibilities(
      r,
      w.id,
      transitionFrom.map((s) => s.id),
    ),
    atRenewal ? readRenewalFacts(r.api, r.limit, w.id, nceSources, r.schedules) : Promise.resolve({}),
    readTermEnds(r.api, r.limit, w.id, w.entries, (pc) => !hasTarget(pc.target.skuId)),
  ]);
  const groups = await readGroups(licenses, w.id, users, w.sourceSkuIds);
  return { id: w.id, name: await r.names(w.id), ...state, users, ...groups, pendingOrders, eligibilities, ...renewal, ...termEnds };
}

/** Immediate transition eligibilities of each subscription (get-transition-eligibilities). */
async function readEligibilities(r: CustomerReads, customerId: string, subscriptionIds: readonly string[]): Promise<Map<string, TransitionOption[]>> {
  const entries = await Promise.all(
    subscriptionIds.map(async (id) => {
      const list = await r.limit(() => r.api.listTransitionEligibilities(customerId, id, "immediate"));
      const options = list.map((e): TransitionOption => ({
        catalogItemId: e.catalogItemId,
        withLicenseTransfer: e.eligibilities.some((x) => x.isEligible && x.transitionType.trim().toLowerCase() === "transition_with_license_transfer"),
        errors: e.eligibilities
          .filter((x) => x.transitionType.trim().toLowerCase() === "transition_with_license_transfer")
          .flatMap((x) => x.errors.map((err) => inert(err.description))),
      }));
      return [id, options] as const;
    }),
  );
  return new Map(entries);
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

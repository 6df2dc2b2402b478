import { catalogKey } from "../../src/model/catalog-key.js";
import type { MigrationPlan, PlanCustomer, PurchaseSettings, SkuRef } from "../../src/plan-file/types.js";
import type { Action, CatalogTarget, CustomerPlan, LiveCustomer, LiveOffer, LiveState, TransitionOption } from "../../src/reconcile/types.js";

/**
 * A small model of a Partner Center customer for pure tests: subscriptions (legacy and new
 * commerce) and users with licenses, orders still provisioning and the transitions Microsoft
 * offers. It derives what the reader would see (subscribed SKU counts, source holders) and
 * applies actions with the service's rules: no unit, no assignment; no cancellation after the
 * window; no transition Microsoft did not offer; and pcplan's own: no retirement in use.
 */
export interface ModelSub {
  id: string;
  skuId: string;
  quantity: number;
  status: "active" | "suspended" | "pending" | "deleted";
  commitmentEndDate?: string;
  /** Default legacy. New commerce: sold as `product:sku:availability`, cancellable inside its window. */
  commerce?: "legacy" | "nce";
  /** Default false for legacy, true for new commerce. */
  autoRenew?: boolean;
  cancellationAllowedUntil?: string;
  /** The catalog will not say which licence SKU it provisions. */
  unmapped?: string;
  /** New commerce: the term and billing cycle (default P1Y, monthly). */
  term?: string;
  billing?: string;
}
export interface ModelUser {
  id: string;
  upn: string;
  skuIds: string[];
}
export interface ModelCustomer {
  id: string;
  name: string;
  subs: ModelSub[];
  users: ModelUser[];
  /** Orders taken and not provisioned yet: the licence SKUs their lines provision. */
  /** Orders not settled yet: the licence skuId of each line, and its seats when known. */
  pendingOrders?: { id: string; skuIds: (string | undefined)[]; quantity?: number }[];
  /** Transitions Microsoft offers, per source subscription id. */
  eligibilities?: Record<string, TransitionOption[]>;
}

export const SKU = {
  MCOIMP: { skuId: "b8b749f8-a4ef-4887-9539-c95b1eaa5db7", skuPartNumber: "MCOIMP", displayName: "Skype for Business Online (Plan 1)" },
  DESKLESSPACK: { skuId: "4b585984-651b-448a-9e53-3b10f069cf7f", skuPartNumber: "DESKLESSPACK", displayName: "Office 365 F3" },
  M365_F1: { skuId: "44575883-256e-4a79-9da4-ebe9acabe2b2", skuPartNumber: "M365_F1", displayName: "Microsoft 365 F1" },
  EMS: { skuId: "efccb6f7-5641-4e0e-bd10-b4976e1bf68e", skuPartNumber: "EMS", displayName: "Enterprise Mobility + Security E3" },
} satisfies Record<string, SkuRef>;

export const OFFERS: LiveOffer[] = [
  { id: "offer-mcoimp", name: "Skype for Business Online (Plan 1)", skuId: SKU.MCOIMP.skuId, purchasable: false, minimumQuantity: 1, maximumQuantity: 10000 },
  { id: "offer-deskless", name: "Office 365 F3", skuId: SKU.DESKLESSPACK.skuId, purchasable: true, minimumQuantity: 1, maximumQuantity: 10000 },
  { id: "offer-m365f1", name: "Microsoft 365 F1", skuId: SKU.M365_F1.skuId, purchasable: true, minimumQuantity: 1, maximumQuantity: 10000 },
  { id: "offer-ems", name: "EMS E3", skuId: SKU.EMS.skuId, purchasable: true, minimumQuantity: 1, maximumQuantity: 10000 },
];
const offerOf = (skuId: string) => OFFERS.find((o) => o.skuId === skuId)?.id ?? "offer-unknown";

/** New-commerce catalog items (catalog/nce-products.json's product:sku, an availability appended). */
export const NCE_ITEM: Record<string, string> = {
  [SKU.MCOIMP.skuId]: "CFQ7TTC0MCOI:0001:CFQ7TTC0AV01",
  [SKU.DESKLESSPACK.skuId]: "CFQ7TTC0LGZW:0001:CFQ7TTC0K5DR",
  [SKU.M365_F1.skuId]: "CFQ7TTC0MBMD:0002:CFQ7TTC0AV02",
  [SKU.EMS.skuId]: "CFQ7TTC0LHT4:0001:CFQ7TTC0AV03",
};
const productSku = (skuId: string) => NCE_ITEM[skuId]?.split(":").slice(0, 2).join(":") ?? "";

/** The reference time of the pure tests (a cancellation window is open or closed relative to it). */
export const MODEL_NOW = "2026-11-24T00:00:00Z";
const DAY = 86_400_000;
export const daysFrom = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY).toISOString();

/**
 * What the reader reports for a model customer. `hiddenHolders` leaves that many source holders
 * out of the users it "found" (as when user reads stop early or a page is missing) while the
 * subscribed-SKU counts stay exact: the diff must then treat the unseen holders as still there.
 */
export function toLive(c: ModelCustomer, sourceSkuId: string, hiddenHolders = 0): LiveCustomer {
  const skuIds = new Set([...c.subs.map((s) => s.skuId), ...c.users.flatMap((u) => u.skuIds)]);
  const part = (id: string) => Object.values(SKU).find((s) => s.skuId === id)?.skuPartNumber ?? id;
  const skus = [...skuIds].map((skuId) => ({
    skuId,
    skuPartNumber: part(skuId),
    consumedUnits: c.users.filter((u) => u.skuIds.includes(skuId)).length,
    totalUnits: c.subs.filter((s) => s.skuId === skuId && s.status === "active").reduce((n, s) => n + s.quantity, 0),
  }));
  const sourceConsumed = skus.find((k) => k.skuId === sourceSkuId)?.consumedUnits ?? 0;
  return {
    id: c.id,
    name: c.name,
    subscriptions: c.subs.map((s) => {
      const nce = s.commerce === "nce";
      return {
        id: s.id,
        offerId: nce ? (NCE_ITEM[s.skuId] ?? "unknown:0001:x").toLowerCase() : offerOf(s.skuId),
        skuId: s.unmapped === undefined ? s.skuId : undefined,
        unmapped: s.unmapped,
        commerce: nce ? ("nce" as const) : ("legacy" as const),
        quantity: s.quantity,
        status: s.status,
        autoRenewEnabled: s.autoRenew ?? nce,
        commitmentEndDate: s.commitmentEndDate,
        creationDate: undefined,
        cancellationAllowedUntil: nce ? s.cancellationAllowedUntil : undefined,
        termDuration: nce ? (s.term ?? "P1Y") : undefined,
        billingCycle: nce ? (s.billing ?? "monthly") : "monthly",
      };
    }),
    skus,
    users:
      sourceConsumed > 0
        ? c.users
            .filter((u) => u.skuIds.includes(sourceSkuId))
            .slice(hiddenHolders)
            .map((u) => ({ ...u, skuIds: [...u.skuIds] }))
        : undefined,
    pendingOrders: (c.pendingOrders ?? []).map((o) => ({
      id: o.id,
      lines: o.skuIds.map((skuId) => ({ skuId, quantity: o.quantity })),
      seenIn: "orders" as const,
    })),
    eligibilities: new Map(Object.entries(c.eligibilities ?? {})),
  };
}

export interface ModelOptions {
  hiddenHolders?: (c: ModelCustomer) => number;
  /** New-commerce targets the catalog was read for (see catalogFor). */
  catalog?: ReadonlyMap<string, CatalogTarget>;
}

export function liveState(customers: ModelCustomer[], sourceSkuId: string, opts: ModelOptions | ((c: ModelCustomer) => number) = {}): LiveState {
  const o = typeof opts === "function" ? { hiddenHolders: opts } : opts;
  const hidden = o.hiddenHolders ?? (() => 0);
  return {
    customers: new Map(customers.map((c) => [c.id, toLive(c, sourceSkuId, hidden(c))])),
    failures: new Map(),
    offers: OFFERS,
    catalog: o.catalog ?? new Map(),
  };
}

/**
 * The catalog as the reader resolves it for each planned customer's target: sold (1–300 seats)
 * unless `problem` says why not (`notOffered`: not sold in that country at all).
 */
export function catalogFor(
  plan: MigrationPlan,
  country: string,
  problem?: CatalogTarget["problem"],
  limits = { min: 1, max: 300 },
): Map<string, CatalogTarget> {
  return new Map(
    plan.customers.map((pc) => [
      catalogKey(pc, country),
      { catalogItem: productSku(pc.target.skuId), title: pc.target.displayName, minimumQuantity: limits.min, maximumQuantity: limits.max, problem },
    ]),
  );
}

/** Applies actions as Partner Center would at `now`, throwing where the service (or pcplan's own rules) would refuse. */
export function applyActions(c: ModelCustomer, actions: readonly Action[], now = MODEL_NOW): ModelCustomer {
  const next: ModelCustomer = { ...c, subs: c.subs.map((s) => ({ ...s })), users: c.users.map((u) => ({ ...u, skuIds: [...u.skuIds] })) };
  let n = 0;
  const free = (skuId: string) =>
    next.subs.filter((s) => s.skuId === skuId && s.status === "active").reduce((t, s) => t + s.quantity, 0) -
    next.users.filter((u) => u.skuIds.includes(skuId)).length;
  const sub = (id: string, verb: string) => {
    const s = next.subs.find((x) => x.id === id);
    if (!s || s.status !== "active") throw new Error(`${verb} of ${id}: not active`);
    return s;
  };
  const notInUse = (s: ModelSub, verb: string) => {
    if (next.users.some((u) => u.skuIds.includes(s.skuId))) throw new Error(`${verb} of ${s.id} while in use`);
  };
  for (const a of actions) {
    switch (a.kind) {
      case "await": {
        // The orders settle: they are pending no more, and the target seats they bring arrive (what
        // orders of other SKUs bring is of no concern to the plan).
        const settled = new Set(a.orderIds);
        if (a.sku) next.subs.push({ id: `awaited-${c.id}-${n++}`, skuId: a.sku.skuId, quantity: a.quantity, status: "active", autoRenew: true });
        next.pendingOrders = (next.pendingOrders ?? []).filter((o) => !settled.has(o.id));
        break;
      }
      case "purchase":
        next.subs.push(
          a.commerce === "legacy"
            ? { id: `new-${c.id}-${n++}`, skuId: a.sku.skuId, quantity: a.quantity, status: "active", autoRenew: true }
            : {
                id: `new-${c.id}-${n++}`,
                skuId: a.sku.skuId,
                quantity: a.quantity,
                status: "active",
                commerce: "nce",
                cancellationAllowedUntil: daysFrom(now, 7),
                term: a.term,
                billing: a.billing,
              },
        );
        break;
      case "resize": {
        const s = next.subs.find((x) => x.id === a.subscriptionId);
        if (!s || s.status !== "active" || s.quantity !== a.from) throw new Error(`resize of ${a.subscriptionId} does not match`);
        s.quantity = a.to;
        break;
      }
      case "reassign": {
        const u = next.users.find((x) => x.id === a.userId);
        if (!u || !u.skuIds.includes(a.remove.skuId)) throw new Error(`user ${a.userId} does not hold ${a.remove.skuPartNumber}`);
        if (a.assign) {
          if (free(a.assign.skuId) < 1) throw new Error(`60012: no free ${a.assign.skuPartNumber} unit for ${u.upn}`);
          u.skuIds.push(a.assign.skuId);
        }
        u.skuIds = u.skuIds.filter((id) => id !== a.remove.skuId);
        break;
      }
      case "suspend": {
        const s = sub(a.subscriptionId, "suspend");
        notInUse(s, "suspend");
        s.status = "suspended";
        break;
      }
      case "cancel": {
        const s = sub(a.subscriptionId, "cancel");
        if (s.commerce !== "nce") throw new Error(`cancel of ${s.id}: a legacy subscription cannot be cancelled`);
        if (s.cancellationAllowedUntil === undefined || Date.parse(now) >= Date.parse(s.cancellationAllowedUntil))
          throw new Error(`cancel of ${s.id}: the window closed`);
        notInUse(s, "cancel");
        s.status = "deleted";
        break;
      }
      case "no-renew": {
        const s = sub(a.subscriptionId, "no-renew");
        notInUse(s, "no-renew");
        s.autoRenew = false;
        break;
      }
      case "transition": {
        const s = sub(a.subscriptionId, "transition");
        const offered = c.eligibilities?.[s.id]?.find((o) => o.catalogItemId === a.toCatalogItemId);
        if (s.commerce !== "nce" || !offered?.withLicenseTransfer) throw new Error(`transition of ${s.id} to ${a.toCatalogItemId}: not offered`);
        const from = s.skuId;
        s.skuId = a.to.skuId;
        for (const u of next.users) if (u.skuIds.includes(from)) u.skuIds = [...u.skuIds.filter((id) => id !== from && id !== a.to.skuId), a.to.skuId];
        break;
      }
    }
  }
  return next;
}

/** The model sells through its legacy OFFERS; the new-commerce path has tests of its own. */
export const LEGACY_PURCHASE: PurchaseSettings = { term: "P1Y", billing: "monthly", country: undefined, catalogItem: undefined, commerce: "legacy" };

export function planFor(customers: (Partial<PlanCustomer> & { id: string })[], over: Partial<MigrationPlan> = {}): MigrationPlan {
  const target = over.target ?? SKU.DESKLESSPACK;
  const at = { file: "plans/test.yaml", line: 1, col: 1 };
  return {
    file: "plans/test.yaml",
    name: "test",
    source: SKU.MCOIMP,
    target,
    suspendSource: true,
    seats: "users",
    allowFeatureLoss: false,
    at,
    ...over,
    customers: customers.map((c) => ({
      target,
      exclude: [],
      seats: over.seats ?? "users",
      decommission: over.suspendSource === false ? "keep" : "auto",
      purchase: LEGACY_PURCHASE,
      strategy: "purchase",
      at,
      ...c,
    })),
  };
}

/** A customer's plan as the diff returns it (MCOIMP → DESKLESSPACK), for tests of what consumes plans. */
export function customerPlanOf(actions: Action[], over: Partial<CustomerPlan> = {}): CustomerPlan {
  return {
    customerId: "c1",
    name: "Contoso",
    planName: "p",
    source: SKU.MCOIMP,
    target: SKU.DESKLESSPACK,
    sourceEndDate: undefined,
    daysLeft: undefined,
    actions,
    notes: [],
    counts: { sourceHolders: 0, onTarget: 0, excluded: 0 },
    ...over,
  };
}

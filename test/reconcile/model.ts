import type { MigrationPlan, PlanCustomer, PurchaseSettings, SkuRef } from "../../src/plan-file/types.js";
import type { Action, LiveCustomer, LiveOffer, LiveState } from "../../src/reconcile/types.js";

/**
 * A small model of a Partner Center customer for pure tests: subscriptions and users with
 * licenses. It derives what the reader would see (subscribed SKU counts, source holders)
 * and applies actions with the service's rules (no unit, no assignment; no suspension in use).
 */
export interface ModelSub {
  id: string;
  skuId: string;
  quantity: number;
  status: "active" | "suspended";
  commitmentEndDate?: string;
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
    subscriptions: c.subs.map((s) => ({
      id: s.id,
      offerId: offerOf(s.skuId),
      skuId: s.skuId,
      unmapped: undefined,
      commerce: "legacy" as const,
      quantity: s.quantity,
      status: s.status,
      autoRenewEnabled: false,
      commitmentEndDate: s.commitmentEndDate,
      creationDate: undefined,
      cancellationAllowedUntil: undefined,
      termDuration: undefined,
      billingCycle: undefined,
    })),
    skus,
    users:
      sourceConsumed > 0
        ? c.users
            .filter((u) => u.skuIds.includes(sourceSkuId))
            .slice(hiddenHolders)
            .map((u) => ({ ...u, skuIds: [...u.skuIds] }))
        : undefined,
    pendingOrders: [],
    eligibilities: new Map(),
  };
}

export function liveState(customers: ModelCustomer[], sourceSkuId: string, hiddenHolders: (c: ModelCustomer) => number = () => 0): LiveState {
  return { customers: new Map(customers.map((c) => [c.id, toLive(c, sourceSkuId, hiddenHolders(c))])), failures: new Map(), offers: OFFERS, catalog: new Map() };
}

/** Applies actions as Partner Center would, throwing where the service would refuse. */
export function applyActions(c: ModelCustomer, actions: readonly Action[]): ModelCustomer {
  const next: ModelCustomer = { ...c, subs: c.subs.map((s) => ({ ...s })), users: c.users.map((u) => ({ ...u, skuIds: [...u.skuIds] })) };
  let n = 0;
  const free = (skuId: string) =>
    next.subs.filter((s) => s.skuId === skuId && s.status === "active").reduce((t, s) => t + s.quantity, 0) -
    next.users.filter((u) => u.skuIds.includes(skuId)).length;
  for (const a of actions) {
    if (a.kind === "purchase") next.subs.push({ id: `new-${c.id}-${n++}`, skuId: a.sku.skuId, quantity: a.quantity, status: "active" });
    else if (a.kind === "resize") {
      const s = next.subs.find((x) => x.id === a.subscriptionId);
      if (!s || s.status !== "active" || s.quantity !== a.from) throw new Error(`resize of ${a.subscriptionId} does not match`);
      s.quantity = a.to;
    } else if (a.kind === "reassign") {
      const u = next.users.find((x) => x.id === a.userId);
      if (!u || !u.skuIds.includes(a.remove.skuId)) throw new Error(`user ${a.userId} does not hold ${a.remove.skuPartNumber}`);
      if (a.assign) {
        if (free(a.assign.skuId) < 1) throw new Error(`60012: no free ${a.assign.skuPartNumber} unit for ${u.upn}`);
        u.skuIds.push(a.assign.skuId);
      }
      u.skuIds = u.skuIds.filter((id) => id !== a.remove.skuId);
    } else {
      const s = next.subs.find((x) => x.id === a.subscriptionId);
      if (!s || s.status !== "active") throw new Error(`suspend of ${a.subscriptionId}: not active`);
      if (next.users.some((u) => u.skuIds.includes(s.skuId))) throw new Error(`suspend of ${a.subscriptionId} while in use`);
      s.status = "suspended";
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
    customers: customers.map((c) => ({ target, exclude: [], seats: over.seats ?? "users", decommission: over.suspendSource === false ? "keep" : "auto", purchase: LEGACY_PURCHASE, strategy: "purchase", at, ...c })),
  };
}

import type { SavedPlan } from "./saved-plan.js";

export interface StaleCustomer {
  customerId: string;
  name: string;
  reason: string;
}

/** Customers whose live state no longer matches the fingerprint their actions were computed from. */
export function findStale(saved: SavedPlan, current: ReadonlyMap<string, string>): StaleCustomer[] {
  const stale: StaleCustomer[] = [];
  for (const { plan, fingerprint } of saved.customers) {
    const now = current.get(plan.customerId);
    if (now === (fingerprint ?? undefined)) continue;
    stale.push({
      customerId: plan.customerId,
      name: plan.name,
      reason: now === undefined ? "no longer found" : fingerprint === null ? "was not found when planned" : "live state changed since the plan was saved",
    });
  }
  return stale;
}

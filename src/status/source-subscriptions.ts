import type { MigrationPlan } from "../plan-file/types.js";
import { addDays } from "../reconcile/dates.js";
import type { LiveCustomer, LiveSubscription } from "../reconcile/types.js";
import { DEPROVISION_AFTER_DAYS } from "../reconcile/lifecycle.js";
import type { RetirementMethod, SourceSubscription } from "./types.js";

/** The plan's method for retiring a source subscription: today `suspendSource`, later SPEC §9 `decommission`. */
export function retirementOf(plan: Pick<MigrationPlan, "suspendSource">): RetirementMethod {
  return plan.suspendSource ? "suspend" : "keep";
}

/**
 * The customer's subscriptions of the source SKU with how and when each leaves, active ones
 * first, soonest term end first. Pure: dates of suspensions come from the caller (audit log).
 */
export function sourceSubscriptions(
  sourceSkuId: string,
  lc: LiveCustomer,
  method: RetirementMethod,
  suspensions: ReadonlyMap<string, string> | undefined,
): SourceSubscription[] {
  return lc.subscriptions
    .filter((s) => s.skuId === sourceSkuId)
    .map((s) => describe(s, method, suspensions?.get(s.id.toLowerCase())))
    .sort((a, b) => rank(a) - rank(b) || (a.commitmentEndDate ?? "9999").localeCompare(b.commitmentEndDate ?? "9999"));
}

const rank = (s: SourceSubscription) => (s.status === "active" ? 0 : s.status === "suspended" ? 1 : 2);

function describe(s: LiveSubscription, method: RetirementMethod, suspendedAt: string | undefined): SourceSubscription {
  const base: SourceSubscription = {
    id: s.id,
    status: s.status,
    quantity: s.quantity,
    ...(s.commitmentEndDate ? { commitmentEndDate: s.commitmentEndDate } : {}),
    autoRenew: s.autoRenewEnabled,
  };
  if (s.status === "suspended") {
    if (suspendedAt === undefined) return { ...base, retirement: "suspend" };
    const deprovisionOn = addDays(suspendedAt, DEPROVISION_AFTER_DAYS);
    return { ...base, retirement: "suspend", suspendedAt, deprovisionOn, retirementDate: deprovisionOn };
  }
  if (s.status !== "active") return base;
  // A subscription that does not renew ends with its term; a pending suspension has no date until it is applied.
  const endsWithTerm = method === "no-renew" || (method === "keep" && !s.autoRenewEnabled);
  return { ...base, retirement: method, ...(endsWithTerm && s.commitmentEndDate ? { retirementDate: s.commitmentEndDate } : {}) };
}

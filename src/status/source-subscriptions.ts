import type { DecommissionMethod } from "../plan-file/types.js";
import { addDays } from "../util/dates.js";
import { retirementMethod } from "../reconcile/strategies/retire.js";
import type { LiveCustomer, LiveSubscription } from "../reconcile/types.js";
import { DEPROVISION_AFTER_DAYS } from "../partner-center/lifecycle.js";
import type { KeepReason, RetirementMethod, SourceSubscription } from "./types.js";

/** How the plan retires the customer's source: its method, unless something keeps the source whatever the method. */
export interface Retiring {
  decommission: DecommissionMethod;
  /** Excluded users hold the source, or a transition converts it: kept, whatever the method. */
  keptBecause?: KeepReason;
}

/**
 * The customer's subscriptions of the source SKU with how and when each leaves, active ones
 * first, soonest term end first. Pure: dates of suspensions come from the caller (audit log).
 */
export function sourceSubscriptions(
  sourceSkuId: string,
  lc: LiveCustomer,
  retiring: Retiring,
  now: string,
  suspensions: ReadonlyMap<string, string> | undefined,
): SourceSubscription[] {
  return lc.subscriptions
    .filter((s) => s.skuId === sourceSkuId)
    .map((s) => describe(s, methodFor(retiring, s, now), suspensions?.get(s.id.toLowerCase())))
    .sort((a, b) => rank(a) - rank(b) || (a.commitmentEndDate ?? "9999").localeCompare(b.commitmentEndDate ?? "9999"));
}

function methodFor(r: Retiring, s: LiveSubscription, now: string): { method: RetirementMethod; keptBecause?: KeepReason } {
  if (r.keptBecause) return { method: "keep", keptBecause: r.keptBecause };
  const method = retirementMethod(r.decommission, s, now);
  if (method !== "keep") return { method };
  return { method, keptBecause: r.decommission === "keep" ? "plan" : "cannot-cancel" };
}

const rank = (s: SourceSubscription) => (s.status === "active" ? 0 : s.status === "suspended" ? 1 : 2);

function describe(s: LiveSubscription, how: { method: RetirementMethod; keptBecause?: KeepReason }, suspendedAt: string | undefined): SourceSubscription {
  const { method } = how;
  const base: SourceSubscription = {
    id: s.id,
    status: s.status,
    quantity: s.quantity,
    ...(s.commitmentEndDate ? { commitmentEndDate: s.commitmentEndDate } : {}),
    autoRenew: s.autoRenewEnabled,
    ...(s.cancellationAllowedUntil ? { cancellationAllowedUntil: s.cancellationAllowedUntil } : {}),
    ...(s.scheduledNextTerm && s.status === "active" ? { convertsTo: s.scheduledNextTerm.catalogItemId } : {}),
  };
  if (s.status === "suspended") {
    if (suspendedAt === undefined) return { ...base, retirement: "suspend" };
    const deprovisionOn = addDays(suspendedAt, DEPROVISION_AFTER_DAYS);
    return { ...base, retirement: "suspend", suspendedAt, deprovisionOn, retirementDate: deprovisionOn };
  }
  if (s.status !== "active") return base;
  // A subscription that does not renew ends with its term; a cancellation must happen before its
  // window closes; a pending suspension has no date until it is applied.
  const endsWithTerm = method === "no-renew" || (method === "keep" && !s.autoRenewEnabled);
  const date = method === "cancel" ? s.cancellationAllowedUntil : endsWithTerm ? s.commitmentEndDate : undefined;
  return { ...base, retirement: method, ...(how.keptBecause ? { keptBecause: how.keptBecause } : {}), ...(date ? { retirementDate: date } : {}) };
}

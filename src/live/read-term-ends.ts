import type { AllowedTermEnd, LiveCustomer } from "../model/live-state.js";
import type { PartnerCenterApi } from "../partner-center/api.js";
import type { CustomTermEndDate } from "../partner-center/types.js";
import type { PlanCustomer } from "../plan-file/types.js";
import type { Limit } from "../util/limit.js";

/**
 * The end dates Partner Center allows a new-commerce purchase's first term, for each term the
 * customer's plan entries co-term a purchase with (`purchase.termEnd` other than none, not forced
 * legacy) and may buy (no target subscription yet): one read per term
 * (`GET …/subscriptions/customTermEndDates?term_duration=`,
 * https://learn.microsoft.com/partner-center/developer/custom-term-end-dates). Nothing is read otherwise.
 */
export async function readTermEnds(
  api: PartnerCenterApi,
  limit: Limit,
  customerId: string,
  entries: readonly PlanCustomer[],
  mayBuy: (pc: PlanCustomer) => boolean,
): Promise<Pick<LiveCustomer, "termEnds">> {
  const terms = new Set(
    entries.filter((pc) => pc.purchase.termEnd !== undefined && pc.purchase.commerce !== "legacy" && mayBuy(pc)).map((pc) => pc.purchase.term),
  );
  if (terms.size === 0) return {};
  const read = await Promise.all(
    [...terms].sort().map(async (term) => [term, (await limit(() => api.listCustomTermEndDates(customerId, term))).flatMap(toAllowed)] as const),
  );
  return { termEnds: new Map(read) };
}

/** The reference's two kinds, leniently (its examples are camelCase); an unknown kind is left out, never guessed at. */
function toAllowed(d: CustomTermEndDate): AllowedTermEnd[] {
  const kind = d.allowedCustomTermEndDateType.trim().toLowerCase();
  const aligned = kind === "calendarmonthaligned" ? "calendar-month" : kind === "subscriptionaligned" ? "subscription" : undefined;
  if (!aligned) return [];
  return [{ date: d.allowedCustomTermEndDate, aligned, subscriptionIds: (d.cotermSubscriptionIds ?? []).map((id) => id.toLowerCase()) }];
}

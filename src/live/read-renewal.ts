import type { ScheduleJournal } from "../journal/schedule-journal.js";
import type { LiveCustomer, LiveSubscription, RenewalOption } from "../model/live-state.js";
import type { PartnerCenterApi } from "../partner-center/api.js";
import { inert } from "../util/inert-text.js";
import type { Limit } from "../util/limit.js";

/**
 * What `strategy: at-renewal` decides on, read only for customers that use it: for each active
 * new-commerce source subscription, the targets Microsoft allows it to change into at its renewal
 * (create-scheduled-changes, step 2: "Get transition eligibilities for the scheduled eligibility
 * type", https://learn.microsoft.com/partner-center/developer/create-scheduled-changes), and the
 * changes pcplan scheduled before (its schedule journal).
 */
export async function readRenewalFacts(
  api: PartnerCenterApi,
  limit: Limit,
  customerId: string,
  sources: readonly LiveSubscription[],
  journal: ScheduleJournal | undefined,
): Promise<Pick<LiveCustomer, "renewalEligibilities" | "schedules">> {
  const [options, schedules] = await Promise.all([
    Promise.all(
      sources.map(async (s) => {
        const list = await limit(() => api.listTransitionEligibilities(customerId, s.id, "scheduled"));
        return [s.id, list.map(toOption)] as const;
      }),
    ),
    journal?.entries(customerId) ?? Promise.resolve([]),
  ]);
  return { renewalEligibilities: new Map(options), schedules };
}

function toOption(e: { catalogItemId: string; eligibilities: { isEligible: boolean; errors: { description: string }[] }[] }): RenewalOption {
  const eligible = e.eligibilities.some((x) => x.isEligible);
  return {
    catalogItemId: e.catalogItemId,
    eligible,
    errors: eligible ? [] : e.eligibilities.flatMap((x) => x.errors.map((err) => inert(err.description))),
  };
}

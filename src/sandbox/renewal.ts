/**
 * A new-commerce subscription renewing with the change scheduled for it
 * (create-scheduled-changes, https://learn.microsoft.com/partner-center/developer/create-scheduled-changes):
 * "Renewals are processed after the last day of the term, starting at 12:00 AM UTC the next day"
 * — here exactly then. The subscription keeps its id and becomes the scheduled product, seats,
 * term and billing, with a new term and a new cancellation window; the users' licences stay as
 * they were (moving them is the partner's work). Subscriptions without a scheduled change are not
 * renewed by the sandbox: their terms roll on as before.
 */
import { CANCELLATION_WINDOW, addDuration } from "./durations.js";
import { isNce } from "./state.js";
import type { NewStateChange, WorldCustomer, WorldSubscription } from "./types.js";

const DAY_MS = 86_400_000;

/** When the subscription renews into its scheduled change (ms), or undefined when it does not. */
export function renewalDueAt(s: WorldSubscription): number | undefined {
  if (!isNce(s) || s.status !== "active" || !s.autoRenewEnabled || !s.scheduledNextTermInstructions) return undefined;
  const lastDay = Date.parse(s.commitmentEndDate.slice(0, 10));
  return Number.isNaN(lastDay) ? undefined : lastDay + DAY_MS;
}

export function renewWithScheduledChange(c: WorldCustomer, s: WorldSubscription, renewedAtMs: number): NewStateChange {
  const i = s.scheduledNextTermInstructions!;
  const renewedAt = new Date(renewedAtMs).toISOString();
  const term = i.product.termDuration.toUpperCase();
  s.offerId = `${i.product.productId}:${i.product.skuId}:${i.product.availabilityId}`;
  s.quantity = i.quantity;
  s.termDuration = term;
  s.billingCycle = i.product.billingCycle.toLowerCase();
  s.commitmentEndDate = addDuration(s.commitmentEndDate, term);
  s.cancellationAllowedUntilDate = addDuration(renewedAt, CANCELLATION_WINDOW);
  delete s.scheduledNextTermInstructions;
  delete s.transitionEligibilities;
  delete s.scheduledEligibilities;
  s.version++;
  return { kind: "renewal", customerId: c.id, subscriptionId: s.id, offerId: s.offerId, quantity: s.quantity, commitmentEndDate: s.commitmentEndDate };
}

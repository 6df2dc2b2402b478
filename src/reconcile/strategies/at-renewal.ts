import type { LiveSubscription, Note, ScheduleAction } from "../types.js";
import type { ScheduleRecord } from "../../model/live-state.js";
import { targetCatalogItem } from "./transition.js";
import type { CustomerContext } from "./types.js";

/** What the diff knows that `at-renewal` decides on. */
export interface RenewalFacts {
  activeSource: readonly LiveSubscription[];
  activeTarget: readonly LiveSubscription[];
  excludedHolders: number;
  /** Users holding the source (for the preview). */
  holders: number;
  /** Target seats the customer needs once everyone moved (as a purchase would buy). */
  requiredSeats: number;
}

/**
 * `strategy: at-renewal`: where the source is one new-commerce subscription that renews and
 * Microsoft allows it to change into the target at that renewal, the change is scheduled
 * (`schedule`) instead of buying now, and the customer waits for the date (`scheduled`). After
 * the renewal the subscription is the target: the usual diff moves the licences, and buys
 * nothing (its seats are there). Otherwise the reason, and the customer is bought for now.
 * create-scheduled-changes: https://learn.microsoft.com/partner-center/developer/create-scheduled-changes
 */
export type AtRenewal =
  /** Nothing more to plan: the schedule action, or the note that the customer waits for its renewal. */
  | { wait: true; actions: ScheduleAction[]; notes: Note[] }
  /** Go on with the usual diff (after a conversion, or instead of one), with these notes. */
  | { wait: false; notes: Note[] };

export function planAtRenewal(ctx: CustomerContext, f: RenewalFacts): AtRenewal {
  const converted = convertedNote(ctx, f);
  if (converted) return { wait: false, notes: [converted] };
  const source = f.activeSource[0];
  const reason = whyNot(ctx, f);
  if (reason !== undefined || !source) {
    const message = `no change at renewal, buying now instead: ${reason ?? "no active source subscription"}`;
    return { wait: false, notes: [{ level: "info", code: "at-renewal-fallback", message }] };
  }
  const option = renewalOption(ctx, source);
  if ("fallback" in option)
    return { wait: false, notes: [{ level: "info", code: "at-renewal-fallback", message: `no change at renewal, buying now instead: ${option.fallback}` }] };
  const quantity = Math.max(1, f.requiredSeats);
  const have = source.scheduledNextTerm;
  const want = option.catalogItemId.toUpperCase();
  if (have && have.catalogItemId === want && have.quantity >= quantity) return { wait: true, actions: [], notes: [scheduledNote(ctx, source, f, ctx.now)] };
  const dropped = droppedNote(ctx, source);
  const action: ScheduleAction = {
    kind: "schedule",
    subscriptionId: source.id,
    from: ctx.plan.source,
    to: ctx.customer.target,
    toCatalogItemId: option.catalogItemId,
    quantity,
    term: ctx.customer.purchase.term,
    billing: ctx.customer.purchase.billing,
    renewsOn: source.commitmentEndDate ?? "",
    users: f.holders,
    replaces: have && have.catalogItemId !== want ? have.catalogItemId : null,
  };
  return { wait: true, actions: [action], notes: dropped ? [dropped] : [] };
}

/** Why the source cannot simply be scheduled to renew into the target, or undefined. */
function whyNot(ctx: CustomerContext, f: RenewalFacts): string | undefined {
  const { customer } = ctx;
  const [source] = f.activeSource;
  if (!source) return "no active source subscription";
  if (f.activeSource.some((s) => s.commerce !== "nce")) return "the source is a legacy subscription (only new-commerce subscriptions change at renewal)";
  if (f.activeSource.length > 1) return `${f.activeSource.length} source subscriptions (each would renew on its own date)`;
  if (f.excludedHolders > 0) return "excluded users hold the source (the whole subscription changes at renewal)";
  if (f.activeTarget.length > 0) return `the customer already has a ${customer.target.skuPartNumber} subscription`;
  if (source.cancellationAllowedUntil !== undefined && Date.parse(ctx.now) < Date.parse(source.cancellationAllowedUntil)) {
    return `subscription ${source.id} may still be cancelled with a prorated refund (until ${day(source.cancellationAllowedUntil)}): buying now and cancelling it costs less than waiting for its renewal`;
  }
  if (!source.autoRenewEnabled) return `subscription ${source.id}'s auto-renew is off: it ends ${day(source.commitmentEndDate)} instead of renewing`;
  if (source.commitmentEndDate === undefined) return `subscription ${source.id} has no term end date`;
  return undefined;
}

/** The scheduled eligibility that names the target's product:sku, or why there is none. */
function renewalOption(ctx: CustomerContext, source: LiveSubscription): { catalogItemId: string } | { fallback: string } {
  const item = targetCatalogItem(ctx);
  if (!item) return { fallback: `no new-commerce product is known for ${ctx.customer.target.skuPartNumber}` };
  const option = ctx.live.renewalEligibilities?.get(source.id)?.find((o) => o.catalogItemId.toUpperCase().startsWith(`${item}:`));
  if (!option) return { fallback: `Microsoft offers no change of subscription ${source.id} to ${item} at renewal` };
  if (!option.eligible)
    return { fallback: `subscription ${source.id} may not change to ${item} at renewal${option.errors.length > 0 ? `: ${option.errors.join("; ")}` : ""}` };
  return { catalogItemId: option.catalogItemId };
}

function scheduledNote(ctx: CustomerContext, s: LiveSubscription, f: RenewalFacts, now: string): Note {
  const end = s.commitmentEndDate ?? "";
  const users = `${f.holders} user${f.holders === 1 ? "" : "s"}`;
  const due = Date.parse(now) > Date.parse(end);
  const when = due
    ? `its renewal (term ended ${day(end)}) is being processed: Partner Center renews from 00:00 UTC the next day, within 24 hours`
    : `subscription ${s.id} renews on ${day(end)} as ${ctx.customer.target.skuPartNumber} (${s.scheduledNextTerm?.quantity ?? s.quantity} seats)`;
  return { level: "info", code: "scheduled", message: `scheduled: ${when}; the ${users} move after that, nothing is bought` };
}

/**
 * pcplan scheduled a change for this subscription (its journal) that the subscription no longer
 * carries: a mid-term change deleted it, or the subscription renewed without it.
 */
function droppedNote(ctx: CustomerContext, s: LiveSubscription): Note | undefined {
  const record = lastRecord(ctx.live.schedules, s.id);
  if (!record || s.scheduledNextTerm) return undefined;
  const renewedWithout = s.commitmentEndDate !== undefined && Date.parse(s.commitmentEndDate) > Date.parse(record.renewsOn);
  const what = `the change to ${record.catalogItemId} pcplan scheduled on ${day(record.time)} for ${day(record.renewsOn)}`;
  const message = renewedWithout
    ? `subscription ${s.id} renewed on ${day(record.renewsOn)} as ${ctx.plan.source.skuPartNumber}: ${what} was gone by then (a mid-term change deletes scheduled changes); it is scheduled for the next renewal`
    : `${what} is gone: a mid-term change before the renewal deletes scheduled changes; it is scheduled again`;
  return { level: "warning", code: "schedule-dropped", message };
}

/** After the renewal the source subscription is the target: say so where pcplan scheduled it. */
function convertedNote(ctx: CustomerContext, f: RenewalFacts): Note | undefined {
  if (f.activeSource.length > 0) return undefined;
  const converted = f.activeTarget.find((s) => lastRecord(ctx.live.schedules, s.id));
  if (!converted) return undefined;
  const on = lastRecord(ctx.live.schedules, converted.id)?.renewsOn;
  return {
    level: "info",
    code: "converted-at-renewal",
    message: `converted at renewal: subscription ${converted.id} renewed on ${day(on)} as ${ctx.customer.target.skuPartNumber} (${converted.quantity} seats); the licences that still need it move now, nothing is bought`,
  };
}

function lastRecord(records: readonly ScheduleRecord[] | undefined, subscriptionId: string): ScheduleRecord | undefined {
  return records?.findLast((r) => r.subscriptionId.toLowerCase() === subscriptionId);
}

const day = (iso: string | undefined) => iso?.slice(0, 10) ?? "its term end";

import { constant, count, nullable, objectOf, text } from "../util/json-schema.js";
import { conversionJson, conversionShape, type Conversion } from "./shapes.js";
import type { ActionKind } from "./types.js";

/**
 * `strategy: at-renewal`: schedule the new-commerce source subscription to renew into the target
 * (its `scheduledNextTermInstructions`, create-scheduled-changes,
 * https://learn.microsoft.com/partner-center/developer/create-scheduled-changes). Nothing is
 * bought now and nobody's licence changes: on the renewal the subscription becomes the target,
 * and the next `plan` moves the users' licences onto it.
 */
export interface ScheduleAction extends Conversion {
  kind: "schedule";
  /** The source's term end: the renewal happens the day after (processed from 00:00 UTC). */
  renewsOn: string;
  /** Users holding the source, whose licences move after the renewal (for the preview). */
  users: number;
  /** The catalog item of a different change already scheduled, which this one replaces. */
  replaces: string | null;
}

export const scheduleKind: ActionKind<ScheduleAction> = {
  kind: "schedule",
  step: "migrate",
  marker: "~",
  noun: { one: "change at renewal", many: "changes at renewal" },
  permission: "commerce",
  liveFields: ["id", "skuId", "status", "commerce", "autoRenewEnabled", "commitmentEndDate", "scheduledNextTerm"],
  describe: (a) =>
    `schedule ${a.from.skuPartNumber} subscription ${a.subscriptionId} to renew on ${a.renewsOn.slice(0, 10)} as ${a.to.skuPartNumber} (${a.toCatalogItemId}, ${a.quantity} seats, ${a.term} billed ${a.billing})${a.replaces ? `, replacing the change to ${a.replaces}` : ""}; nothing is bought now, the ${a.users} user${a.users === 1 ? "" : "s"} move after that date`,
  toJson: (a) => ({
    kind: a.kind,
    ...conversionJson(a),
    renewsOn: a.renewsOn,
    users: a.users,
    replaces: a.replaces,
  }),
  shape: objectOf<ScheduleAction>({
    kind: constant("schedule"),
    ...conversionShape,
    renewsOn: text,
    users: count,
    replaces: nullable(text),
  }),
  subject: (a) => a.subscriptionId,
  applyToLive: (lc, a) => ({
    ...lc,
    subscriptions: lc.subscriptions.map((s) =>
      s.id === a.subscriptionId
        ? { ...s, scheduledNextTerm: { catalogItemId: a.toCatalogItemId.toUpperCase(), quantity: a.quantity, termDuration: a.term, billingCycle: a.billing } }
        : s,
    ),
  }),
};

import type { SkuRef } from "../plan-file/types.js";
import { addDays } from "../util/dates.js";
import { DEPROVISION_AFTER_DAYS } from "../partner-center/lifecycle.js";
import { constant, count, lowercaseGuid, nullable, objectOf, text } from "../util/json-schema.js";
import { skuRef } from "./shapes.js";
import type { ActionKind } from "./types.js";

/** Retire a legacy source subscription nobody holds any more; Microsoft deprovisions it 120 days later. */
export interface SuspendAction {
  kind: "suspend";
  subscriptionId: string;
  sku: SkuRef;
  quantity: number;
  commitmentEndDate: string | null;
}

export const suspendKind: ActionKind<SuspendAction> = {
  kind: "suspend",
  step: "retire",
  marker: "-",
  noun: { one: "suspension", many: "suspensions" },
  alwaysInSummary: true,
  permission: "commerce",
  liveFields: ["id", "skuId", "status", "commerce"],
  describe: (a, { now }) =>
    `suspend ${a.sku.skuPartNumber} subscription ${a.subscriptionId} (${a.quantity} seats; deprovisioned ${DEPROVISION_AFTER_DAYS} days after suspension, on ${addDays(now, DEPROVISION_AFTER_DAYS)} if suspended today)`,
  toJson: (a) => ({
    kind: a.kind,
    subscriptionId: a.subscriptionId,
    sku: a.sku.skuPartNumber,
    skuId: a.sku.skuId,
    quantity: a.quantity,
    commitmentEndDate: a.commitmentEndDate,
  }),
  shape: objectOf<SuspendAction>({ kind: constant("suspend"), subscriptionId: lowercaseGuid, sku: skuRef, quantity: count, commitmentEndDate: nullable(text) }),
  subject: (a) => a.subscriptionId,
  applyToLive: (lc, a) => ({ ...lc, subscriptions: lc.subscriptions.map((s) => (s.id === a.subscriptionId ? { ...s, status: "suspended" } : s)) }),
};

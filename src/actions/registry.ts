/**
 * The action registry: every kind of action pcplan can plan and apply, in one list. Everything
 * that needs "all kinds" (step order, summaries, markers, JSON, saved-plan checks, fingerprints,
 * the audit log, status's pending counts, the effects registry of src/apply/effects/) derives it
 * from here. A new kind is one module in src/actions/ added below, and its effect.
 */
import { awaitOrderKind, type AwaitOrderAction } from "./await-order.js";
import { cancelKind, type CancelAction } from "./cancel.js";
import { groupLicenseKind, type GroupLicenseAction } from "./group-license.js";
import { noRenewKind, type NoRenewAction } from "./no-renew.js";
import { purchaseKind, type PurchaseAction } from "./purchase.js";
import { reassignKind, type ReassignAction } from "./reassign.js";
import { resizeKind, type ResizeAction } from "./resize.js";
import { scheduleKind, type ScheduleAction } from "./schedule.js";
import { suspendKind, type SuspendAction } from "./suspend.js";
import { transitionKind, type TransitionAction } from "./transition.js";
import { taggedUnion, type Schema } from "../util/json-schema.js";
import { plural } from "../util/plural.js";
import { STEPS, type ActionKind, type Step } from "./types.js";

export type {
  AwaitOrderAction,
  CancelAction,
  GroupLicenseAction,
  NoRenewAction,
  PurchaseAction,
  ReassignAction,
  ResizeAction,
  ScheduleAction,
  SuspendAction,
  TransitionAction,
};

export type Action =
  | AwaitOrderAction
  | PurchaseAction
  | ResizeAction
  | GroupLicenseAction
  | ReassignAction
  | SuspendAction
  | CancelAction
  | NoRenewAction
  | TransitionAction
  | ScheduleAction;
export type ActionKindName = Action["kind"];

/** Each action type with its module; the mapped type makes a missing or mistyped entry a type error. */
const KINDS: { [K in ActionKindName]: ActionKind<Extract<Action, { kind: K }>> } = {
  await: awaitOrderKind,
  purchase: purchaseKind,
  resize: resizeKind,
  "group-license": groupLicenseKind,
  reassign: reassignKind,
  suspend: suspendKind,
  cancel: cancelKind,
  "no-renew": noRenewKind,
  transition: transitionKind,
  schedule: scheduleKind,
};

/** Kinds in preview order: by step, then as listed above. */
export const ACTION_KINDS: readonly ActionKindName[] = STEPS.flatMap((step) => (Object.keys(KINDS) as ActionKindName[]).filter((k) => KINDS[k].step === step));

// The registry hands out kinds erased to `Action`: callers pass the action the kind belongs to.
type AnyKind = ActionKind<Action>;

export function kindOf(a: Action): AnyKind;
export function kindOf(name: string): AnyKind | undefined;
export function kindOf(x: Action | string): AnyKind | undefined {
  const name = typeof x === "string" ? x : x.kind;
  return Object.hasOwn(KINDS, name) ? (KINDS[name as ActionKindName] as AnyKind) : undefined;
}

/** Any action, told apart by its `kind`: each kind's own shape (what a saved plan is checked against). */
export const actionSchema: Schema<Action> = taggedUnion<Action, "kind">(
  "kind",
  Object.fromEntries(ACTION_KINDS.map((k) => [k, KINDS[k].shape])) as { [K in ActionKindName]: Schema<Extract<Action, { kind: K }>> },
);

export function stepOf(a: Action): Step {
  return kindOf(a).step;
}

/** Actions per kind, every kind named (0 when none): summaries, status's pending counts, the reports. */
export type KindCounts = Record<ActionKindName, number>;

/** A count of 0 per kind, to fill. */
export function zeroCounts(): KindCounts {
  return Object.fromEntries(ACTION_KINDS.map((k) => [k, 0])) as KindCounts;
}

export function countKinds(actions: readonly Action[]): KindCounts {
  const counts = zeroCounts();
  for (const a of actions) counts[a.kind]++;
  return counts;
}

export function totalOf(counts: Readonly<KindCounts>): number {
  return ACTION_KINDS.reduce((n, k) => n + counts[k], 0);
}

/**
 * "1 purchase, 12 reassignments, 1 suspension": each kind in its own words, in preview order,
 * those with a count and those `always` names even at 0; "" when there are none.
 */
export function describeCounts(counts: Readonly<KindCounts>, always: readonly ActionKindName[] = []): string {
  return ACTION_KINDS.filter((k) => counts[k] > 0 || always.includes(k))
    .map((k) => plural(counts[k], KINDS[k].noun.one, KINDS[k].noun.many))
    .join(", ");
}

/**
 * The effects registry: how each kind of action in the registry (src/actions/registry.ts) is
 * done. The mapped type makes a described kind without its effect, or a mistyped one, a type
 * error; the executor finds a kind's effect here and nowhere else.
 */
import type { Action, ActionKindName } from "../../actions/registry.js";
import { awaitOrderEffect } from "./await-order.js";
import { cancelEffect } from "./cancel.js";
import { groupLicenseEffect } from "./group-license.js";
import { noRenewEffect } from "./no-renew.js";
import { purchaseEffect } from "./purchase.js";
import { reassignEffect } from "./reassign.js";
import { resizeEffect } from "./resize.js";
import { scheduleEffect } from "./schedule.js";
import { suspendEffect } from "./suspend.js";
import { transitionEffect } from "./transition.js";
import type { Effect } from "./types.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- what a kind's pre-check hands its write is its own business
const EFFECTS: { [K in ActionKindName]: Effect<Extract<Action, { kind: K }>, any> } = {
  await: awaitOrderEffect,
  purchase: purchaseEffect,
  resize: resizeEffect,
  "group-license": groupLicenseEffect,
  reassign: reassignEffect,
  suspend: suspendEffect,
  cancel: cancelEffect,
  "no-renew": noRenewEffect,
  transition: transitionEffect,
  schedule: scheduleEffect,
};

/** An effect erased to `Action`: callers pass the action the effect belongs to. */
export type AnyEffect = Effect<Action, unknown>;

export function effectOf(a: Action): AnyEffect {
  return EFFECTS[a.kind] as AnyEffect;
}

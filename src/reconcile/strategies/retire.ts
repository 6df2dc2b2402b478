import type { DecommissionMethod } from "../../plan-file/types.js";
import type { LiveSubscription } from "../types.js";
import type { Outcome, Retirer } from "./types.js";
import type { Action } from "../types.js";

const date = (iso: string | undefined) => iso?.slice(0, 10) ?? "the end of its term";

const suspend: Retirer = {
  retire(s, { plan }) {
    return { action: { kind: "suspend", subscriptionId: s.id, sku: plan.source, quantity: s.quantity, commitmentEndDate: s.commitmentEndDate ?? null } };
  },
};

/** Suspending a new-commerce subscription stops the service but not the bill: said next to the action. */
const forcedSuspend: Retirer = {
  retire(s, ctx) {
    const outcome = suspend.retire(s, ctx);
    if (s.commerce !== "nce" || !("action" in outcome)) return outcome;
    return {
      ...outcome,
      note: {
        level: "warning",
        code: "retirement",
        message: `suspending new-commerce subscription ${s.id} stops the service now but the bill runs to ${date(s.commitmentEndDate)}`,
      },
    };
  },
};

const windowOpen = (s: LiveSubscription, now: string) => s.cancellationAllowedUntil !== undefined && Date.parse(now) < Date.parse(s.cancellationAllowedUntil);

const cancel: Retirer = {
  retire(s, { plan, now }) {
    if (s.commerce === "nce" && windowOpen(s, now)) {
      return {
        action: { kind: "cancel", subscriptionId: s.id, sku: plan.source, quantity: s.quantity, cancellationAllowedUntil: s.cancellationAllowedUntil! },
      };
    }
    const why =
      s.commerce !== "nce"
        ? `legacy subscription ${s.id} cannot be cancelled (only suspended): use decommission: suspend or auto`
        : `subscription ${s.id} can no longer be cancelled: its cancellation window closed ${date(s.cancellationAllowedUntil)}; nothing is written (decommission: no-renew or auto turns its renewal off instead)`;
    return { note: { level: "warning", code: "retirement", message: `decommission: cancel is impossible: ${why}` } };
  },
};

const noRenew: Retirer = {
  retire(s, { plan }) {
    if (!s.autoRenewEnabled) return { none: true };
    return { action: { kind: "no-renew", subscriptionId: s.id, sku: plan.source, quantity: s.quantity, commitmentEndDate: s.commitmentEndDate ?? null } };
  },
};

/** A legacy source is suspended; a new-commerce one cancelled inside its window, else not renewed — never suspended. */
const auto: Retirer = {
  retire(s, ctx): Outcome<Action> {
    if (s.commerce !== "nce") return suspend.retire(s, ctx);
    return windowOpen(s, ctx.now) ? cancel.retire(s, ctx) : noRenew.retire(s, ctx);
  },
};

const keep: Retirer = { retire: () => ({ none: true }) };

/** The retirement strategy for a decommission method. */
export function retirerFor(method: DecommissionMethod): Retirer {
  return { auto, suspend: forcedSuspend, cancel, "no-renew": noRenew, keep }[method];
}

/**
 * What `decommission` comes to for one source subscription today: the method the diff uses (or
 * would use once nobody holds it) — `auto` resolved by commerce and the cancellation window.
 * A forced cancel after the window is `keep`: nothing is written for it.
 */
export function retirementMethod(method: DecommissionMethod, s: LiveSubscription, now: string): "suspend" | "cancel" | "no-renew" | "keep" {
  switch (method) {
    case "auto":
      return s.commerce !== "nce" ? "suspend" : windowOpen(s, now) ? "cancel" : "no-renew";
    case "cancel":
      return s.commerce === "nce" && windowOpen(s, now) ? "cancel" : "keep";
    default:
      return method;
  }
}

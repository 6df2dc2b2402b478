/**
 * What happens on the sandbox clock, not in a request: orders provision (or are cancelled), transitions complete,
 * groups whose licences changed have their members processed,
 * suspended subscriptions are deprovisioned after 120 days. Lazy: run before every request and on
 * `setClock`; returns the changes so the server records and persists them.
 */
import { processGroup } from "./groups.js";
import { cancelOrder, provisionOrder } from "./provision.js";
import { DEPROVISION_AFTER_DAYS, type WorldState } from "./state.js";
import { completeTransition } from "./transition-run.js";
import { renewalDueAt, renewWithScheduledChange } from "./renewal.js";
import type { NewStateChange } from "./types.js";

const DAY_MS = 86_400_000;

export function advanceWorld(state: WorldState, nowMs: number): NewStateChange[] {
  const out: NewStateChange[] = [];
  const nowIso = new Date(nowMs).toISOString();
  for (const c of state.world.customers) {
    for (const o of c.orders) {
      if (o.status !== "pending") continue;
      if (o.cancelAt !== undefined && Date.parse(o.cancelAt) <= nowMs) {
        cancelOrder(o);
        out.push({ kind: "cancelled", customerId: c.id, orderId: o.id });
      } else if (o.cancelAt === undefined && o.fulfillAt !== undefined && Date.parse(o.fulfillAt) <= nowMs) {
        out.push({ kind: "provisioned", customerId: c.id, orderId: o.id, subscriptionIds: provisionOrder(state, c, o) });
      }
    }
    for (const t of c.transitions) {
      if (t.state === "inProgress" && Date.parse(t.completeAt) <= nowMs) out.push(completeTransition(state, c, t, nowIso));
    }
    for (const g of c.groups ?? []) if (g.processingDueAt !== undefined && Date.parse(g.processingDueAt) <= nowMs) out.push(...processGroup(state, c, g));
    for (const s of c.subscriptions) {
      const renewsAt = renewalDueAt(s);
      if (renewsAt !== undefined && renewsAt <= nowMs) out.push(renewWithScheduledChange(c, s, renewsAt));
      if (s.status !== "suspended" || s.suspendedAt === undefined) continue;
      if (Date.parse(s.suspendedAt) + DEPROVISION_AFTER_DAYS * DAY_MS > nowMs) continue;
      s.status = "deleted";
      s.version++;
      out.push({ kind: "deprovision", customerId: c.id, subscriptionId: s.id });
    }
  }
  return out;
}

/**
 * When `advanceWorld` next has something to do (ms), given the world as it is: the earliest
 * pending order's fulfilment, transition's completion or suspension's deprovisioning.
 * `Infinity` when nothing is pending. Lets the server skip the scan on every request.
 */
export function nextDueAt(state: WorldState): number {
  let next = Infinity;
  for (const c of state.world.customers) {
    for (const o of c.orders) {
      const at = o.cancelAt ?? o.fulfillAt;
      if (o.status === "pending" && at !== undefined) next = Math.min(next, Date.parse(at));
    }
    for (const t of c.transitions) if (t.state === "inProgress") next = Math.min(next, Date.parse(t.completeAt));
    for (const g of c.groups ?? []) if (g.processingDueAt !== undefined) next = Math.min(next, Date.parse(g.processingDueAt));
    for (const s of c.subscriptions) {
      if (s.status === "suspended" && s.suspendedAt !== undefined) next = Math.min(next, Date.parse(s.suspendedAt) + DEPROVISION_AFTER_DAYS * DAY_MS);
      next = Math.min(next, renewalDueAt(s) ?? Infinity);
    }
  }
  return next;
}

import { ACTION_KINDS, kindOf } from "../actions/registry.js";
import { sha256 } from "./commerce-basis.js";
import type { LiveCustomer, LiveSubscription } from "./types.js";

/** Every subscription field some action kind's decision rests on (src/actions/*: liveFields). */
let subscriptionFields: readonly (keyof LiveSubscription)[] | undefined;
const fieldsOf = () => (subscriptionFields ??= [...new Set(ACTION_KINDS.flatMap((k) => kindOf(k)?.liveFields ?? []))].sort());

/**
 * A stable digest of the live state a customer's actions were computed from. Saved plans
 * carry it; `apply PLANFILE` re-reads the customer and refuses it when the digest differs.
 * It covers the subscription fields the action kinds declare, the subscribed-SKU counts, the
 * source holders, the groups holding it and the orders not yet settled, in a canonical order:
 * an order placed (or settled) since the plan was saved makes the customer stale, said as such,
 * rather than a saved plan whose actions no longer follow from the state.
 */
export function fingerprintCustomer(c: LiveCustomer): string {
  return sha256({
    id: c.id,
    subscriptions: [...c.subscriptions].sort((a, b) => a.id.localeCompare(b.id)).map((s) => fieldsOf().map((f) => s[f] ?? null)),
    skus: [...c.skus].sort((a, b) => a.skuId.localeCompare(b.skuId)).map((k) => [k.skuId, k.consumedUnits, k.totalUnits]),
    users: c.users === undefined ? null : [...c.users].sort((a, b) => a.id.localeCompare(b.id)).map((u) => [u.id, u.upn.toLowerCase(), [...u.skuIds].sort()]),
    groups: c.groups === undefined ? null : [...c.groups].sort((a, b) => a.id.localeCompare(b.id)),
    orders: [...c.pendingOrders].map((o) => o.id.toLowerCase()).sort(),
  });
}

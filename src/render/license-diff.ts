import { createTwoFilesPatch } from "diff";
import { kindOf } from "../actions/registry.js";
import type { Action, CustomerPlan, LiveCustomer } from "../reconcile/types.js";
import { shown } from "./describe.js";

/**
 * `--diff`: each changed customer's license state before → after as a unified diff.
 * "After" is the before state with the actions applied, so the diff is what apply will do.
 */
export function renderLicenseDiff(customers: readonly CustomerPlan[], live: ReadonlyMap<string, LiveCustomer>): string {
  const out: string[] = [];
  for (const c of shown(customers)) {
    const lc = live.get(c.customerId);
    if (!lc || c.actions.length === 0) continue;
    const before = stateLines(lc);
    const after = stateLines(applyToLive(lc, c.actions));
    out.push(createTwoFilesPatch(`${c.name} (before)`, `${c.name} (after)`, before, after, "", "", { context: 2 }));
  }
  return out.join("\n");
}

function stateLines(lc: LiveCustomer): string {
  const name = new Map(lc.skus.map((k) => [k.skuId, k.skuPartNumber]));
  const sku = (id: string | undefined) => (id === undefined ? "unknown" : (name.get(id) ?? id));
  const subs = [...lc.subscriptions]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((s) => `subscription ${s.id} ${sku(s.skuId)} ${s.status} ${s.quantity} seats`);
  const users = [...(lc.users ?? [])]
    .sort((a, b) => a.upn.localeCompare(b.upn))
    .map((u) => `${u.upn}: ${u.skuIds.map(sku).sort().join(", ") || "(no licenses)"}`);
  return [...subs, ...users].join("\n") + "\n";
}

/** The live customer as it will look after `actions` (each kind's model of its effect). */
export function applyToLive(lc: LiveCustomer, actions: readonly Action[]): LiveCustomer {
  return actions.reduce((state, a) => kindOf(a).applyToLive(state, a), lc);
}

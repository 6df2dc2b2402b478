import { nceProductFor } from "../../catalog/nce-products.js";
import { catalogKey } from "../../model/catalog-key.js";
import type { LiveSubscription, TransitionAction } from "../types.js";
import type { CustomerContext } from "./types.js";

/**
 * `strategy: transition`: one transition with licence transfer where Microsoft allows it
 * (the eligibilities read for the source subscription), or the reason it falls back to purchase.
 */
export function planTransition(
  ctx: CustomerContext,
  activeSource: readonly LiveSubscription[],
  facts: { excludedHolders: number; holders: number; targetSubscriptions: number },
): { action: TransitionAction } | { fallback: string } {
  const { plan, customer } = ctx;
  if (activeSource.length === 0) return { fallback: "no active source subscription to transition" };
  if (activeSource.some((s) => s.commerce !== "nce")) return { fallback: "the source is a legacy subscription (only new-commerce subscriptions transition)" };
  if (activeSource.length > 1) return { fallback: `${activeSource.length} source subscriptions (a transition converts one)` };
  if (facts.excludedHolders > 0) return { fallback: "excluded users hold the source (a transition moves every user)" };
  if (facts.targetSubscriptions > 0) return { fallback: `the customer already has a ${customer.target.skuPartNumber} subscription` };
  const source = activeSource[0];
  const item = targetCatalogItem(ctx);
  if (!item) return { fallback: `no new-commerce product is known for ${customer.target.skuPartNumber}` };
  const option = ctx.live.eligibilities.get(source.id)?.find((o) => o.catalogItemId.toUpperCase().startsWith(`${item}:`));
  if (!option) return { fallback: `Microsoft offers no transition of subscription ${source.id} to ${item}` };
  if (!option.withLicenseTransfer) {
    return { fallback: `not eligible for a transition with licence transfer to ${item}${option.errors.length > 0 ? `: ${option.errors.join("; ")}` : ""}` };
  }
  return {
    action: {
      kind: "transition",
      subscriptionId: source.id,
      from: plan.source,
      to: customer.target,
      toCatalogItemId: option.catalogItemId,
      quantity: source.quantity,
      term: customer.purchase.term,
      billing: customer.purchase.billing,
      users: facts.holders,
    },
  };
}

/** The target's new-commerce `productId:skuId` (upper case): as the catalog resolved it, as the plan names it, or from the shipped table. */
export function targetCatalogItem(ctx: CustomerContext): string | undefined {
  const { customer } = ctx;
  return (
    ctx.state.catalog.get(catalogKey(customer, ctx.country))?.catalogItem ??
    customer.purchase.catalogItem ??
    nceProductFor(customer.target.skuId)?.catalogItem
  )?.toUpperCase();
}

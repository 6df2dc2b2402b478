import { catalogKey } from "../../model/catalog-key.js";
import { legacyBuyer } from "./buy-legacy.js";
import type { Buyer, CustomerContext, Outcome } from "./types.js";
import type { PurchaseAction } from "../types.js";

/** A cart of the target's catalog item, with the plan's term and billing, from the plan's country. */
export const newCommerceBuyer: Buyer = {
  buy(quantity, ctx) {
    const { customer } = ctx;
    const target = ctx.state.catalog.get(catalogKey(customer, ctx.country));
    if (!target) return { note: { level: "error", code: "catalog", message: `the new-commerce catalog was not read for ${customer.target.skuPartNumber}` } };
    if (target.problem) return { note: { level: "error", code: "catalog", message: target.problem.message } };
    if (quantity < target.minimumQuantity || quantity > target.maximumQuantity) {
      return {
        note: {
          level: "error",
          code: "quantity-limit",
          message: `${target.title} sells ${target.minimumQuantity}–${target.maximumQuantity} seats, ${quantity} needed`,
        },
      };
    }
    const { term, billing } = customer.purchase;
    const country = (customer.purchase.country ?? ctx.country).toUpperCase();
    return {
      action: {
        kind: "purchase",
        commerce: "new",
        catalogItem: target.catalogItem,
        title: target.title,
        term,
        billing,
        country,
        sku: customer.target,
        quantity,
      },
    };
  },
};

/**
 * `commerce: auto`: new commerce wherever the catalog offers the target in that country; a legacy
 * order only where it does not (a 404, never a transient error). The preview says which.
 */
const autoBuyer: Buyer = {
  buy(quantity, ctx): Outcome<PurchaseAction> {
    const target = ctx.state.catalog.get(catalogKey(ctx.customer, ctx.country));
    if (!target?.problem?.notOffered) return newCommerceBuyer.buy(quantity, ctx);
    const legacy = legacyBuyer.buy(quantity, ctx);
    if (!("action" in legacy) && "note" in legacy && legacy.note.code === "no-offer") {
      return {
        note: { ...legacy.note, message: `${target.problem.message}, and no purchasable legacy offer provisions ${ctx.customer.target.skuPartNumber}` },
      };
    }
    return legacy;
  },
};

export function buyerFor(ctx: Pick<CustomerContext, "customer">): Buyer {
  switch (ctx.customer.purchase.commerce) {
    case "legacy":
      return legacyBuyer;
    case "new":
      return newCommerceBuyer;
    case "auto":
      return autoBuyer;
  }
}

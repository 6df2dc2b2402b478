import { catalogKey } from "../../model/catalog-key.js";
import { legacyBuyer } from "./buy-legacy.js";
import { chooseTermEnd, termEndFallbackNote } from "./term-end.js";
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
  const buyer = commerceBuyer(ctx);
  return ctx.customer.purchase.termEnd === undefined ? buyer : coTerming(buyer);
}

function commerceBuyer(ctx: Pick<CustomerContext, "customer">): Buyer {
  switch (ctx.customer.purchase.commerce) {
    case "legacy":
      return legacyBuyer;
    case "new":
      return newCommerceBuyer;
    case "auto":
      return autoBuyer;
  }
}

/**
 * `purchase.termEnd`: the purchase with the first term's end Partner Center allows (the source's
 * term end, or a calendar month's end), or as bought without it and a note saying why.
 */
function coTerming(buyer: Buyer): Buyer {
  return {
    buy(quantity, ctx) {
      const out = buyer.buy(quantity, ctx);
      const wanted = ctx.customer.purchase.termEnd;
      if (!("action" in out) || wanted === undefined) return out;
      const a = out.action;
      const sources = ctx.live.subscriptions.filter((s) => s.skuId === ctx.plan.source.skuId && s.status === "active");
      const allowed = a.commerce === "new" ? ctx.live.termEnds?.get(a.term) : undefined;
      const choice = chooseTermEnd({ wanted, commerce: a.commerce, term: a.commerce === "new" ? a.term : "", allowed, sources });
      // The buyers give no note with an action: the reason the term is not co-termed is the one to show.
      if ("fallback" in choice) return { action: a, note: termEndFallbackNote(wanted, choice.fallback) };
      return a.commerce === "new" ? { ...out, action: { ...a, termEnd: choice.termEnd } } : out;
    },
  };
}

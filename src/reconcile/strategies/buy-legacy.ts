import type { Buyer } from "./types.js";

/** A legacy order: the purchasable offer that provisions the target SKU, within its seat limits. */
export const legacyBuyer: Buyer = {
  buy(quantity, { customer, state }) {
    const target = customer.target;
    const offer = state.offers.find((o) => o.skuId === target.skuId && o.purchasable);
    if (!offer) return { note: { level: "error", code: "no-offer", message: `no purchasable offer provisions ${target.skuPartNumber}` } };
    if (quantity < offer.minimumQuantity || quantity > offer.maximumQuantity) {
      return {
        note: {
          level: "error",
          code: "quantity-limit",
          message: `offer ${offer.name} sells ${offer.minimumQuantity}–${offer.maximumQuantity} seats, ${quantity} needed`,
        },
      };
    }
    return { action: { kind: "purchase", commerce: "legacy", offerId: offer.id, offerName: offer.name, sku: target, quantity } };
  },
};

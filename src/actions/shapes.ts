/** Schemas of the parts actions share (src/util/json-schema.ts): a SKU, a term, a billing cycle. */
import { BILLING_CYCLES, TERMS } from "../plan-file/plan-schema.js";
import type { BillingCycle, SkuRef, Term } from "../plan-file/types.js";
import { lowercaseGuid, objectOf, oneOf, positive, text } from "../util/json-schema.js";

export const skuRef = objectOf<SkuRef>({ skuId: lowercaseGuid, skuPartNumber: text, displayName: text });
export const term = oneOf(...TERMS);
export const billing = oneOf(...BILLING_CYCLES);

/** What a conversion of a subscription into the target (a transition, a change at renewal) names. */
export interface Conversion {
  subscriptionId: string;
  from: SkuRef;
  to: SkuRef;
  /** `productId:skuId:availabilityId`, as Microsoft's eligibility named it. */
  toCatalogItemId: string;
  quantity: number;
  term: Term;
  billing: BillingCycle;
}

/** The saved-plan shapes of a conversion's fields. */
export const conversionShape = { subscriptionId: lowercaseGuid, from: skuRef, to: skuRef, toCatalogItemId: text, quantity: positive, term, billing };

/** A conversion's fields in the JSON preview. */
export function conversionJson(a: Conversion) {
  return {
    subscriptionId: a.subscriptionId,
    from: a.from.skuPartNumber,
    fromSkuId: a.from.skuId,
    to: a.to.skuPartNumber,
    toSkuId: a.to.skuId,
    toCatalogItemId: a.toCatalogItemId,
    quantity: a.quantity,
    term: a.term,
    billing: a.billing,
  };
}

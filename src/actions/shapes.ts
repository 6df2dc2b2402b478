/** Schemas of the parts actions share (src/util/json-schema.ts): a SKU, a term, a billing cycle. */
import { BILLING_CYCLES, TERMS } from "../plan-file/plan-schema.js";
import type { SkuRef } from "../plan-file/types.js";
import { lowercaseGuid, objectOf, oneOf, text } from "../util/json-schema.js";

export const skuRef = objectOf<SkuRef>({ skuId: lowercaseGuid, skuPartNumber: text, displayName: text });
export const term = oneOf(...TERMS);
export const billing = oneOf(...BILLING_CYCLES);

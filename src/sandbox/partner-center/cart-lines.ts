/**
 * Cart line checks. A refused line does not fail the request: the Cart is created with
 * `error { errorCode, errorDescription }` on that line (cart-resources, CartError), and a checkout
 * of the cart is then refused. Codes and texts from the CartErrorCode table.
 */
import type { CartLineItem } from "../../partner-center/types.js";
import { isCatalogItemId } from "../catalog-index.js";
import { ErrorCode, badRequest } from "../http-error.js";
import { asObject } from "../body.js";
import type { RequestContext } from "./context.js";
import type { WorldCustomer } from "../types.js";
import { isAllowedTermEnd } from "./term-end-dates.js";

const CATALOG_ITEM_NOT_VALID = 10001;
const QUOTA_NOT_AVAILABLE = 10002;
const INVALID_INPUT = 10010;

const lc = (s: string) => s.toLowerCase();

function refused(li: CartLineItem, errorCode: number, errorDescription: string): CartLineItem {
  return { ...li, error: { errorCode, errorDescription } };
}

/** Units of a product:sku the customer holds (active) or has on order (pending). */
function unitsHeldOrOrdered(c: WorldCustomer, productSku: string): number {
  const same = (offerId: string) => isCatalogItemId(offerId) && lc(offerId).startsWith(`${lc(productSku)}:`);
  let n = 0;
  for (const s of c.subscriptions) if (s.status === "active" && same(s.offerId)) n += s.quantity;
  for (const o of c.orders) {
    if (o.status !== "pending") continue;
    for (const l of o.lineItems) if (l.subscriptionId === undefined && same(l.offerId)) n += l.quantity;
  }
  return n;
}

function checkLine(ctx: RequestContext, c: WorldCustomer, li: CartLineItem): CartLineItem {
  const item = isCatalogItemId(li.catalogItemId) ? ctx.state.catalog.item(li.catalogItemId) : undefined;
  const cc = c.country;
  if (!item || !ctx.state.catalog.isListed(item.product)) {
    return refused(li, CATALOG_ITEM_NOT_VALID, `Catalog item id is not valid: ${li.catalogItemId} is not in the catalog.`);
  }
  if (!item.availability.countries.some((x) => x.toUpperCase() === cc)) {
    return refused(li, CATALOG_ITEM_NOT_VALID, `Catalog item id is not valid: ${li.catalogItemId} is not sold in ${cc}, the customer's country.`);
  }
  if (item.availability.isPurchasable === false) {
    return refused(li, CATALOG_ITEM_NOT_VALID, `Catalog item id is not valid: ${li.catalogItemId} is not purchasable.`);
  }
  const term = item.availability.terms.find((t) => lc(t.billingCycle) === lc(li.billingCycle) && lc(t.duration) === lc(li.termDuration ?? ""));
  if (!term) {
    const offered = item.availability.terms.map((t) => `${t.duration}/${t.billingCycle}`).join(", ");
    return refused(
      li,
      INVALID_INPUT,
      `Generic input is not valid: term ${li.termDuration ?? "(none)"} with ${li.billingCycle} billing is not offered for ${li.catalogItemId} (offered: ${offered}).`,
    );
  }
  // custom-term-end-dates lists the dates a purchase may end on; the reference names no error code
  // of its own for another one: the generic 10010 InvalidInput of CartErrorCode.
  if (li.customTermEndDate !== undefined && !isAllowedTermEnd(c, li.termDuration ?? "", ctx.clock.iso(), li.customTermEndDate)) {
    return refused(
      li,
      INVALID_INPUT,
      `Generic input is not valid: custom term end date ${li.customTermEndDate} is not one allowed for a ${li.termDuration ?? "(none)"} term of this customer (GET subscriptions/customTermEndDates lists them).`,
    );
  }
  const { sku } = item;
  if (li.quantity < sku.minimumQuantity) {
    return refused(li, INVALID_INPUT, `Generic input is not valid: quantity ${li.quantity} is below the minimum ${sku.minimumQuantity}.`);
  }
  const already = unitsHeldOrOrdered(c, `${item.product.id}:${sku.id}`);
  if (already + li.quantity > sku.maximumQuantity) {
    return refused(
      li,
      QUOTA_NOT_AVAILABLE,
      `Not enough quota available: ${already} of at most ${sku.maximumQuantity} licenses of ${item.product.id}:${sku.id} are already held or ordered.`,
    );
  }
  return li;
}

/** Parses `lineItems` (a malformed body is a 400) and checks each line against the catalog. */
export function readCartLines(ctx: RequestContext, c: WorldCustomer, raw: unknown): CartLineItem[] {
  if (!Array.isArray(raw) || raw.length === 0) throw badRequest(ErrorCode.invalidInput, "A cart needs at least one line item (lineItems).");
  return raw.map((item, i) => {
    const o = asObject(item, `lineItems[${i}]`);
    const li: CartLineItem = {
      id: typeof o.id === "number" && Number.isInteger(o.id) ? o.id : i,
      catalogItemId: typeof o.catalogItemId === "string" ? o.catalogItemId : "",
      quantity: typeof o.quantity === "number" ? o.quantity : NaN,
      billingCycle: typeof o.billingCycle === "string" ? o.billingCycle.toLowerCase() : "",
      ...(typeof o.termDuration === "string" ? { termDuration: o.termDuration.toUpperCase() } : {}),
      ...(typeof o.friendlyName === "string" ? { friendlyName: o.friendlyName } : {}),
      ...(typeof o.customTermEndDate === "string" ? { customTermEndDate: o.customTermEndDate } : {}),
      currencyCode: "USD",
      provisioningContext: {},
    };
    if (o.customTermEndDate != null && (typeof o.customTermEndDate !== "string" || Number.isNaN(Date.parse(o.customTermEndDate)))) {
      return refused(li, INVALID_INPUT, `Generic input is not valid: customTermEndDate must be a date.`);
    }
    if (!Number.isInteger(li.quantity) || li.quantity < 1) {
      return refused(li, INVALID_INPUT, `Generic input is not valid: quantity must be a positive integer.`);
    }
    return checkLine(ctx, c, li);
  });
}

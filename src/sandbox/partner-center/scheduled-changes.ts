/**
 * Changes scheduled for a new-commerce subscription's renewal, as the reference describes them
 * (create-scheduled-changes, https://learn.microsoft.com/partner-center/developer/create-scheduled-changes):
 * set by PATCHing the subscription with `scheduledNextTermInstructions` (auto-renew must be on;
 * the product must be one `transitionEligibilities?eligibilityType=scheduled` offers, or the
 * subscription's own), and deleted by any mid-term change before the renewal ("If you make a
 * mid-term (immediate) change before your renewal date, all scheduled changes that were
 * previously scheduled to occur at renewal are deleted"). The renewal itself: ../renewal.ts.
 */
import type { ScheduledNextTermInstructions } from "../../partner-center/types.js";
import { ErrorCode, badRequest } from "../http-error.js";
import { isNce } from "../state.js";
import type { WorldSubscription } from "../types.js";
import type { RequestContext } from "./context.js";

const TERMS = ["P1M", "P1Y", "P3Y"];

/**
 * What the PATCH asks of the scheduled change: `undefined` leave it, `null` remove it, or the
 * instructions to set (checked).
 */
export function readScheduledChange(
  ctx: RequestContext,
  s: WorldSubscription,
  body: Record<string, unknown>,
  autoRenew: boolean,
): ScheduledNextTermInstructions | null | undefined {
  const raw = body.scheduledNextTermInstructions ?? body.ScheduledNextTermInstructions;
  if (raw === undefined) return undefined;
  if (raw === null) return null;
  if (!isNce(s)) throw badRequest(ErrorCode.invalidProperty, "scheduledNextTermInstructions are not applicable for legacy offers.");
  const i = parse(raw);
  if (!autoRenew) throw badRequest(ErrorCode.invalidProperty, "Scheduled changes need auto-renew enabled on the subscription.");
  const item = `${i.product.productId}:${i.product.skuId}:${i.product.availabilityId}`;
  const own = s.offerId.toLowerCase().startsWith(`${i.product.productId}:${i.product.skuId}:`.toLowerCase());
  const offered = (s.scheduledEligibilities ?? []).find((e) => e.catalogItemId.toLowerCase() === item.toLowerCase());
  if (!own && !offered?.eligibilities.some((d) => d.isEligible)) {
    const e = offered?.eligibilities.flatMap((d) => d.errors ?? [])[0];
    throw badRequest(e?.code ?? ErrorCode.invalidProperty, e?.description ?? `${item} is not a scheduled-change target for subscription ${s.id}.`);
  }
  const sku = ctx.state.catalog.skuOfItem(item)?.sku;
  if (sku && (i.quantity < (sku.minimumQuantity ?? 1) || i.quantity > (sku.maximumQuantity ?? Infinity))) {
    throw badRequest(
      ErrorCode.quantityOutOfRange,
      `Scheduled quantity ${i.quantity} is not within ${sku.minimumQuantity ?? 1} to ${sku.maximumQuantity ?? "any"}.`,
    );
  }
  return i;
}

function parse(raw: unknown): ScheduledNextTermInstructions {
  const o = (raw ?? {}) as Record<string, unknown>;
  const p = (o.product ?? o.Product ?? {}) as Record<string, unknown>;
  const str = (k: string) =>
    typeof p[k] === "string" ? p[k] : typeof p[k[0].toUpperCase() + k.slice(1)] === "string" ? (p[k[0].toUpperCase() + k.slice(1)] as string) : "";
  const product = {
    productId: str("productId"),
    skuId: str("skuId"),
    availabilityId: str("availabilityId"),
    billingCycle: str("billingCycle"),
    termDuration: str("termDuration"),
  };
  const quantity = o.quantity ?? o.Quantity;
  if (Object.values(product).some((v) => v === "") || typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 1) {
    throw badRequest(
      ErrorCode.invalidProperty,
      "scheduledNextTermInstructions needs product { productId, skuId, availabilityId, billingCycle, termDuration } and a quantity of at least 1.",
    );
  }
  if (!TERMS.includes(product.termDuration.toUpperCase())) throw badRequest(ErrorCode.invalidProperty, `termDuration must be one of ${TERMS.join(", ")}.`);
  return { product, quantity };
}

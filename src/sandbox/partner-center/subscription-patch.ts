/**
 * `PATCH /customers/{id}/subscriptions/{subId}`: status (active, suspended, and for new commerce
 * deleted = cancel), quantity and autoRenewEnabled. `If-Match` is optional (the reference's
 * quantity example has none; new-commerce subscriptions carry no etag); a stale one is `400`
 * 2055. New-commerce rules (cancel-an-azure-marketplace-subscription,
 * change-the-quantity-of-a-subscription): cancel and quantity decreases only until
 * `cancellationAllowedUntilDate`.
 */
import { ErrorCode, badRequest } from "../http-error.js";
import { asObject } from "../body.js";
import type { RequestContext } from "./context.js";
import { etagOf, isNce } from "../state.js";
import type { FixtureSubscriptionStatus, WorldCustomer, WorldSubscription } from "../types.js";
import { requireCustomer, requireSubscription } from "./lookup.js";
import { toSubscription } from "./wire.js";
import { readScheduledChange } from "./scheduled-changes.js";

/** `If-Match` may arrive quoted or weak (`W/"…"`); the etag itself is opaque. */
function ifMatch(ctx: RequestContext): string | undefined {
  const v = ctx.header("if-match");
  if (v === undefined || v.trim() === "" || v.trim() === "*") return undefined;
  return v
    .trim()
    .replace(/^W\//, "")
    .replace(/^"(.*)"$/, "$1");
}

interface Patch {
  status: FixtureSubscriptionStatus;
  quantity: number;
  autoRenewEnabled: boolean;
}

function readPatch(ctx: RequestContext, s: WorldSubscription): Patch {
  const body = asObject(ctx.body, "a Subscription");
  const { status, quantity, autoRenewEnabled } = body;
  const allowed = isNce(s) ? ["active", "suspended", "deleted"] : ["active", "suspended"];
  if (status !== undefined && !allowed.includes(status as string)) {
    throw badRequest(ErrorCode.invalidProperty, `status can be changed to ${allowed.map((a) => `"${a}"`).join(" or ")} only, not ${JSON.stringify(status)}.`);
  }
  if (quantity !== undefined && (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 0)) {
    throw badRequest(ErrorCode.invalidProperty, "quantity must be a non-negative integer.");
  }
  if (autoRenewEnabled !== undefined && typeof autoRenewEnabled !== "boolean") {
    throw badRequest(ErrorCode.invalidProperty, "autoRenewEnabled must be true or false.");
  }
  return {
    status: (status as FixtureSubscriptionStatus | undefined) ?? s.status,
    quantity: quantity ?? s.quantity,
    autoRenewEnabled: autoRenewEnabled ?? s.autoRenewEnabled,
  };
}

function windowOpen(ctx: RequestContext, s: WorldSubscription): boolean {
  return s.cancellationAllowedUntilDate !== undefined && ctx.clock.nowMs() <= Date.parse(s.cancellationAllowedUntilDate);
}

function checkQuantity(ctx: RequestContext, c: WorldCustomer, s: WorldSubscription, p: Patch, skuId: string): void {
  if (s.status !== "active" || p.status !== "active") {
    throw badRequest(ErrorCode.quantityOnSuspended, "Subscription quantity cannot be increased or decreased while subscription is being suspended");
  }
  const bounds = ctx.state.quantityBounds(s);
  if (bounds && (p.quantity < bounds.min || p.quantity > bounds.max)) {
    throw badRequest(
      ErrorCode.quantityOutOfRange,
      `Subscription quantity is not within minimum and maximum allowed quantity (${bounds.min} to ${bounds.max}).`,
    );
  }
  if (isNce(s) && p.quantity < s.quantity && !windowOpen(ctx, s)) {
    throw badRequest(ErrorCode.quantityCannotDecrease, "Subscription quantity cannot be decreased.");
  }
  const consumed = ctx.state.consumedUnits(c, skuId);
  const totalAfter = ctx.state.units(c, skuId, "active") - s.quantity + p.quantity;
  if (totalAfter < consumed) {
    throw badRequest(
      ErrorCode.seatQuantityRefused,
      `Cannot update the seat quantity for this subscription: ${consumed} licenses of this SKU are assigned and only ${totalAfter} would remain. Remove licenses from users first.`,
    );
  }
}

function renewable(ctx: RequestContext, s: WorldSubscription): boolean {
  if (isNce(s)) return ctx.state.catalog.item(s.offerId)?.availability.isRenewable !== false;
  return ctx.state.offer(s.offerId)?.isAvailableForPurchase !== false;
}

export function patchSubscription(ctx: RequestContext) {
  const c = requireCustomer(ctx);
  const s = requireSubscription(ctx, c);
  const etag = ifMatch(ctx);
  if (etag !== undefined && !isNce(s) && etag !== etagOf(s)) throw badRequest(ErrorCode.etagInvalid, "Etag is no longer valid");
  if (s.status === "deleted") {
    throw badRequest(ErrorCode.subscriptionDeleted, `Subscription with ID ${s.id} and deleted status cannot be updated.`);
  }
  const p = readPatch(ctx, s);
  const scheduled = readScheduledChange(ctx, s, asObject(ctx.body, "a Subscription"), p.autoRenewEnabled);
  const skuId = ctx.state.skuOfSubscription(s) ?? "";

  if (p.status === "deleted" && !windowOpen(ctx, s)) {
    throw badRequest(
      ErrorCode.statusRefused,
      `Cannot update the status for this subscription: it could be cancelled until ${s.cancellationAllowedUntilDate ?? "its purchase"} only.`,
    );
  }
  if (p.quantity !== s.quantity) checkQuantity(ctx, c, s, p, skuId);
  if (p.autoRenewEnabled && !s.autoRenewEnabled && !renewable(ctx, s)) {
    throw badRequest(ErrorCode.notRenewable, "The subscription is not eligible to be auto-renewed");
  }

  // A mid-term change deletes what was scheduled for the renewal, whatever the body says.
  const midTerm = p.status !== s.status || p.quantity !== s.quantity;
  const next = midTerm || !p.autoRenewEnabled ? undefined : scheduled === undefined ? s.scheduledNextTermInstructions : (scheduled ?? undefined);
  const rescheduled = JSON.stringify(next) !== JSON.stringify(s.scheduledNextTermInstructions);
  if (next) s.scheduledNextTermInstructions = next;
  else delete s.scheduledNextTermInstructions;
  const changed = p.status !== s.status || p.quantity !== s.quantity || p.autoRenewEnabled !== s.autoRenewEnabled || rescheduled;
  if (p.status !== s.status) {
    if (p.status === "suspended") {
      s.suspendedAt = ctx.clock.iso();
      s.suspensionReasons = ["CustomerCancellation"];
    } else {
      delete s.suspendedAt;
      s.suspensionReasons = [];
    }
    // A cancelled subscription does not renew.
    if (p.status === "deleted") p.autoRenewEnabled = false;
    s.status = p.status;
  }
  s.quantity = p.quantity;
  s.autoRenewEnabled = p.autoRenewEnabled;
  if (changed) {
    s.version++;
    ctx.record({
      kind: "subscription",
      customerId: c.id,
      subscriptionId: s.id,
      status: s.status,
      quantity: s.quantity,
      autoRenewEnabled: s.autoRenewEnabled,
      consumedUnitsOfSku: ctx.state.consumedUnits(c, skuId),
    });
  }
  return { status: 200, body: toSubscription(ctx.state, c, s) };
}

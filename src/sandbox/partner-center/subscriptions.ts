/** Subscriptions (list, get, PATCH with If-Match) and the subscribed-SKU license counts. */
import type { FixtureSku } from "../types.js";
import { ErrorCode, HttpError, badRequest } from "../http-error.js";
import { asObject } from "../body.js";
import type { RequestContext, RouteDef } from "../router.js";
import { requireCustomer, requireSubscription } from "./lookup.js";
import { etagOf } from "../state.js";
import { collection, link, toSubscribedSku, toSubscription } from "./wire.js";

/** `If-Match` may arrive quoted or weak (`W/"…"`); the etag itself is opaque. */
function ifMatch(ctx: RequestContext): string | undefined {
  const v = ctx.header("if-match");
  if (v === undefined || v.trim() === "") return undefined;
  return v.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1");
}

function patchSubscription(ctx: RequestContext) {
  const c = requireCustomer(ctx);
  const s = requireSubscription(ctx, c);
  const etag = ifMatch(ctx);
  if (etag !== etagOf(s)) {
    throw new HttpError(
      412,
      ErrorCode.etagInvalid,
      etag === undefined ? "Etag is no longer valid: the If-Match header is required." : "Etag is no longer valid",
    );
  }
  const body = asObject(ctx.body, "a Subscription");
  const { status, quantity } = body;
  if (status !== undefined && status !== "active" && status !== "suspended") {
    throw badRequest(ErrorCode.invalidProperty, `status can be changed to "active" or "suspended" only, not ${JSON.stringify(status)}.`);
  }
  if (quantity !== undefined && (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 0)) {
    throw badRequest(ErrorCode.invalidProperty, "quantity must be a non-negative integer.");
  }
  if (s.status === "deleted") {
    throw badRequest(ErrorCode.invalidProperty, `Subscription ${s.id} is deleted and cannot be changed.`);
  }
  const newStatus = (status) ?? s.status;
  const newQuantity = (quantity) ?? s.quantity;
  const skuId = ctx.state.skuOfSubscription(s) ?? "";

  if (newQuantity !== s.quantity) {
    if (s.status !== "active" || newStatus !== "active") {
      throw badRequest(ErrorCode.quantityOnSuspended, "Cannot update the quantity of a subscription that is not active.");
    }
    const offer = ctx.state.offer(s.offerId);
    if (offer && (newQuantity < offer.minimumQuantity || newQuantity > offer.maximumQuantity)) {
      throw badRequest(
        ErrorCode.invalidProperty,
        `quantity must be between ${offer.minimumQuantity} and ${offer.maximumQuantity} for offer ${offer.id}.`,
      );
    }
    const consumed = ctx.state.consumedUnits(c, skuId);
    const totalAfter = ctx.state.units(c, skuId, "active") - s.quantity + newQuantity;
    if (totalAfter < consumed) {
      throw badRequest(
        ErrorCode.quantityBelowAssigned,
        `Cannot reduce the quantity to ${newQuantity}: ${consumed} licenses of this SKU are assigned and only ${totalAfter} would remain. Remove licenses from users first.`,
      );
    }
  }

  const changed = newStatus !== s.status || newQuantity !== s.quantity;
  if (newStatus !== s.status) {
    if (newStatus === "suspended") {
      s.suspendedAt = ctx.clock.iso();
      s.suspensionReasons = ["CustomerCancellation"];
    } else {
      delete s.suspendedAt;
      s.suspensionReasons = [];
    }
    s.status = newStatus;
  }
  s.quantity = newQuantity;
  if (changed) {
    s.version++;
    ctx.record({
      kind: "subscription",
      customerId: c.id,
      subscriptionId: s.id,
      status: s.status,
      quantity: s.quantity,
      consumedUnitsOfSku: ctx.state.consumedUnits(c, skuId),
      ...(ctx.requestId !== undefined ? { requestId: ctx.requestId } : {}),
    });
  }
  return { status: 200, body: toSubscription(ctx.state, c, s) };
}

export const subscriptionRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/customers/:customerId/subscriptions",
    access: "read",
    operation: "listing subscriptions",
    handle(ctx) {
      const c = requireCustomer(ctx);
      const items = c.subscriptions.map((s) => toSubscription(ctx.state, c, s));
      return { status: 200, body: collection(items, { self: link(`/customers/${c.id}/subscriptions`) }) };
    },
  },
  {
    method: "GET",
    path: "/customers/:customerId/subscriptions/:subscriptionId",
    access: "read",
    operation: "reading a subscription",
    handle(ctx) {
      const c = requireCustomer(ctx);
      return { status: 200, body: toSubscription(ctx.state, c, requireSubscription(ctx, c)) };
    },
  },
  {
    method: "PATCH",
    path: "/customers/:customerId/subscriptions/:subscriptionId",
    access: "commerce",
    operation: "changing a subscription",
    handle: patchSubscription,
  },
  {
    method: "GET",
    path: "/customers/:customerId/subscribedskus",
    access: "read",
    operation: "listing subscribed SKUs",
    handle(ctx) {
      const c = requireCustomer(ctx);
      // One item per SKU the customer has live subscriptions or assigned licenses for.
      const ids = new Set<string>();
      for (const s of c.subscriptions) {
        const sku = s.status !== "deleted" ? ctx.state.skuOfSubscription(s) : undefined;
        if (sku) ids.add(sku);
      }
      for (const u of c.users) for (const l of u.licenses) ids.add(l.toLowerCase());
      const skus = [...ids].map((id) => ctx.state.sku(id)).filter((s): s is FixtureSku => s !== undefined);
      return { status: 200, body: collection(skus.map((sku) => toSubscribedSku(ctx.state, c, sku))) };
    },
  },
];

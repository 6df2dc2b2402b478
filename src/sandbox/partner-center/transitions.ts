/**
 * Transitions of new-commerce subscriptions (transition-a-new-commerce-subscription,
 * get-transitions, transition-resources): the eligibilities the fixture gives a subscription, a
 * transition that runs once the transition delay has passed (see transition-run.ts), and the
 * listing by operationId in the reference's own shape (`transition`, `FromCatalogItemId`, `Events`).
 */
import type { TransitionEligibility } from "../../partner-center/types.js";
import { isCatalogItemId } from "../catalog-index.js";
import { ErrorCode, badRequest } from "../http-error.js";
import { asObject } from "../body.js";
import { route, type RequestContext, type RouteDef } from "./context.js";
import { isNce } from "../state.js";
import type { FixtureEligibilityDetail, TransitionKind, WorldCustomer, WorldSubscription, WorldTransition } from "../types.js";
import { requireCustomer, requireSubscription } from "./lookup.js";
import { collection } from "./wire.js";

const NOT_ACTIVE = { code: 1, description: "Subscription can't be Transitioned - source subscription isn't active." };
const lc = (s: string) => s.toLowerCase();

function eligibilities(ctx: RequestContext, s: WorldSubscription, type: "immediate" | "scheduled"): TransitionEligibility[] {
  if (!isNce(s)) return [];
  return ((type === "immediate" ? s.transitionEligibilities : s.scheduledEligibilities) ?? []).map((e) => {
    const sku = ctx.state.catalog.skuOfItem(e.catalogItemId)?.sku;
    return {
      catalogItemId: e.catalogItemId,
      title: sku?.title ?? e.catalogItemId,
      description: sku?.description ?? sku?.title ?? e.catalogItemId,
      quantity: s.quantity,
      eligibilities: e.eligibilities.map((d) =>
        s.status !== "active"
          ? { isEligible: false, transitionType: d.transitionType, errors: [NOT_ACTIVE] }
          : { isEligible: d.isEligible, transitionType: d.transitionType, errors: d.isEligible ? [] : (d.errors ?? []) },
      ),
      attributes: { objectType: "TransitionEligibility" },
    };
  });
}

function detailFor(s: WorldSubscription, to: string, type: string): FixtureEligibilityDetail | undefined {
  return s.transitionEligibilities?.find((e) => lc(e.catalogItemId) === lc(to))?.eligibilities.find((d) => d.transitionType === type);
}

interface TransitionAsked {
  to: string;
  type: TransitionKind;
  quantity: number;
  toSubscriptionId: string | undefined;
  termDuration: string | undefined;
  billingCycle: string | undefined;
}

function readRequest(ctx: RequestContext, c: WorldCustomer, s: WorldSubscription): TransitionAsked {
  const body = asObject(ctx.body, "a Transition");
  const to = body.toCatalogItemId;
  const type = body.transitionType;
  const q = body.quantity;
  if (typeof to !== "string" || !isCatalogItemId(to))
    throw badRequest(ErrorCode.invalidProperty, "toCatalogItemId (productId:skuId:availabilityId) is required.");
  if (type !== "transition_only" && type !== "transition_with_license_transfer") {
    throw badRequest(ErrorCode.invalidProperty, 'transitionType must be "transition_only" or "transition_with_license_transfer".');
  }
  if (typeof q !== "number" || !Number.isInteger(q) || q < 1 || q > s.quantity) {
    throw badRequest(ErrorCode.invalidProperty, `quantity must be an integer from 1 to the subscription's ${s.quantity}.`);
  }
  const toSubscriptionId = typeof body.toSubscriptionId === "string" && body.toSubscriptionId !== "" ? body.toSubscriptionId : undefined;
  if (toSubscriptionId !== undefined && !ctx.state.subscription(c, toSubscriptionId)) {
    throw badRequest(ErrorCode.invalidProperty, `toSubscriptionId ${toSubscriptionId} is not a subscription of customer ${c.id}.`);
  }
  return {
    to,
    type,
    quantity: q,
    toSubscriptionId,
    termDuration: typeof body.termDuration === "string" ? body.termDuration : undefined,
    billingCycle: typeof body.billingCycle === "string" ? body.billingCycle : undefined,
  };
}

/** The reference's casing: `Events` capitalised in the POST answer, more keys so in the listing. */
function toTransition(t: WorldTransition, listing: boolean): Record<string, unknown> {
  const from = listing ? "FromCatalogItemId" : "fromCatalogItemId";
  const to = listing ? "ToCatalogItemId" : "toCatalogItemId";
  return {
    operationId: t.operationId,
    [from]: t.fromCatalogItemId,
    fromSubscriptionId: t.subscriptionId,
    [to]: t.toCatalogItemId,
    ...(t.toSubscriptionId !== undefined ? { toSubscriptionId: t.toSubscriptionId } : {}),
    quantity: t.quantity,
    ...(t.termDuration !== undefined ? { termDuration: t.termDuration } : {}),
    ...(t.billingCycle !== undefined ? { billingCycle: t.billingCycle } : {}),
    transitionType: t.transitionType,
    Events: t.events.map((e) => ({ ...e, attributes: { objectType: "TransitionEvent" } })),
    attributes: { objectType: "Transition" },
  };
}

export const transitionRoutes: RouteDef[] = [
  route("GET", "/customers/:customerId/subscriptions/:subscriptionId/transitionEligibilities", "read", "reading transition eligibilities", (ctx) => {
    const c = requireCustomer(ctx);
    const s = requireSubscription(ctx, c);
    const type = (ctx.query.get("eligibilityType") ?? "immediate").toLowerCase();
    if (type !== "immediate" && type !== "scheduled") throw badRequest(ErrorCode.invalidInput, "eligibilityType must be immediate or scheduled.");
    // Scheduled: what the subscription may change into at its renewal (create-scheduled-changes).
    return { status: 200, body: collection(eligibilities(ctx, s, type)) };
  }),
  route("POST", "/customers/:customerId/subscriptions/:subscriptionId/transitions", "transitions", "transitioning a subscription", (ctx) => {
    const c = requireCustomer(ctx);
    const s = requireSubscription(ctx, c);
    if (!isNce(s)) throw badRequest(ErrorCode.invalidProperty, `Subscription ${s.id} is not a new-commerce subscription; only those can be transitioned here.`);
    const r = readRequest(ctx, c, s);
    if (s.status !== "active") throw badRequest(NOT_ACTIVE.code, NOT_ACTIVE.description);
    const detail = detailFor(s, r.to, r.type);
    if (!detail?.isEligible) {
      const e = detail?.errors?.[0] ?? { code: 3000, description: `${r.to} is not an eligible ${r.type} target for subscription ${s.id}.` };
      throw badRequest(e.code, e.description);
    }
    const now = ctx.clock.nowMs();
    const t: WorldTransition = {
      operationId: ctx.state.newId(),
      subscriptionId: s.id,
      fromCatalogItemId: s.offerId,
      toCatalogItemId: r.to,
      ...(r.toSubscriptionId !== undefined ? { toSubscriptionId: r.toSubscriptionId } : {}),
      quantity: r.quantity,
      ...(r.termDuration !== undefined ? { termDuration: r.termDuration } : {}),
      ...(r.billingCycle !== undefined ? { billingCycle: r.billingCycle } : {}),
      transitionType: r.type,
      completeAt: new Date(now + ctx.delays.transitionMs).toISOString(),
      state: "inProgress",
      ...(detail.failure ? { failure: { ...detail.failure } } : {}),
      // The reference's example answers "Started " with a trailing space.
      events: [{ name: "Conversion", status: "Started ", timestamp: new Date(now).toISOString() }],
    };
    c.transitions.push(t);
    ctx.record({
      kind: "transition",
      customerId: c.id,
      subscriptionId: s.id,
      operationId: t.operationId,
      phase: "started",
      toCatalogItemId: t.toCatalogItemId,
      usersMoved: 0,
    });
    return { status: 200, body: toTransition(t, false) };
  }),
  route("GET", "/customers/:customerId/subscriptions/:subscriptionId/transitions", "read", "listing transitions", (ctx) => {
    const c = requireCustomer(ctx);
    const s = requireSubscription(ctx, c);
    const op = ctx.query.get("operationId");
    const list = c.transitions.filter((t) => lc(t.subscriptionId) === lc(s.id) && (op === null || lc(t.operationId) === lc(op)));
    return { status: 200, body: { transition: list.map((t) => toTransition(t, true)), attributes: { objectType: "Collection" } } };
  }),
];

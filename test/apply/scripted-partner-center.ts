/**
 * A scripted Partner Center for executor tests: one customer's subscriptions, subscribed SKUs,
 * users, orders, carts, catalog availabilities and transitions held in plain data and served
 * over real HTTP by the wire-level fake server, in the reference's shapes. Tests change the data
 * between (or during) calls to open the windows the executor's guards close: a seat count
 * changed since planning, a user still holding the source, an order taken whose subscription is
 * not listed yet, a checkout whose answer was lost, an order slow to provision.
 */
import type { ServerResponse } from "node:http";
import { sendJson, type FakeServer, type RecordedRequest } from "../helpers/fake-server.js";

export const CUSTOMER = "0c39d6d5-c70d-4c55-bc02-f620844f3fd1";
export const SOURCE_SKU = "b8b749f8-a4ef-4887-9539-c95b1eaa5db7";
export const TARGET_SKU = "4b585984-651b-448a-9e53-3b10f069cf7f";
export const SOURCE_OFFER = "5c8e4c2a-1f6f-4d3b-9b47-0a1d2c3e4f50";
export const TARGET_OFFER = "39527949-870e-4d02-b3b7-8491f762fa78";
/** Office 365 F3 in new commerce (catalog/nce-products.json) and its purchasable availability. */
export const TARGET_ITEM = "CFQ7TTC0LGZW:0001";
export const TARGET_AVAILABILITY = "CFQ7TTC0LGZW:0001:CFQ7TTC0K5DR";

export interface ScriptedSubscription {
  id: string;
  offerId: string;
  quantity: number;
  status: string;
  /** Default false. */
  autoRenewEnabled?: boolean;
  cancellationAllowedUntilDate?: string;
}

export interface ScriptedOrder {
  id: string;
  /** Undefined: the order says nothing of its status (the reference allows it). */
  status?: string;
  offerIds: string[];
  /** When it was placed (ISO); left out where a test does not care. */
  creationDate?: string;
  /** The subscription each line brought, by line; left out where a test does not care. */
  subscriptionIds?: string[];
}

export interface ScriptedTransition {
  operationId: string;
  toCatalogItemId: string;
  /** `inProgress` until polled `pollsToFinish` times, then `outcome`. */
  outcome: "completed" | "failed";
  pollsToFinish: number;
  polls: number;
  /** Microsoft's reasons for a failure; default one. */
  errors?: { code: number; description: string }[];
}

export interface ScriptedUser {
  id: string;
  upn: string;
  skuIds: string[];
}

export interface ScriptedWorld {
  subscriptions: ScriptedSubscription[];
  /** skuId → consumed units; a SKU left out is not listed by subscribedskus at all. */
  consumed: Record<string, number>;
  /**
   * The users and the licences each holds (GET …/users, …/users/{id}/licenses). Left out: one
   * user per consumed unit, so the holders agree with the counts unless a test says otherwise.
   */
  holders?: ScriptedUser[];
  /** Subscriptions an order creates only once `listOrderedSubscriptions` is set (provisioning). */
  ordered: ScriptedSubscription[];
  listOrderedSubscriptions: boolean;
  /** Status (and error body) to answer licence updates with (only `userId`'s, when given); 201 by default. */
  licenseUpdateStatus?: { status: number; body: unknown; userId?: string };
  /** Commit the order, then drop the connection without an answer (a lost response). */
  loseOrderResponse?: boolean;
  /** The customer's orders list (GET …/orders). */
  orders?: ScriptedOrder[];
  /** Availabilities of the target SKU (GET /products/…/skus/…/availabilities); default one, P1Y monthly and annual. */
  availabilities?: unknown[];
  /** Carts by id, as created; `checkout` is the first checkout's answer (checkout is idempotent per cart). */
  carts?: Map<string, { lineItems: Record<string, unknown>[]; checkout?: unknown }>;
  /** Refuse every new cart's line with this error (a 201 Cart with `error` on the line). */
  cartLineError?: { errorCode: number | string; errorDescription: string };
  /** Checkout answers an order error for the cart's order group instead of an order. */
  checkoutOrderError?: { code: number | string; description: string };
  /** Take the checkout, then drop the connection without an answer. */
  loseCheckoutResponse?: boolean;
  /** Provisioning status polls answered `pending` per order before `fulfilled`; default 0. */
  pendingPolls?: number;
  /** Instead: the line statuses of an order at its `poll`-th status read (1 for the first). */
  provisioning?: (orderId: string, poll: number) => string[];
  /** Provisioning status polls so far, per order id. */
  polls?: Map<string, number>;
  /** Transitions per subscription id. */
  transitions?: Map<string, ScriptedTransition[]>;
  /** How a new transition goes: `outcome` after `pollsToFinish` polls. Default completed at once. */
  transitionScript?: { outcome: "completed" | "failed"; pollsToFinish: number; errors?: { code: number; description: string }[] };
  /** Answer every transition of the subscription even when one is asked for by operationId. */
  ignoreOperationFilter?: boolean;
}

const base = `/v1/customers/${CUSTOMER}`;

/** The world's users: its own list, or one user per consumed unit of each SKU. */
function usersOf(world: ScriptedWorld): ScriptedUser[] {
  if (world.holders) return world.holders;
  return Object.entries(world.consumed).flatMap(([skuId, n], k) =>
    Array.from({ length: Math.max(0, n) }, (_, i) => ({
      id: `00000000-0000-4000-a${String(k).padStart(3, "0")}-${String(i + 1).padStart(12, "0")}`,
      upn: `holder${k}-${i + 1}@contoso.example`,
      skuIds: [skuId],
    })),
  );
}

function subscription(s: ScriptedSubscription) {
  return {
    id: s.id,
    offerId: s.offerId,
    offerName: s.offerId === TARGET_OFFER ? "Office 365 F3" : "Skype for Business Online (Plan 1)",
    quantity: s.quantity,
    status: s.status,
    autoRenewEnabled: s.autoRenewEnabled ?? false,
    commitmentEndDate: "2027-03-31T00:00:00Z",
    ...(s.cancellationAllowedUntilDate ? { cancellationAllowedUntilDate: s.cancellationAllowedUntilDate } : {}),
    attributes: { etag: `etag-${s.id}-${s.quantity}-${s.status}-${String(s.autoRenewEnabled ?? false)}`, objectType: "Subscription" },
  };
}

function collection(items: unknown[]) {
  return { totalCount: items.length, items, links: {}, attributes: { objectType: "Collection" } };
}

export function visibleSubscriptions(w: ScriptedWorld): ScriptedSubscription[] {
  return [...w.subscriptions, ...(w.listOrderedSubscriptions ? w.ordered : [])];
}

export function defaultAvailabilities(): unknown[] {
  return [
    {
      id: "CFQ7TTC0K5DQ",
      productId: "CFQ7TTC0LGZW",
      skuId: "0001",
      catalogItemId: "CFQ7TTC0LGZW:0001:CFQ7TTC0K5DQ",
      isPurchasable: false,
      terms: [{ duration: "P1Y", billingCycle: "monthly" }],
    },
    {
      id: "CFQ7TTC0K5DR",
      productId: "CFQ7TTC0LGZW",
      skuId: "0001",
      catalogItemId: TARGET_AVAILABILITY,
      isPurchasable: true,
      terms: [
        { duration: "P1M", billingCycle: "Monthly" },
        { duration: "P1Y", billingCycle: "Annual" },
        { duration: "P1Y", billingCycle: "monthly" },
      ],
    },
  ];
}

function transitionBody(t: ScriptedTransition) {
  const finished = t.polls >= t.pollsToFinish;
  const events = [{ name: "Conversion", status: "Started ", timestamp: "2026-11-24T00:00:00Z" }];
  if (finished && t.outcome === "completed") {
    // What get-transitions' example shows for a licence transfer: Conversion events only.
    events.push({ name: "Conversion", status: "Completed", timestamp: "2026-11-24T00:01:00Z" });
  }
  if (finished && t.outcome === "failed") {
    return {
      operationId: t.operationId,
      toCatalogItemId: t.toCatalogItemId,
      transitionType: "transition_with_license_transfer",
      events: [...events, { name: "Conversion", status: "Failed", errors: t.errors ?? [{ code: 3, description: "conflicting services" }] }],
    };
  }
  return { operationId: t.operationId, toCatalogItemId: t.toCatalogItemId, transitionType: "transition_with_license_transfer", events };
}

/** Serves `world` on `server`; returns the requests that were writes, in order, for assertions. */
export function serveWorld(server: FakeServer, world: ScriptedWorld): () => RecordedRequest[] {
  const find = (id: string) => visibleSubscriptions(world).find((s) => s.id === id);
  const carts: NonNullable<ScriptedWorld["carts"]> = (world.carts ??= new Map());
  const polls: NonNullable<ScriptedWorld["polls"]> = (world.polls ??= new Map());
  /** The subscriptions each checked-out order brings, by order id. */
  const placedOrders = new Map<string, ScriptedSubscription[]>();
  const transitions: NonNullable<ScriptedWorld["transitions"]> = (world.transitions ??= new Map());
  server.on("GET", `${base}/subscriptions`, (_req, res) => sendJson(res, 200, collection(visibleSubscriptions(world).map(subscription))));
  server.on("GET", new RegExp(`^${base}/subscriptions/[^/]+$`), (req, res) => {
    const s = find(req.path.split("/").at(-1) ?? "");
    if (s) sendJson(res, 200, subscription(s));
    else sendJson(res, 404, { code: 1000, description: "not found" });
  });
  server.on("PATCH", new RegExp(`^${base}/subscriptions/[^/]+$`), (req, res) => {
    const s = find(req.path.split("/").at(-1) ?? "");
    const body = req.json as { quantity: number; status: string; autoRenewEnabled: boolean };
    if (!s) return sendJson(res, 404, { code: 1000, description: "not found" });
    if (req.headers["if-match"] !== subscription(s).attributes.etag) return sendJson(res, 400, { code: 2055, description: "Etag is no longer valid" });
    s.quantity = body.quantity;
    s.status = body.status;
    s.autoRenewEnabled = body.autoRenewEnabled;
    sendJson(res, 200, subscription(s));
  });
  server.on("GET", `${base}/subscribedskus`, (_req, res) => {
    const items = Object.entries(world.consumed).map(([skuId, consumedUnits]) => ({
      availableUnits: 0,
      activeUnits: 0,
      consumedUnits,
      suspendedUnits: 0,
      totalUnits: consumedUnits,
      warningUnits: 0,
      productSku: { id: skuId, name: skuId, skuPartNumber: skuId === SOURCE_SKU ? "MCOIMP" : "DESKLESSPACK" },
      servicePlans: [],
      capabilityStatus: "Enabled",
    }));
    sendJson(res, 200, collection(items));
  });
  server.on("GET", `${base}/users`, (_req, res) =>
    sendJson(res, 200, collection(usersOf(world).map((u) => ({ id: u.id, userPrincipalName: u.upn, displayName: u.upn, state: "active" })))),
  );
  server.on("GET", new RegExp(`^${base}/users/[^/]+/licenses$`), (req, res) => {
    const user = usersOf(world).find((u) => req.path.includes(`/users/${u.id}/`));
    const skuPartNumber = (id: string) => (id === SOURCE_SKU ? "MCOIMP" : "DESKLESSPACK");
    sendJson(res, 200, collection((user?.skuIds ?? []).map((id) => ({ productSku: { id, name: id, skuPartNumber: skuPartNumber(id) }, servicePlans: [] }))));
  });
  server.on("GET", `${base}/orders`, (_req, res) =>
    sendJson(
      res,
      200,
      collection(
        (world.orders ?? []).map((o) => ({
          id: o.id,
          ...(o.status === undefined ? {} : { status: o.status }),
          ...(o.creationDate === undefined ? {} : { creationDate: o.creationDate }),
          lineItems: o.offerIds.map((offerId, i) => ({
            lineItemNumber: i,
            offerId,
            quantity: 1,
            ...(o.subscriptionIds?.[i] === undefined ? {} : { subscriptionId: o.subscriptionIds[i] }),
          })),
        })),
      ),
    ),
  );
  server.on("POST", `${base}/orders`, (req, res: ServerResponse) => {
    const body = req.json as { lineItems: { offerId: string; quantity: number }[] };
    const line = body.lineItems[0];
    const id = `order-${world.ordered.length + 1}`;
    world.ordered.push({
      id: `00000000-0000-4000-8000-${String(world.ordered.length + 1).padStart(12, "0")}`,
      offerId: line?.offerId ?? "",
      quantity: line?.quantity ?? 0,
      status: "active",
    });
    if (world.loseOrderResponse) {
      res.socket?.destroy();
      return;
    }
    sendJson(res, 201, {
      id,
      referenceCustomerId: CUSTOMER,
      billingCycle: "monthly",
      creationDate: "2026-11-24T00:00:00Z",
      status: "completed",
      lineItems: body.lineItems,
    });
  });
  server.on("POST", new RegExp(`^${base}/users/[^/]+/licenseupdates$`), (req, res) => {
    const refused = world.licenseUpdateStatus;
    if (refused && (refused.userId === undefined || req.path.includes(`/users/${refused.userId}/`))) return sendJson(res, refused.status, refused.body);
    // The user moves: the counts follow, as subscribedskus would report them.
    const body = req.json as { licensesToAssign: { skuId: string }[]; licensesToRemove: string[] };
    for (const id of body.licensesToRemove) world.consumed[id] = (world.consumed[id] ?? 0) - 1;
    for (const a of body.licensesToAssign) world.consumed[a.skuId] = (world.consumed[a.skuId] ?? 0) + 1;
    const user = world.holders?.find((u) => req.path.includes(`/users/${u.id}/`));
    if (user) user.skuIds = [...user.skuIds.filter((id) => !body.licensesToRemove.includes(id)), ...body.licensesToAssign.map((a) => a.skuId)];
    sendJson(res, 201, { ...body, licenseWarnings: [] });
  });

  // New commerce: catalog, carts, checkout, provisioning status (get-a-list-of-availabilities-for-a-sku,
  // create-a-cart, get-a-cart-by-id, checkout-a-cart, get-order-provisioning-status).
  server.on("GET", new RegExp("^/v1/products/[^/]+/skus/[^/]+/availabilities$"), (_req, res) =>
    sendJson(res, 200, collection(world.availabilities ?? defaultAvailabilities())),
  );
  server.on("POST", `${base}/carts`, (req, res) => {
    const id = `cart-${carts.size + 1}`;
    const lines = (req.json as { lineItems: Record<string, unknown>[] }).lineItems.map((l) => ({
      ...l,
      orderGroup: "0",
      ...(world.cartLineError ? { error: world.cartLineError } : {}),
    }));
    carts.set(id, { lineItems: lines });
    sendJson(res, 201, { id, status: "Active", lineItems: lines });
  });
  server.on("GET", new RegExp(`^${base}/carts/[^/]+$`), (req, res) => {
    const id = req.path.split("/").at(-1) ?? "";
    const cart = carts.get(id);
    if (!cart) return sendJson(res, 404, { code: 800002, description: "cart not found" });
    sendJson(res, 200, { id, status: cart.checkout ? "Ordered" : "Active", lineItems: cart.lineItems });
  });
  server.on("POST", new RegExp(`^${base}/carts/[^/]+/checkout$`), (req, res) => {
    const id = req.path.split("/").at(-2) ?? "";
    const cart = carts.get(id);
    if (!cart) return sendJson(res, 404, { code: 800002, description: "cart not found" });
    if (!cart.checkout) {
      if (world.checkoutOrderError) {
        cart.checkout = { orders: [], orderErrors: [{ orderGroupId: "0", ...world.checkoutOrderError }] };
      } else {
        const orderId = `nce-order-${carts.size}-${world.ordered.length + 1}`;
        const subs = cart.lineItems.map((l) => ({
          id: `00000000-0000-4000-9000-${String(world.ordered.length + 1).padStart(12, "0")}`,
          offerId: String(l.catalogItemId).toLowerCase(),
          quantity: Number(l.quantity),
          status: "active",
        }));
        world.ordered.push(...subs);
        placedOrders.set(orderId, subs);
        cart.checkout = {
          orders: [{ id: orderId, lineItems: cart.lineItems.map((l, i) => ({ lineItemNumber: i, offerId: l.catalogItemId, quantity: l.quantity })) }],
          orderErrors: [],
        };
      }
    }
    if (world.loseCheckoutResponse) {
      res.socket?.destroy();
      return;
    }
    sendJson(res, 201, cart.checkout);
  });
  // The order itself (get-an-order-by-id): pcplan follows it and the subscriptions list, which every
  // credential may read. `provisioning` gives its lines' state per read: all fulfilled → completed
  // (its subscriptions listed from then on); any unfulfilled → cancelled; else pending.
  server.on("GET", new RegExp(`^${base}/orders/[^/]+$`), (req, res) => {
    const id = req.path.split("/").at(-1) ?? "";
    if (!placedOrders.has(id) && !world.provisioning) return sendJson(res, 404, { code: 800002, description: "order not found" });
    const n = (polls.get(id) ?? 0) + 1;
    polls.set(id, n);
    const statuses = (world.provisioning ? world.provisioning(id, n) : [n > (world.pendingPolls ?? 0) ? "Fulfilled " : "pending"]).map((x) =>
      x.trim().toLowerCase(),
    );
    // An order the test names without placing it: one subscription per line the script reports.
    const placed =
      placedOrders.get(id) ?? statuses.map((_, i) => ({ id: `${id}-line-${i}`, offerId: TARGET_ITEM.toLowerCase(), quantity: 1, status: "active" }));
    const fulfilled = statuses.length > 0 && statuses.every((x) => x === "fulfilled");
    if (fulfilled && !placedOrders.has(id)) world.ordered.push(...placed);
    if (fulfilled) world.listOrderedSubscriptions = true;
    const status = fulfilled ? "completed" : statuses.includes("unfulfilled") ? "cancelled" : "pending";
    sendJson(res, 200, {
      id,
      status,
      lineItems: placed.map((sub, lineItemNumber) => ({
        lineItemNumber,
        offerId: sub.offerId,
        quantity: sub.quantity,
        ...(fulfilled ? { subscriptionId: sub.id } : {}),
      })),
    });
  });

  // Transitions (transition-a-new-commerce-subscription, get-transitions).
  server.on("POST", new RegExp(`^${base}/subscriptions/[^/]+/transitions$`), (req, res) => {
    const subId = req.path.split("/").at(-2) ?? "";
    const body = req.json as { toCatalogItemId: string };
    const script = world.transitionScript ?? { outcome: "completed", pollsToFinish: 0 };
    const t: ScriptedTransition = {
      operationId: `op-${subId.slice(0, 4)}-${(transitions.get(subId)?.length ?? 0) + 1}`,
      toCatalogItemId: body.toCatalogItemId,
      ...script,
      polls: 0,
    };
    transitions.set(subId, [...(transitions.get(subId) ?? []), t]);
    sendJson(res, 201, transitionBody({ ...t, polls: -1 }));
  });
  server.on("GET", new RegExp(`^${base}/subscriptions/[^/]+/transitions$`), (req, res) => {
    const subId = req.path.split("/").at(-2) ?? "";
    const op = req.query.get("operationId");
    const all = transitions.get(subId) ?? [];
    for (const t of all) if (op !== null && t.operationId === op) t.polls++;
    const list = all.filter((t) => op === null || world.ignoreOperationFilter || t.operationId === op);
    sendJson(res, 200, { transition: list.map(transitionBody) });
  });
  return () => server.requests.filter((r) => r.method !== "GET");
}

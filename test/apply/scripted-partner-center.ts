/**
 * A scripted Partner Center for executor tests: one customer's subscriptions, subscribed SKUs
 * and users held in plain data and served over real HTTP by the wire-level fake server, in the
 * reference's shapes. Tests change the data between (or during) calls to open the windows the
 * executor's guards close: a seat count changed since planning, a user still holding the
 * source, an order taken whose subscription is not listed yet.
 */
import type { ServerResponse } from "node:http";
import { sendJson, type FakeServer, type RecordedRequest } from "../helpers/fake-server.js";

export const CUSTOMER = "0c39d6d5-c70d-4c55-bc02-f620844f3fd1";
export const SOURCE_SKU = "b8b749f8-a4ef-4887-9539-c95b1eaa5db7";
export const TARGET_SKU = "4b585984-651b-448a-9e53-3b10f069cf7f";
export const SOURCE_OFFER = "5c8e4c2a-1f6f-4d3b-9b47-0a1d2c3e4f50";
export const TARGET_OFFER = "39527949-870e-4d02-b3b7-8491f762fa78";

export interface ScriptedSubscription {
  id: string;
  offerId: string;
  quantity: number;
  status: string;
}

export interface ScriptedWorld {
  subscriptions: ScriptedSubscription[];
  /** skuId → consumed units; a SKU left out is not listed by subscribedskus at all. */
  consumed: Record<string, number>;
  /** Subscriptions an order creates only once `listOrderedSubscriptions` is set (provisioning). */
  ordered: ScriptedSubscription[];
  listOrderedSubscriptions: boolean;
  /** Status (and error body) to answer licence updates with; 201 by default. */
  licenseUpdateStatus?: { status: number; body: unknown };
  /** Commit the order, then drop the connection without an answer (a lost response). */
  loseOrderResponse?: boolean;
}

const base = `/v1/customers/${CUSTOMER}`;

function subscription(s: ScriptedSubscription) {
  return {
    id: s.id,
    offerId: s.offerId,
    offerName: s.offerId === TARGET_OFFER ? "Office 365 F3" : "Skype for Business Online (Plan 1)",
    quantity: s.quantity,
    status: s.status,
    autoRenewEnabled: false,
    commitmentEndDate: "2027-03-31T00:00:00Z",
    attributes: { etag: `etag-${s.id}-${s.quantity}-${s.status}`, objectType: "Subscription" },
  };
}

function collection(items: unknown[]) {
  return { totalCount: items.length, items, links: {}, attributes: { objectType: "Collection" } };
}

export function visibleSubscriptions(w: ScriptedWorld): ScriptedSubscription[] {
  return [...w.subscriptions, ...(w.listOrderedSubscriptions ? w.ordered : [])];
}

/** Serves `world` on `server`; returns the requests that were writes, in order, for assertions. */
export function serveWorld(server: FakeServer, world: ScriptedWorld): () => RecordedRequest[] {
  const find = (id: string) => visibleSubscriptions(world).find((s) => s.id === id);
  server.on("GET", `${base}/subscriptions`, (_req, res) => sendJson(res, 200, collection(visibleSubscriptions(world).map(subscription))));
  server.on("GET", new RegExp(`^${base}/subscriptions/[^/]+$`), (req, res) => {
    const s = find(req.path.split("/").at(-1) ?? "");
    if (s) sendJson(res, 200, subscription(s));
    else sendJson(res, 404, { code: 1000, description: "not found" });
  });
  server.on("PATCH", new RegExp(`^${base}/subscriptions/[^/]+$`), (req, res) => {
    const s = find(req.path.split("/").at(-1) ?? "");
    const body = req.json as { quantity: number; status: string };
    if (!s) return sendJson(res, 404, { code: 1000, description: "not found" });
    if (req.headers["if-match"] !== subscription(s).attributes.etag) return sendJson(res, 400, { code: 2055, description: "Etag is no longer valid" });
    s.quantity = body.quantity;
    s.status = body.status;
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
  server.on("GET", `${base}/orders`, (_req, res) => sendJson(res, 200, collection([])));
  server.on("POST", `${base}/orders`, (req, res: ServerResponse) => {
    const body = req.json as { lineItems: { offerId: string; quantity: number }[] };
    const line = body.lineItems[0];
    const id = `order-${world.ordered.length + 1}`;
    world.ordered.push({ id: `00000000-0000-4000-8000-${String(world.ordered.length + 1).padStart(12, "0")}`, offerId: line?.offerId ?? "", quantity: line?.quantity ?? 0, status: "active" });
    if (world.loseOrderResponse) {
      res.socket?.destroy();
      return;
    }
    sendJson(res, 201, { id, referenceCustomerId: CUSTOMER, billingCycle: "monthly", creationDate: "2026-11-24T00:00:00Z", status: "completed", lineItems: body.lineItems });
  });
  server.on("POST", new RegExp(`^${base}/users/[^/]+/licenseupdates$`), (req, res) => {
    if (world.licenseUpdateStatus) return sendJson(res, world.licenseUpdateStatus.status, world.licenseUpdateStatus.body);
    // The user moves: the counts follow, as subscribedskus would report them.
    const body = req.json as { licensesToAssign: { skuId: string }[]; licensesToRemove: string[] };
    for (const id of body.licensesToRemove) world.consumed[id] = (world.consumed[id] ?? 0) - 1;
    for (const a of body.licensesToAssign) world.consumed[a.skuId] = (world.consumed[a.skuId] ?? 0) + 1;
    sendJson(res, 201, { ...body, licenseWarnings: [] });
  });
  return () => server.requests.filter((r) => r.method !== "GET");
}

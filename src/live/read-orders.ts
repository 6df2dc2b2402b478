import type { PartnerCenterApi } from "../partner-center/api.js";
import type { Order } from "../partner-center/types.js";
import type { PendingOrder } from "../model/live-state.js";
import type { Limit } from "../util/limit.js";

/** An order is in flight until Partner Center says it completed (order-resources: pending, completed, cancelled). */
export function isPending(o: Pick<Order, "status">): boolean {
  return statusOf(o) === "pending";
}

const statusOf = (o: Pick<Order, "status">) =>
  String(o.status ?? "pending")
    .trim()
    .toLowerCase();

/**
 * Where an order stands, read from the order itself and the customer's subscriptions — calls every
 * credential may make (`…/provisioningstatus` answers App+User credentials with the Admin agent
 * role only: learn.microsoft.com/partner-center/developer/get-order-provisioning-status).
 * `settled`: completed and every line's subscription listed; `cancelled`: Microsoft cancelled it
 * (order-resources, OrderStatus; its lines report `unfulfilled`), nothing was bought; else
 * `pending` — still processing, not visible yet (`undefined`: the read by id found nothing), or
 * completed while its subscription is not listed yet.
 */
export function orderState(
  o: Pick<Order, "status" | "lineItems"> | undefined,
  listedSubscriptionIds: ReadonlySet<string>,
): "settled" | "cancelled" | "pending" {
  if (o === undefined) return "pending";
  const status = statusOf(o);
  if (status === "cancelled") return "cancelled";
  const listed = o.lineItems.every((l) => l.subscriptionId !== undefined && listedSubscriptionIds.has(l.subscriptionId.toLowerCase()));
  return status === "completed" && listed ? "settled" : "pending";
}

/** An order by id, or undefined while Partner Center does not show it (404: it can take minutes to appear). */
export function readOrder(api: PartnerCenterApi, limit: Limit, customerId: string, orderId: string): Promise<Order | undefined> {
  return limit(() => api.getOrder(customerId, orderId)).then(
    (o): Order | undefined => o,
    (err: unknown) => {
      if ((err as { status?: unknown }).status === 404) return undefined;
      throw err;
    },
  );
}

/**
 * How far back a completed order whose subscription is not listed yet is taken as still in flight,
 * though no journal here has it, by planning and by the re-check before a purchase alike: a day,
 * far past the "delay of up to 15 minutes" the reference gives an order to appear in the
 * customer's orders (learn.microsoft.com/partner-center/developer/get-all-of-a-customer-s-orders;
 * it says nothing of how soon its subscription is listed), and short enough that an order whose
 * subscription never shows (another run's; a person's) blocks purchases for a day at most.
 */
export const ORDER_LAG_WINDOW_MS = 24 * 3_600_000;

/** What pcplan's journal knows of an order it placed: the licence skuId and seats, when it says. */
export interface JournalledOrder {
  id: string;
  skuId: string | undefined;
  quantity: number | undefined;
}

/**
 * The customer's orders not yet seen settled: those its orders list calls pending (whatever they
 * buy), plus those pcplan's journal says it placed until they are seen settled — not listed yet
 * (an order can take up to 15 minutes to be listed), or completed while their subscription is
 * not listed yet. A journalled order Microsoft cancelled is settled (nothing was bought).
 *
 * `lagSince` (ms since the epoch): an order of the list created since then is judged as a
 * journalled one — completed while its subscription is not listed yet is still in flight —
 * though no journal here has it. Another working folder's run (or a person) may have bought
 * moments ago, and the service may list the order completed before it lists what it bought
 * (issue 22: the fault soak found a second folder's purchase going ahead, and its licence proof
 * giving a moved user the source back, in exactly that window).
 */
export async function readPendingOrders(
  api: PartnerCenterApi,
  limit: Limit,
  customerId: string,
  journalled: readonly JournalledOrder[],
  listedSubscriptionIds: ReadonlySet<string>,
  skuOf: (offerId: string) => Promise<string | undefined>,
  lagSince?: number,
): Promise<PendingOrder[]> {
  const listed = await limit(() => api.listOrders(customerId));
  const byListed = new Map(listed.map((o) => [o.id.toLowerCase(), o]));
  const fromJournal = await Promise.all(
    journalled.map(async (j) => ({ j, order: byListed.get(j.id.toLowerCase()) ?? (await readOrder(api, limit, customerId, j.id)) })),
  );
  const linesOf = (o: Order) => Promise.all(o.lineItems.map(async (l) => ({ skuId: await skuOf(l.offerId), quantity: l.quantity })));
  const pending: PendingOrder[] = [];
  const journalIds = new Set(journalled.map((j) => j.id.toLowerCase()));
  const recent = (o: Order) => lagSince !== undefined && Date.parse(o.creationDate) >= lagSince;
  const inFlight = (o: Order) => isPending(o) || (recent(o) && orderState(o, listedSubscriptionIds) === "pending");
  for (const o of listed.filter(inFlight)) if (!journalIds.has(o.id.toLowerCase())) pending.push({ id: o.id, lines: await linesOf(o), seenIn: "orders" });
  for (const { j, order } of fromJournal) {
    if (orderState(order, listedSubscriptionIds) !== "pending") continue;
    pending.push({ id: order?.id ?? j.id, lines: order ? await linesOf(order) : [{ skuId: j.skuId, quantity: j.quantity }], seenIn: "journal" });
  }
  return pending;
}

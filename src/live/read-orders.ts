import type { PartnerCenterApi } from "../partner-center/api.js";
import type { Order } from "../partner-center/types.js";
import type { PendingOrder } from "../model/live-state.js";
import type { Limit } from "../util/limit.js";

/** An order is in flight until Partner Center says it completed (order-resources: pending, completed, cancelled). */
export function isPending(o: Pick<Order, "status">): boolean {
  return (
    String(o.status ?? "pending")
      .trim()
      .toLowerCase() === "pending"
  );
}

/**
 * The customer's orders still provisioning: those its orders list calls pending, plus those
 * pcplan's journal says it placed and the list does not show yet (an order can take up to 15
 * minutes to be listed) unless a read by id says they completed.
 */
export async function readPendingOrders(
  api: PartnerCenterApi,
  limit: Limit,
  customerId: string,
  journalOrderIds: readonly string[],
  skuOf: (offerId: string) => Promise<string | undefined>,
): Promise<PendingOrder[]> {
  const listed = await limit(() => api.listOrders(customerId));
  const known = new Set(listed.map((o) => o.id.toLowerCase()));
  const unlisted = journalOrderIds.filter((id) => !known.has(id.toLowerCase()));
  const byId = await Promise.all(
    unlisted.map((id) =>
      limit(() => api.getOrder(customerId, id)).then(
        (o): Order | "unseen" => o,
        (err: unknown): "unseen" => {
          if ((err as { status?: unknown }).status === 404) return "unseen";
          throw err;
        },
      ),
    ),
  );
  const pending: PendingOrder[] = [];
  for (const o of listed.filter(isPending)) pending.push({ id: o.id, skuIds: await Promise.all(o.lineItems.map((l) => skuOf(l.offerId))), seenIn: "orders" });
  for (const [i, o] of byId.entries()) {
    if (o === "unseen") pending.push({ id: unlisted[i], skuIds: [undefined], seenIn: "journal" });
    else if (isPending(o)) pending.push({ id: o.id, skuIds: await Promise.all(o.lineItems.map((l) => skuOf(l.offerId))), seenIn: "journal" });
  }
  return pending;
}

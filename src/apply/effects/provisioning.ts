import { PcplanError } from "../../errors.js";
import { orderState, readOrder } from "../../live/read-orders.js";
import type { PartnerCenterApi } from "../../partner-center/api.js";
import { unbounded } from "../../util/limit.js";
import type { CommerceContext } from "./types.js";

/**
 * What was bought (an order) or started (a transition) has not finished within
 * `--provisioning-timeout`: the customer ends "provisioning", the next run carries on. Not a
 * failure of the action; the executor tells it from one by this class.
 */
export class ProvisioningPendingError extends PcplanError {
  private constructor(
    message: string,
    /** The orders still provisioning (none for a transition). */
    readonly orderIds: readonly string[],
  ) {
    super("PROVISIONING", message);
  }

  static orders(orderIds: readonly string[], waitedMs: number): ProvisioningPendingError {
    return new ProvisioningPendingError(
      `order ${orderIds.join(", ")} is still provisioning after ${seconds(waitedMs)} s; its seats are bought. Run apply again later: it waits for the order and carries on (never buys again)`,
      orderIds,
    );
  }

  static group(name: string, waitedMs: number): ProvisioningPendingError {
    return new ProvisioningPendingError(
      `group ${name} is still being processed after ${seconds(waitedMs)} s; its licence is changed. Run apply again later: it follows the group (never changes it twice)`,
      [],
    );
  }

  static transition(subscriptionId: string, waitedMs: number): ProvisioningPendingError {
    return new ProvisioningPendingError(
      `the transition of subscription ${subscriptionId} is still running after ${seconds(waitedMs)} s; run apply again later: it follows it (never starts a second)`,
      [],
    );
  }
}

const seconds = (ms: number) => Math.round(ms / 1000);

/** Microsoft cancelled the order (status `cancelled`, its lines `unfulfilled`): the purchase failed, nothing was bought. */
export class OrderCancelledError extends PcplanError {
  constructor(readonly orderIds: readonly string[]) {
    super(
      "ORDER_CANCELLED",
      `Microsoft cancelled order ${orderIds.join(", ")} instead of provisioning it (its lines are unfulfilled): nothing was bought for it. Check the customer's account in Partner Center; the next run plans the purchase again`,
    );
  }
}

/**
 * Waits until every order is settled — completed, and every line's subscription listed — reading
 * the order itself and the customer's subscriptions, which every credential may (the provisioning
 * status answers App+User credentials with the Admin agent role only: get-order-provisioning-status).
 * Polls with backoff: 1 s, doubling, at most 30 s a wait, up to `--provisioning-timeout`. An
 * order Microsoft cancelled is a failed purchase (OrderCancelledError), never waited on.
 */
export async function awaitOrders(api: PartnerCenterApi, commerce: CommerceContext, customerId: string, orderIds: readonly string[]): Promise<void> {
  const clock = commerce.wait;
  const started = clock.now();
  let wait = 1000;
  for (;;) {
    const [orders, subscriptions] = await Promise.all([
      Promise.all(orderIds.map((id) => readOrder(api, unbounded, customerId, id))),
      api.listSubscriptions(customerId),
    ]);
    const listed = new Set(subscriptions.map((s) => s.id.toLowerCase()));
    const states = orders.map((o) => orderState(o, listed));
    const cancelled = orderIds.filter((_, i) => states[i] === "cancelled");
    if (cancelled.length > 0) throw new OrderCancelledError(cancelled);
    if (states.every((s) => s === "settled")) return;
    const waited = clock.now() - started;
    if (waited >= commerce.provisioningTimeoutMs) throw ProvisioningPendingError.orders(orderIds, waited);
    await clock.sleep(
      Math.min(wait, commerce.provisioningTimeoutMs - waited),
      `${orderIds.length === 1 ? "order" : "orders"} ${orderIds.join(", ")} provisioning`,
    );
    wait = Math.min(wait * 2, 30_000);
  }
}

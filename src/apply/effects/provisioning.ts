import { PcplanError } from "../../errors.js";
import type { PartnerCenterApi } from "../../partner-center/api.js";
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

/**
 * Waits until every line of the orders is `fulfilled` (get-order-provisioning-status; anything
 * else, in any case, is not yet), polling with backoff: 1 s, doubling, at most 30 s a wait.
 */
export async function awaitProvisioning(api: PartnerCenterApi, commerce: CommerceContext, customerId: string, orderIds: readonly string[]): Promise<void> {
  const clock = commerce.wait;
  const started = clock.now();
  let wait = 1000;
  for (;;) {
    const statuses = await Promise.all(orderIds.map((id) => api.getOrderProvisioningStatus(customerId, id)));
    if (statuses.every((lines) => lines.length > 0 && lines.every((l) => l.status.trim().toLowerCase() === "fulfilled"))) return;
    const waited = clock.now() - started;
    if (waited >= commerce.provisioningTimeoutMs) throw ProvisioningPendingError.orders(orderIds, waited);
    await clock.sleep(Math.min(wait, commerce.provisioningTimeoutMs - waited));
    wait = Math.min(wait * 2, 30_000);
  }
}

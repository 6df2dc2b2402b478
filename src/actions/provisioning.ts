import { PcplanError } from "../errors.js";
import type { CommerceContext } from "./types.js";
import type { PartnerCenterApi } from "../partner-center/api.js";

/** An order taken but not provisioned within `--provisioning-timeout`: the customer ends "provisioning", the next run carries on. */
export class ProvisioningPendingError extends PcplanError {
  constructor(
    readonly orderIds: readonly string[],
    waitedMs: number,
  ) {
    super(
      "PROVISIONING",
      `order ${orderIds.join(", ")} is still provisioning after ${Math.round(waitedMs / 1000)} s; its seats are bought. Run apply again later: it waits for the order and carries on (never buys again)`,
    );
  }
}

/**
 * Waits until every line of the orders is `fulfilled` (get-order-provisioning-status; anything
 * else, in any case, is not yet), polling with backoff: 1 s, doubling, at most 30 s a wait.
 */
export async function awaitProvisioning(api: PartnerCenterApi, commerce: CommerceContext, customerId: string, orderIds: readonly string[]): Promise<void> {
  const started = commerce.now();
  let wait = 1000;
  for (;;) {
    const statuses = await Promise.all(orderIds.map((id) => api.getOrderProvisioningStatus(customerId, id)));
    if (statuses.every((lines) => lines.length > 0 && lines.every((l) => l.status.trim().toLowerCase() === "fulfilled"))) return;
    const waited = commerce.now() - started;
    if (waited >= commerce.provisioningTimeoutMs) throw new ProvisioningPendingError(orderIds, waited);
    await commerce.sleep(Math.min(wait, commerce.provisioningTimeoutMs - waited));
    wait = Math.min(wait * 2, 30_000);
  }
}

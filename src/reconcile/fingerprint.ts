import { createHash } from "node:crypto";
import type { LiveCustomer } from "./types.js";

/**
 * A stable digest of the live state a customer's actions were computed from. Saved plans
 * carry it; `apply PLANFILE` re-reads the customer and refuses it when the digest differs.
 * Only fields that feed the diff are included, in a canonical order.
 */
export function fingerprintCustomer(c: LiveCustomer): string {
  const canonical = {
    id: c.id,
    subscriptions: [...c.subscriptions]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((s) => [s.id, s.offerId, s.skuId ?? null, s.quantity, s.status, s.commitmentEndDate ?? null]),
    skus: [...c.skus].sort((a, b) => a.skuId.localeCompare(b.skuId)).map((k) => [k.skuId, k.consumedUnits, k.totalUnits]),
    users:
      c.users === undefined
        ? null
        : [...c.users].sort((a, b) => a.id.localeCompare(b.id)).map((u) => [u.id, u.upn.toLowerCase(), [...u.skuIds].sort()]),
  };
  return "sha256:" + createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

import type { PartnerCenterApi } from "../partner-center/api.js";
import type { LiveSku, LiveUser } from "../model/live-state.js";
import { inert } from "../util/inert-text.js";
import type { LicenseBackend } from "./backend.js";
import type { Limit } from "../util/limit.js";

/**
 * Licences through Partner Center: counts from subscribedskus; holders found by reading users
 * (paged) and then each user's licences — until every consumed unit is accounted for, when the
 * caller says how many there are, else all of them; one
 * licenseupdates call per change. `limit` bounds the calls in flight.
 */
export function partnerCenterLicenses(api: PartnerCenterApi, limit: Limit): LicenseBackend {
  return {
    name: "partner-center",
    async subscribedSkus(customerId) {
      const skus = await limit(() => api.listSubscribedSkus(customerId));
      return skus.map((k): LiveSku => ({
        skuId: k.productSku.id.toLowerCase(),
        skuPartNumber: inert(k.productSku.skuPartNumber),
        consumedUnits: k.consumedUnits,
        totalUnits: k.totalUnits,
      }));
    },
    async holders(customerId, skuIds, expected) {
      const users = await limit(() => api.listUsers(customerId));
      const found: LiveUser[] = [];
      await Promise.all(
        users.map((u) =>
          limit(async () => {
            if (expected !== undefined && found.length >= expected) return;
            const held = (await api.listUserLicenses(customerId, u.id)).map((l) => l.productSku.id.toLowerCase());
            if (held.some((id) => skuIds.has(id))) found.push({ id: u.id.toLowerCase(), upn: inert(u.userPrincipalName), skuIds: held });
          }),
        ),
      );
      return found;
    },
    updateLicenses(customerId, changes) {
      return Promise.all(
        changes.map((c) =>
          limit(() => api.updateUserLicenses(customerId, c.userId, { assign: [...c.assign], remove: [...c.remove] }, { requestId: c.requestId })).then(
            () => ({ ok: true as const }),
            (error: unknown) => ({ ok: false as const, error: error instanceof Error ? error : new Error(String(error)) }),
          ),
        ),
      );
    },
  };
}

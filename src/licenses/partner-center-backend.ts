import type { PartnerCenterApi } from "../partner-center/api.js";
import type { LiveSku, LiveUser } from "../model/live-state.js";
import { inert } from "../util/inert-text.js";
import { ChangeNotSent, type LicenseBackend, type LicenseChange, type LicenseChangeOutcome } from "./backend.js";
import type { Limit } from "../util/limit.js";
import { PcplanError } from "../errors.js";
import { PartnerCenterError } from "../partner-center/errors.js";

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
    async holders(customerId, skuIds, expected, consumed) {
      // What is to come, for the request budget's shares: the users pages and a read per unit
      // consumed; once the pages are in, the reads (every user's where all are read).
      api.expect?.(customerId, 1 + (expected ?? consumed ?? 0));
      try {
        const users = await limit(() => api.listUsers(customerId));
        api.expect?.(customerId, expected ?? users.length);
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
      } finally {
        // Nothing more is to come: reads stopped early (every holder found) or failed leave no
        // share behind to favour the customer's later requests.
        api.expect?.(customerId, 0);
      }
    },
    updateLicenses: (customerId, changes) => sendUpdates(api, limit, customerId, changes),
    async reassert(customerId, userId, skuId, requestId) {
      const sku = skuId.toLowerCase();
      const [held, subscribed] = await Promise.all([limit(() => api.listUserLicenses(customerId, userId)), limit(() => api.listSubscribedSkus(customerId))]);
      const licence = held.find((l) => l.productSku.id.toLowerCase() === sku);
      if (!licence) throw new Error(`the user no longer holds ${skuId}`);
      // A user's licence lists the plans it provides; the SKU's other plans are the ones disabled on it.
      const has = new Set(licence.servicePlans.map((p) => p.id.toLowerCase()));
      const plans = subscribed.find((k) => k.productSku.id.toLowerCase() === sku)?.servicePlans ?? [];
      const disabled = plans.map((p) => p.id).filter((id) => !has.has(id.toLowerCase()));
      await limit(() => api.updateUserLicenses(customerId, userId, { assign: [skuId], remove: [], excludedPlans: { [sku]: disabled } }, { requestId }));
    },
  };
}

/**
 * One licenseupdates call per change. The first refusal of a licence a group assigns stops the
 * changes not yet sent: the others would be refused alike, and what succeeded beside them would
 * leave the customer further half moved.
 */
function sendUpdates(api: PartnerCenterApi, limit: Limit, customerId: string, changes: readonly LicenseChange[]): Promise<LicenseChangeOutcome[]> {
  let refused: PcplanError | undefined;
  return Promise.all(
    changes.map((c) =>
      limit(async (): Promise<LicenseChangeOutcome> => {
        if (refused) return { ok: false, error: new ChangeNotSent(`not sent: ${refused.message}`) };
        try {
          await api.updateUserLicenses(
            customerId,
            c.userId,
            { assign: [...c.assign], remove: [...c.remove], excludedPlans: c.disabledPlans },
            { requestId: c.requestId },
          );
          return { ok: true };
        } catch (error) {
          const held = inherited(error);
          refused ??= held;
          return { ok: false, error: held ?? (error instanceof Error ? error : new Error(String(error))) };
        }
      }),
    ),
  );
}

/**
 * Partner Center shows no groups: a licence it cannot remove because the user inherits it from a
 * group ("User license is inherited from a group membership and it cannot be removed directly
 * from the user", licensing-group-advanced) is reported as such, never retried blindly.
 */
function inherited(error: unknown): PcplanError | undefined {
  if (!(error instanceof PartnerCenterError) || !/inherited from a group/i.test(error.message)) return undefined;
  return new PcplanError("HELD_THROUGH_GROUP", "held through a group: use --license-api graph (Partner Center cannot change a licence a group assigns)");
}

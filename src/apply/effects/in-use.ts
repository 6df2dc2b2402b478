import { PcplanError } from "../../errors.js";
import type { LicenseBackend } from "../../licenses/backend.js";
import type { SkuRef } from "../../plan-file/types.js";

/** Holders named in a refusal; the rest are counted. */
const NAMED_HOLDERS = 5;

/**
 * The last check before a source subscription is retired (suspended, cancelled, renewal turned
 * off): two independent readings, taken right before the write, must agree that nobody holds the
 * SKU — the aggregate count (subscribed SKUs' consumed units) and the holders themselves (the
 * licence backend's complete list of users holding it). A count can lag or be wrong while users
 * still hold the licence (issue 22), and a holder read can miss what the count sees: either one
 * alone is not enough. Fails closed: a SKU the count does not list (although one of its
 * subscriptions is about to be retired) is a refusal, never "0 in use"; readings that disagree
 * are a refusal naming both figures.
 */
export async function assertNotInUse(licenses: LicenseBackend, customerId: string, sku: SkuRef, subscriptionId: string, verb: string): Promise<void> {
  const [skus, holders] = await Promise.all([licenses.subscribedSkus(customerId), licenses.holders(customerId, new Set([sku.skuId]))]);
  const entry = skus.find((k) => k.skuId === sku.skuId);
  const refusing = `refusing to ${verb} ${sku.skuPartNumber} subscription ${subscriptionId}`;
  if (!entry) {
    throw new PcplanError("IN_USE_UNKNOWN", `${refusing}: the subscribed SKUs do not list ${sku.skuPartNumber}, so whether users still hold it is unknown`);
  }
  const held = holders.filter((u) => u.skuIds.includes(sku.skuId));
  if (entry.consumedUnits === 0 && held.length === 0) return;
  const names = held.slice(0, NAMED_HOLDERS).map((u) => u.upn);
  const more = held.length > NAMED_HOLDERS ? `, and ${held.length - NAMED_HOLDERS} more` : "";
  const who = held.length > 0 ? ` (${names.join(", ")}${more})` : "";
  if (entry.consumedUnits !== held.length) {
    throw new PcplanError(
      "IN_USE_DISAGREE",
      `${refusing}: the readings disagree — the subscribed SKUs count ${entry.consumedUnits} consumed unit(s) of ${sku.skuPartNumber}, the ${licenses.name} licence reads find ${held.length} user(s) holding it${who}; nothing is retired until both say nobody holds it`,
    );
  }
  throw new PcplanError("IN_USE", `${refusing}: ${entry.consumedUnits} user(s) still hold ${sku.skuPartNumber}${who}`);
}

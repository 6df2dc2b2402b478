import { createHash } from "node:crypto";

export const sha256 = (value: unknown): string => "sha256:" + createHash("sha256").update(JSON.stringify(value)).digest("hex");

/** The fields of a subscription the commerce basis covers, as the wire and the live model both have them. */
interface SubscriptionFacts {
  id: string;
  offerId: string;
  status: string;
  quantity: number;
}

/**
 * What a purchase decision rests on: the customer's subscriptions (ids, offers, statuses, seats),
 * computed the same way from a fresh Partner Center answer and from the live model. A purchase
 * re-reads it right before buying and refuses when it changed; it also seeds the purchase's
 * derived request id, so a run repeating a purchase after a crash (same subscriptions, the new
 * one not listed yet) sends the same id and the service replays the order.
 */
export function commerceBasis(subscriptions: readonly SubscriptionFacts[]): string {
  return sha256(
    subscriptions
      .map((s) => [s.id.trim().toLowerCase(), s.offerId.trim().toLowerCase(), s.status.trim().toLowerCase(), s.quantity])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
}

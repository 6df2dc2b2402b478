import { createHash } from "node:crypto";

/**
 * A version-5-shaped GUID (what `MS-RequestId` expects) derived from its parts: the same
 * write planned from the same state gets the same id in every run, so the service replays it.
 */
export function derivedGuid(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\0")).digest("hex");
  const variant = ((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** The subscription fields a derived request id may rest on, as the wire and the live model both have them. */
export interface SubscriptionFacts {
  id: string;
  offerId: string;
  status: string;
  quantity: number;
}

/**
 * The state of the given subscriptions as one string (ids, offers, statuses, seats; order-free):
 * what a derived request id rests on — only the subscriptions its write concerns, so an unrelated
 * change elsewhere in the customer never gives a repeated purchase a new id.
 */
export function stateOf(subscriptions: readonly SubscriptionFacts[]): string {
  return subscriptions
    .map((s) => [s.id, s.offerId, s.status, String(s.quantity)].map((x) => x.trim().toLowerCase()).join("|"))
    .sort()
    .join(";");
}

import { createHash, randomUUID } from "node:crypto";
import type { Action } from "../reconcile/types.js";

/**
 * MS-RequestId for a write. Purchases get an id derived from the customer, the order and the
 * live-state fingerprint it was planned from: if a run dies after Partner Center took the
 * order but before pcplan saw the answer, the next run (seeing the same state, because the
 * new subscription is not listed yet) sends the same id and the service replays instead of
 * buying twice. Other writes are harmless to repeat (they fail or no-op), so they get fresh ids.
 */
export function requestIdFor(customerId: string, action: Action, fingerprint: string | undefined): string {
  if (action.kind !== "purchase" || fingerprint === undefined) return randomUUID();
  const h = createHash("sha256").update(`pcplan/purchase\0${customerId}\0${action.offerId}\0${action.quantity}\0${fingerprint}`).digest("hex");
  // Shape it as a version-5-style GUID, which is what the header expects.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

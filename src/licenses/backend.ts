/**
 * Where licence state is read and changed: Partner Center (one licences read per user) or
 * Microsoft Graph on the customer's tenant (filtered queries, `$batch`). Subscriptions, orders,
 * carts and the catalog always stay on Partner Center; both backends feed the same live model,
 * so `reconcile` never knows which one ran.
 */
import type { LiveSku, LiveUser } from "../model/live-state.js";
import type { Limit } from "../util/limit.js";

export type LicenseApi = "partner-center" | "graph";

/** One user's move: assign and remove in one call, so the user is never without service. */
export interface LicenseChange {
  userId: string;
  /** skuIds to assign (lowercase). */
  assign: readonly string[];
  /** skuIds to remove (lowercase). */
  remove: readonly string[];
  /** MS-RequestId where the API takes one. */
  requestId: string;
}

/** Per change, in order: done, or the typed error it failed with (a batch can half succeed). */
export type LicenseChangeOutcome = { ok: true } | { ok: false; error: Error };

export interface LicenseBackend {
  readonly name: LicenseApi;
  /**
   * Consumed and total units per licence SKU the customer has (Partner Center: subscribedskus;
   * Graph: subscribedSkus). `readAhead`: the SKUs whose holders are likely asked next; a backend
   * may read them in the same request (Graph: one `$batch`) for a `holders` call that follows.
   */
  subscribedSkus(customerId: string, readAhead?: ReadonlySet<string>): Promise<LiveSku[]>;
  /**
   * The users holding any of `skuIds`, each with all the skuIds they hold. With `expected`, a
   * backend may stop once that many holders are found (the consumed units say how many there
   * are); without it the read is complete. A retirement never rests on a read stopped early: the
   * aggregate count it stopped on is what the holders must confirm (issue 22).
   */
  holders(customerId: string, skuIds: ReadonlySet<string>, expected?: number): Promise<LiveUser[]>;
  /** Applies the changes (grouped as the API allows) and says, per change, how it went. */
  updateLicenses(customerId: string, changes: readonly LicenseChange[]): Promise<LicenseChangeOutcome[]>;
}

/** A backend whose calls share the given bound on calls in flight (a p-limit). */
export type LicenseBackendFactory = (limit: Limit) => LicenseBackend;

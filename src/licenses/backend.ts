/**
 * Where licence state is read and changed: Partner Center (one licences read per user) or
 * Microsoft Graph on the customer's tenant (filtered queries, `$batch`). Subscriptions, orders,
 * carts and the catalog always stay on Partner Center; both backends feed the same live model,
 * so `reconcile` never knows which one ran.
 */
import type { LiveGroup, LiveSku, LiveUser } from "../model/live-state.js";
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
  /** Service plans to keep disabled on an assigned skuId (lowercase keys); none where absent. */
  disabledPlans?: Readonly<Record<string, readonly string[]>>;
}

/**
 * A change a backend did not send because an earlier one of the same call showed the rest would
 * fail alike (Partner Center refusing a licence a group assigns): not attempted, not failed.
 */
export class ChangeNotSent extends Error {
  override readonly name = "ChangeNotSent";
}

/** Per change, in order: done, or the typed error it failed with (a batch can half succeed). */
export type LicenseChangeOutcome = { ok: true } | { ok: false; error: Error };

export interface LicenseBackend {
  readonly name: LicenseApi;
  /**
   * The customers whose licences this run will read, said before anything is read: a backend
   * may get ready for them meanwhile (Graph: each tenant's token, which its first call waits for).
   */
  prepare?(customerIds: readonly string[]): void;
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
   * aggregate count it stopped on is what the holders must confirm (issue 22). `consumed`: the
   * units consumed where every user is read all the same (a hint of the work ahead, nothing more).
   */
  holders(customerId: string, skuIds: ReadonlySet<string>, expected?: number, consumed?: number): Promise<LiveUser[]>;
  /** Applies the changes (grouped as the API allows) and says, per change, how it went. */
  updateLicenses(customerId: string, changes: readonly LicenseChange[]): Promise<LicenseChangeOutcome[]>;
  /**
   * Assigns the user a licence they already hold, with the service plans they have disabled on it
   * (read just before): a write that changes nothing, and succeeds only where the credential may
   * change this customer's licences. Throws the write's error where it is refused.
   */
  reassert(customerId: string, userId: string, skuId: string, requestId: string): Promise<void>;
  /** Groups and their licences; absent where the API shows no groups (Partner Center). */
  readonly groupLicensing?: GroupLicensing;
}

/** A group's licence change: licences to add (with the service plans disabled on each) and skuIds to remove, in one call. */
export interface GroupLicenseChange {
  groupId: string;
  add: readonly { skuId: string; disabledPlans: readonly string[] }[];
  remove: readonly string[];
  requestId: string;
}

/** How far a group's licence change is: its processing state and the members whose licences from it are in error. */
export interface GroupProgress {
  processing: string | undefined;
  errors: { userId: string; upn: string; error: string }[];
}

/** What a licence API that shows groups (Graph) can do beyond users. */
export interface GroupLicensing {
  /** The groups, with their licences and their members. */
  groups(customerId: string, groupIds: readonly string[]): Promise<LiveGroup[]>;
  /** The group's assignment changed in one call: `add` in (with disabled plans), `remove` out. */
  changeGroup(customerId: string, change: GroupLicenseChange): Promise<void>;
  progress(customerId: string, groupId: string): Promise<GroupProgress>;
  setUsageLocation(customerId: string, userId: string, usageLocation: string, requestId: string): Promise<void>;
}

/** A backend whose calls share the given bound on calls in flight (a p-limit). */
export type LicenseBackendFactory = (limit: Limit) => LicenseBackend;

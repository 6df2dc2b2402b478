/**
 * Before money is spent for a customer, may the credential do every step its actions need there?
 * A credential that may buy but not assign licences would otherwise buy the seats and then fail
 * every reassignment (the customer pays for both SKUs). What the credential may do comes from
 * src/access/ (the app's consent, the user's GDAP roles); where it cannot be read, a licence write
 * that changes nothing — re-asserting a licence a moving user holds, with the service plans it has
 * disabled (assign-licenses-to-a-user, graph/api/user-assignlicense: assigning a held licence sets
 * its disabled plans, so the same ones change nothing) — proves it.
 *
 * The proof is a real write, so it runs only where money is at stake, and only once the purchase
 * (or resize) has passed its own pre-check, right before it is sent. Run earlier, it raced other
 * runs: another folder's apply could take the user's licence away between the proof's read and
 * its write, the proof gave it back, and that run then retired the source with a holder on it.
 * After the pre-check, another run's purchase or resize has already refused this one (the
 * subscriptions changed), so no other run is moving this customer's users. Where nothing is
 * bought, the first licence write is its own proof: refused, it spends nothing, and the refusal
 * is said once for the customer (`refusedByLicenceWrites`).
 */
import { kindOf } from "../actions/registry.js";
import type { AccessCheck } from "../access/access-check.js";
import { PcplanError, type ErrorCode } from "../errors.js";
import type { Action, ReassignAction } from "../reconcile/types.js";

export type { AccessCheck };

/** A write that changes nothing and succeeds only where the credential may change the user's licences. */
export type LicenceProof = (user: ReassignAction) => Promise<void>;

/** What the executor does about access for a customer before its writes. */
export type AccessVerdict =
  | { state: "allowed" }
  | { state: "refused"; reason: string }
  /** Roles unreadable: prove with `mover`'s licence right before the first write that spends money (if any). */
  | { state: "prove"; mover: ReassignAction; how: string };

const ALLOWED: AccessVerdict = { state: "allowed" };

const needsLicences = (actions: readonly Action[]) => actions.some((a) => kindOf(a).permission === "licenses");

/** The writes that cost the partner money: a purchase, more seats. */
export const spendsMoney = (a: Action): boolean => a.kind === "purchase" || (a.kind === "resize" && a.to > a.from);

/** The answers that say the credential may not do it (a role, a consent, a token refused for the tenant). */
const REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["PC_PERMISSION", "PC_AUTHENTICATION", "GRAPH_ACCESS_DENIED", "GRAPH_TOKEN_REFUSED"]);

/**
 * The proof failed for another reason (the user's licence changed since it was read, a malformed
 * answer): that says nothing of the credential, so the customer fails, nothing bought, and the
 * error is said as it is.
 */
export class ProofFailedError extends PcplanError {
  constructor(message: string, cause: unknown) {
    super("STALE", message, undefined, { cause });
  }
}

/** The proof was refused: nothing is bought, and the customer is refused with `message`, once. */
export class AccessRefusedError extends PcplanError {
  constructor(message: string) {
    super("ACCESS_REFUSED", message);
  }
}

/** Reads what the credential may do with the customer's licences (only where its actions change licences). */
export async function accessVerdict(access: AccessCheck | undefined, customerId: string, actions: readonly Action[]): Promise<AccessVerdict> {
  if (!access || !needsLicences(actions)) return ALLOWED;
  const verdict = await access.licenceAccess(customerId);
  if (verdict.state === "verified") return ALLOWED;
  if (verdict.state === "refused")
    return {
      state: "refused",
      reason: `the credential may not change licenses in this customer's tenant: ${verdict.missing}; nothing was written for this customer`,
    };
  const mover = actions.find((a): a is ReassignAction => a.kind === "reassign");
  return mover ? { state: "prove", mover, how: verdict.how } : ALLOWED;
}

/**
 * The proof, run once for the customer however many money writes wait on it. Resolves when it
 * passed; rejects with `AccessRefusedError` when refused, `ProofFailedError` when it failed for
 * another reason.
 */
export function proofGate(v: Extract<AccessVerdict, { state: "prove" }>, prove: LicenceProof): () => Promise<void> {
  let once: Promise<void> | undefined;
  return () => (once ??= prove(v.mover).catch((err: unknown) => Promise.reject(proofError(v, err))));
}

function proofError({ mover, how }: Extract<AccessVerdict, { state: "prove" }>, err: unknown): Error {
  const why = err instanceof Error ? err.message : String(err);
  if (err instanceof PcplanError && REFUSALS.has(err.code))
    return new AccessRefusedError(
      `the credential could not be shown to change licenses in this customer's tenant (${how}): re-asserting ${mover.upn}'s ${mover.remove.skuPartNumber} licence unchanged was refused (${why}); nothing was bought or written for this customer`,
    );
  return new ProofFailedError(
    `re-asserting ${mover.upn}'s ${mover.remove.skuPartNumber} licence unchanged before the first purchase failed (${why}); nothing was bought or written for this customer. Run plan again`,
    err,
  );
}

/**
 * Where nothing was bought, the first licence write is the proof: when every write tried was
 * refused by the credential and none went through, the refusal is said once for the customer
 * (not once per user), as the proof's would be.
 */
export function refusedByLicenceWrites(applied: readonly Action[], failed: readonly { action: Action; error: string; code?: ErrorCode }[]): string | undefined {
  const first = failed[0];
  if (applied.length > 0 || !first || !failed.every((f) => f.code !== undefined && REFUSALS.has(f.code))) return undefined;
  if (!failed.some((f) => kindOf(f.action).permission === "licenses")) return undefined;
  const what = first.action.kind === "reassign" ? `${first.action.upn}'s licence change` : `the change of ${kindOf(first.action).subject(first.action)}`;
  return `the credential may not change licenses in this customer's tenant: ${what} was refused (${first.error}); nothing was written for this customer`;
}

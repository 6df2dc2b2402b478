/**
 * Before the first write for a customer, may the credential do every step its actions need
 * there? A credential that may buy but not assign licences would otherwise buy the seats and then
 * fail every reassignment (the customer pays for both SKUs). What the credential may do comes
 * from src/access/ (the app's consent, the user's GDAP roles); where it cannot be read, a licence
 * write that changes nothing — re-asserting a licence a moving user holds, with the service plans
 * it has disabled (assign-licenses-to-a-user, graph/api/user-assignlicense: assigning a held
 * licence sets its disabled plans, so the same ones change nothing) — proves it before anything
 * is bought. A refusal is said once for the customer, and nothing is written for it.
 */
import { kindOf } from "../actions/registry.js";
import type { AccessCheck } from "../access/access-check.js";
import { PcplanError, type ErrorCode } from "../errors.js";
import type { Action, ReassignAction } from "../reconcile/types.js";

export type { AccessCheck };

/** A write that changes nothing and succeeds only where the credential may change the user's licences. */
export type LicenceProof = (user: ReassignAction) => Promise<void>;

const needsLicences = (actions: readonly Action[]) => actions.some((a) => kindOf(a).permission === "licenses");

/** The answers that say the credential may not do it (a role, a consent, a token refused for the tenant). */
const REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["PC_PERMISSION", "PC_AUTHENTICATION", "GRAPH_ACCESS_DENIED", "GRAPH_TOKEN_REFUSED"]);

/**
 * The proof failed for another reason (the user's licence changed since it was read, a malformed
 * answer): that says nothing of the credential, so the customer fails, nothing written, and the
 * error is said as it is.
 */
export class ProofFailedError extends Error {}
/**
 * Why the credential may not apply these actions for the customer, or undefined when it may. Where
 * it cannot be read, the proof runs before the customer's first write, whether or not seats are
 * bought first: a refusal is then said once for the customer, not once per user.
 */
export async function accessProblem(
  access: AccessCheck | undefined,
  customerId: string,
  actions: readonly Action[],
  prove?: LicenceProof,
): Promise<string | undefined> {
  if (!access || !needsLicences(actions)) return undefined;
  const verdict = await access.licenceAccess(customerId);
  if (verdict.state === "verified") return undefined;
  if (verdict.state === "refused")
    return `the credential may not change licenses in this customer's tenant: ${verdict.missing}; nothing was written for this customer`;
  const mover = actions.find((a): a is ReassignAction => a.kind === "reassign");
  if (!prove || !mover) return undefined;
  try {
    await prove(mover);
    return undefined;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (!(err instanceof PcplanError && REFUSALS.has(err.code)))
      throw new ProofFailedError(
        `re-asserting ${mover.upn}'s ${mover.remove.skuPartNumber} licence unchanged before the first write failed (${why}); nothing was bought or written for this customer. Run plan again`,
        { cause: err },
      );
    return `the credential could not be shown to change licenses in this customer's tenant (${verdict.how}): re-asserting ${mover.upn}'s ${mover.remove.skuPartNumber} licence unchanged was refused (${why}); nothing was bought or written for this customer`;
  }
}

/**
 * What the credential may do with a customer's licences, asked before anything is planned or
 * written for it (docs/graph.md, "Who may do what"): the app's consent in the customer's tenant
 * (app-only credentials, app-consent.ts), the partner user's GDAP roles (the refresh token,
 * graph-access-check.ts), or — where neither can be read (a Partner Center token, the Partner
 * Center licence API) — nothing known yet, and a write that changes nothing proves it before the
 * first purchase (src/apply/access-check.ts).
 */
import type { LicenceAccess } from "../model/live-state.js";

export type { LicenceAccess };

export interface AccessCheck {
  /** Asked once per customer and run; the answer is kept. Throws only where the question itself failed (a network error). */
  licenceAccess(customerId: string): Promise<LicenceAccess>;
}

/** For a credential that cannot show what it may do: every customer is to be proven by a write that changes nothing. */
export function cannotTell(how: string): AccessCheck {
  return { licenceAccess: () => Promise.resolve({ state: "unverified", how }) };
}

/** One answer per customer (ids compared in lowercase); a failed question is asked again next time. */
export function askedOnce(check: AccessCheck): AccessCheck {
  const answers = new Map<string, Promise<LicenceAccess>>();
  return {
    licenceAccess(customerId) {
      const id = customerId.toLowerCase();
      let answer = answers.get(id);
      if (!answer) {
        answer = check.licenceAccess(id).catch((err: unknown) => {
          answers.delete(id);
          throw err;
        });
        answers.set(id, answer);
      }
      return answer;
    },
  };
}

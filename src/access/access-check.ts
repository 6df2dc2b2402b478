/**
 * What the engine may ask before it writes for a customer: the GDAP roles the credential holds
 * on that customer's tenant (Microsoft Entra role names: "License Administrator", …; a role
 * pcplan does not know by name comes as its template id). `undefined`: pcplan cannot tell (the
 * relationships cannot be read with this credential, or the licence API has no such view), and
 * the caller decides what not knowing means.
 */
export interface AccessCheck {
  rolesFor(customerId: string): Promise<Set<string> | undefined>;
}

/** For a connection that cannot see GDAP relationships (a bare Partner Center token). */
export const cannotTell: AccessCheck = { rolesFor: () => Promise.resolve(undefined) };

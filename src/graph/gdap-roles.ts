/**
 * The Microsoft Entra built-in roles GDAP relationships grant, by name and by template id (the
 * `roleDefinitionId` of `accessAssignments[].accessDetails.unifiedRoles`; reference page
 * "Microsoft Entra built-in roles", column Template ID), and which of them each kind of licence
 * work needs (docs/graph.md; Graph reference pages user-list, subscribedsku-list, user-assignlicense).
 */

export const GDAP_ROLE_IDS = {
  "Directory Readers": "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
  "Global Reader": "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  "Directory Writers": "9360feb5-f418-4baa-8175-e2a00bac4301",
  "User Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
  "License Administrator": "4d6ac14f-3453-41d0-bef9-a3e0c569773a",
  "Privileged Role Administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
  "Helpdesk Administrator": "729827e3-9c14-49f7-bb1b-9608f156bbb8",
} as const;

export type GdapRoleName = keyof typeof GDAP_ROLE_IDS;

const NAME_OF_ID = new Map<string, GdapRoleName>(Object.entries(GDAP_ROLE_IDS).map(([name, id]) => [id, name as GdapRoleName]));

/** A role's name from its template id; an id we do not know is returned as it came (lowercase). */
export function roleName(roleDefinitionId: string): string {
  const id = roleDefinitionId.toLowerCase();
  return NAME_OF_ID.get(id) ?? id;
}

/** Any one of these suffices: reading users and subscribed SKUs, and assigning licences. */
export const GRAPH_ROLES_NEEDED = {
  read: ["Directory Readers", "Global Reader", "Directory Writers", "User Administrator", "License Administrator"],
  write: ["License Administrator", "User Administrator", "Directory Writers"],
} as const satisfies Record<string, readonly GdapRoleName[]>;

export type GraphWork = keyof typeof GRAPH_ROLES_NEEDED;

/** `A, B or C`. */
export function anyOf(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names.at(-1) ?? ""}`;
}

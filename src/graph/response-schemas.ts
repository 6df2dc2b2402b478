/**
 * What every Graph answer must be before pcplan decides anything on it, checked as Partner
 * Center's are (src/http/validate.ts): the schemas name the fields the engine reads, tied to the
 * wire types at compile time; other fields pass unchecked. A failed check is a
 * `GraphInvalidResponseError` naming the call and the field, never a zero.
 */
import { arrayOf, count, id, objectOf, seats, text, type Schema } from "../http/schema.js";
import { schemaChecker, type ResponseValidator, type SchemaChecker } from "../http/validate.js";
import type {
  AccessAssignment,
  AssignedLicense,
  BatchAnswer,
  BatchMember,
  DelegatedAdminRelationship,
  DirectoryObject,
  GraphGroup,
  GraphUser,
  LicenseAssignmentState,
  Page,
  PrepaidUnits,
  SubscribedSku,
  UnifiedRole,
} from "./types.js";

const guid: Schema<string> = { json: { type: "string", pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$" } };
/** `@odata.nextLink` is an absolute https URL (reference page paging). */
const nextLink: Schema<string> = { json: { type: "string", pattern: "^https://" } };

// assignedlicense: skuId (Guid), disabledPlans (Guid collection).
const assignedLicense = objectOf<AssignedLicense>()({ required: ["skuId"], fields: { skuId: guid, disabledPlans: arrayOf(guid) } });

// A field that may be null: typed as its value (the wire type says `| null`), the schema lets null through.
const nullableText = { json: { type: ["string", "null"] } } as Schema<string>;
// licenseassignmentstate: skuId, assignedByGroup (null: direct), state, error, disabledPlans.
const assignmentState = objectOf<LicenseAssignmentState>()({
  required: ["skuId"],
  fields: {
    skuId: guid,
    assignedByGroup: { json: { anyOf: [guid.json, { type: "null" }] } },
    state: nullableText,
    error: nullableText,
    disabledPlans: arrayOf(guid),
  },
});

// user-list with $select=id,userPrincipalName,assignedLicenses,usageLocation,licenseAssignmentStates.
const user = objectOf<GraphUser>()({
  required: ["id", "userPrincipalName", "assignedLicenses"],
  fields: {
    id: guid,
    userPrincipalName: text,
    assignedLicenses: arrayOf(assignedLicense),
    usageLocation: nullableText,
    licenseAssignmentStates: arrayOf(assignmentState),
  },
});

// group-get with $select=id,displayName,groupTypes,membershipRule,onPremisesSyncEnabled,assignedLicenses,licenseProcessingState.
const group = objectOf<GraphGroup>()({
  required: ["id"],
  fields: {
    id: guid,
    displayName: nullableText,
    groupTypes: arrayOf(text),
    membershipRule: nullableText,
    onPremisesSyncEnabled: { json: { type: ["boolean", "null"] } },
    assignedLicenses: arrayOf(assignedLicense),
    licenseProcessingState: { json: { type: ["object", "null"], properties: { state: { type: ["string", "null"] } } } },
  },
});

// subscribedsku-list: consumedUnits and prepaidUnits.enabled are the counts reconcile uses.
const subscribedSku = objectOf<SubscribedSku>()({
  required: ["skuId", "skuPartNumber", "consumedUnits", "prepaidUnits"],
  fields: {
    skuId: guid,
    skuPartNumber: text,
    consumedUnits: seats,
    prepaidUnits: objectOf<PrepaidUnits>()({ required: ["enabled"], fields: { enabled: count, suspended: count, warning: count } }),
  },
});

function pageOf<T>(item: Schema<T>): Schema<Page<T>> {
  return objectOf<Page<T>>()({ required: ["value"], fields: { value: arrayOf(item), "@odata.nextLink": nextLink } });
}

// json-batching: each member has id and status; headers and body as the member answered.
const batchMember = objectOf<BatchMember>()({
  required: ["id", "status"],
  fields: {
    id,
    status: { json: { type: "integer", minimum: 100, maximum: 599 } } satisfies Schema<number>,
    headers: { json: { type: "object", additionalProperties: { type: "string" } } },
  },
});
const batchAnswer = objectOf<BatchAnswer>()({ required: ["responses"], fields: { responses: arrayOf(batchMember) } });

// delegatedadminrelationship-list, …-list-accessassignments, …-list-transitivememberof.
const relationship = objectOf<DelegatedAdminRelationship>()({
  required: ["id", "status", "customer"],
  fields: { id, status: text, customer: objectOf<DelegatedAdminRelationship["customer"]>()({ required: ["tenantId"], fields: { tenantId: guid } }) },
});
const unifiedRole = objectOf<UnifiedRole>()({ required: ["roleDefinitionId"], fields: { roleDefinitionId: guid } });
const accessAssignment = objectOf<AccessAssignment>()({
  required: ["status", "accessContainer", "accessDetails"],
  fields: {
    status: text,
    accessContainer: objectOf<AccessAssignment["accessContainer"]>()({ required: ["accessContainerId"], fields: { accessContainerId: guid } }),
    accessDetails: objectOf<AccessAssignment["accessDetails"]>()({ required: ["unifiedRoles"], fields: { unifiedRoles: arrayOf(unifiedRole) } }),
  },
});
const directoryObject = objectOf<DirectoryObject>()({ required: ["id"], fields: { id: guid } });

/** The answers pcplan checks, by name (the name is what messages call the answer). */
export const GRAPH_SCHEMAS = {
  usersPage: pageOf(user),
  subscribedSkus: pageOf(subscribedSku),
  batch: batchAnswer,
  relationships: pageOf(relationship),
  accessAssignments: pageOf(accessAssignment),
  memberOf: pageOf(directoryObject),
  group,
  /** group-list-members, group-list-memberswithlicenseerrors: the users among them. */
  membersPage: pageOf(user),
  /** assignLicense answers with the user: only that it is an object matters. */
  assignedUser: objectOf<{ id: string }>()({ required: ["id"], fields: { id: guid } }),
} as const;

export type GraphAnswerKind = keyof typeof GRAPH_SCHEMAS;
export type Checked<K extends GraphAnswerKind> = (typeof GRAPH_SCHEMAS)[K] extends Schema<infer T> ? T : never;

const validators: Partial<Record<GraphAnswerKind, ResponseValidator>> = {};
let checker: SchemaChecker | undefined;

/** The answer, typed (and normalised as the Partner Center checks do), or its problems as `path: problem` lines. */
export function checkGraph<K extends GraphAnswerKind>(kind: K, answer: unknown): { ok: true; value: Checked<K> } | { ok: false; problems: string[] } {
  const validate = (validators[kind] ??= (checker ??= schemaChecker()).compile(GRAPH_SCHEMAS[kind].json));
  const problems = validate(answer);
  return problems.length === 0 ? { ok: true, value: answer as Checked<K> } : { ok: false, problems };
}

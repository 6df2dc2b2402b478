/**
 * Microsoft Graph wire types pcplan reads (fields from the reference pages user-list,
 * assignedlicense, subscribedsku-list, json-batching, delegatedadminrelationship-list,
 * delegatedadminrelationship-list-accessassignments, serviceprincipal-list-transitivememberof).
 * Only what the engine decides on; Graph sends more.
 */

export interface AssignedLicense {
  skuId: string;
  disabledPlans?: string[];
}

/**
 * How one licence is held (licenseAssignmentState): `assignedByGroup` null for a direct
 * assignment, else the group it is inherited from; `error` null when assigned, else
 * CountViolation, MutuallyExclusiveViolation, DependencyViolation,
 * ProhibitedInUsageLocationViolation, UniquenessViolation or Other.
 */
export interface LicenseAssignmentState {
  skuId: string;
  assignedByGroup?: string | null;
  state?: string | null;
  error?: string | null;
  disabledPlans?: string[];
}

export interface GraphUser {
  id: string;
  userPrincipalName: string;
  assignedLicenses: AssignedLicense[];
  /** null: none set (no licence can be assigned to the user directly). */
  usageLocation?: string | null;
  licenseAssignmentStates?: LicenseAssignmentState[];
}

/** A group (group resource): its own licences, whether dynamic or synced, and its licence processing. */
export interface GraphGroup {
  id: string;
  displayName?: string | null;
  groupTypes?: string[];
  membershipRule?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  assignedLicenses?: AssignedLicense[];
  /** QueuedForProcessing, ProcessingInProgress, ProcessingComplete. */
  licenseProcessingState?: { state?: string | null } | null;
}

export interface PrepaidUnits {
  enabled: number;
  suspended?: number;
  warning?: number;
}

export interface SubscribedSku {
  skuId: string;
  skuPartNumber: string;
  consumedUnits: number;
  prepaidUnits: PrepaidUnits;
}

/** A collection page: `value`, and `@odata.nextLink` (absolute) while there are more. */
export interface Page<T> {
  value: T[];
  "@odata.nextLink"?: string;
}

export interface BatchMember {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BatchAnswer {
  responses: BatchMember[];
}

export interface DelegatedAdminRelationship {
  id: string;
  status: string;
  customer: { tenantId: string };
}

export interface UnifiedRole {
  roleDefinitionId: string;
}

export interface AccessAssignment {
  status: string;
  accessContainer: { accessContainerId: string };
  accessDetails: { unifiedRoles: UnifiedRole[] };
}

export interface DirectoryObject {
  id: string;
}

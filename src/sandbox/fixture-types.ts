/** The fixture file: what a sandbox world looks like on disk (schemas/sandbox.schema.json). */
export type Role = "admin-agent" | "sales-agent" | "helpdesk-agent";

/** GDAP roles (Microsoft Entra built-in roles) a partner credential may hold on a customer tenant. */
export type GdapRole =
  | "Directory Readers"
  | "Global Reader"
  | "Directory Writers"
  | "User Administrator"
  | "License Administrator"
  | "Privileged Role Administrator"
  | "Helpdesk Administrator";

/** Microsoft Graph application permissions the sandbox knows (the ones licence work needs; graph/permissions.ts). */
export type GraphPermission =
  | "User.Read.All"
  | "User.ReadWrite.All"
  | "Directory.Read.All"
  | "Directory.ReadWrite.All"
  | "LicenseAssignment.Read.All"
  | "LicenseAssignment.ReadWrite.All"
  | "Organization.Read.All"
  | "Organization.ReadWrite.All"
  | "Group.Read.All"
  | "GroupMember.Read.All"
  | "Group.ReadWrite.All";

export interface FixturePartner {
  id: string;
  name: string;
}

export interface FixtureServicePlan {
  id: string;
  serviceName: string;
  displayName: string;
}

export interface FixtureSku {
  id: string;
  skuPartNumber: string;
  name: string;
  servicePlans: FixtureServicePlan[];
  /** skuIds a user cannot hold beside this one (conflicting service plans): MutuallyExclusiveViolation. */
  mutuallyExclusiveWith?: string[];
}

export interface FixtureOffer {
  id: string;
  name: string;
  skuId: string;
  country: string;
  category?: string;
  isAvailableForPurchase: boolean;
  minimumQuantity: number;
  maximumQuantity: number;
  upgradeTargetOffers?: string[];
}

/**
 * A date: an ISO 8601 date-time, or one relative to the sandbox clock when the world is made
 * (`today`, `now`, `today+P127D`, `now-PT10M`; docs/sandbox.md, "Dates").
 */
export type FixtureDate = string;

export type FixtureSubscriptionStatus = "active" | "suspended" | "deleted";

export type TermDuration = "P1M" | "P1Y" | "P3Y";
export type BillingCycle = "monthly" | "annual" | "triennial";

export interface FixtureTerm {
  duration: TermDuration;
  billingCycle: BillingCycle;
}

/** A configuration a SKU is sold in: its id is the third part of the catalog item id. */
export interface FixtureAvailability {
  id: string;
  /** ISO 3166 alpha-2 markets this availability is sold in. */
  countries: string[];
  /** Default `commercial`. */
  segment?: string;
  /** Default true; false = listed but cannot be bought (cart line error 10001). */
  isPurchasable?: boolean;
  /** Default true; false = auto-renew cannot be turned on (800093). */
  isRenewable?: boolean;
  terms: FixtureTerm[];
}

export interface FixtureProductSku {
  /** Unique within the product, e.g. `0001`. */
  id: string;
  title: string;
  description?: string;
  /** The licence skuId the SKU provisions (one of `skus[].id`); omitted = the SKU has no provisioningId. */
  provisioningId?: string;
  minimumQuantity: number;
  maximumQuantity: number;
  availabilities: FixtureAvailability[];
}

/** A new-commerce product: product → SKU → availability (docs/new-commerce.md). */
export interface FixtureProduct {
  id: string;
  title: string;
  description?: string;
  /** Default true; false = the catalog answers 404 for it, though subscriptions of it still provision. */
  listed?: boolean;
  skus: FixtureProductSku[];
}

export type TransitionKind = "transition_only" | "transition_with_license_transfer";

export interface FixtureEligibilityDetail {
  transitionType: TransitionKind;
  isEligible: boolean;
  /** Microsoft's reasons when not eligible, e.g. `{ code: 3, description: "Subscription cannot be transitioned because there are conflicting services." }`. */
  errors?: { code: number; description: string }[];
  /** The transition is accepted but fails when it runs, with this error. */
  failure?: { code: number; description: string };
}

/** What `transitionEligibilities` answers for one target catalog item of a subscription. */
export interface FixtureTransitionEligibility {
  catalogItemId: string;
  eligibilities: FixtureEligibilityDetail[];
}

export interface FixtureSubscription {
  id: string;
  /** A legacy offer id (`offers[].id`) or a new-commerce catalog item `productId:skuId:availabilityId`. */
  offerId: string;
  friendlyName?: string;
  quantity: number;
  status: FixtureSubscriptionStatus;
  autoRenewEnabled: boolean;
  commitmentEndDate: FixtureDate;
  creationDate?: FixtureDate;
  suspendedAt?: FixtureDate;
  orderId?: string;
  termDuration?: TermDuration;
  billingCycle?: BillingCycle;
  /** New commerce only; default creationDate + 7 days. */
  cancellationAllowedUntilDate?: FixtureDate;
  /** New commerce only: the eligible (and ineligible) targets; default none. */
  transitionEligibilities?: FixtureTransitionEligibility[];
  /** New commerce only: the targets it may change into at its renewal (`eligibilityType=scheduled`); default none. */
  scheduledEligibilities?: FixtureTransitionEligibility[];
}

export interface FixtureOrderLine {
  offerId: string;
  quantity: number;
  friendlyName?: string;
  termDuration?: TermDuration;
}

/** An order already placed when the world starts, e.g. one still provisioning. */
export interface FixtureOrder {
  id: string;
  creationDate: FixtureDate;
  billingCycle?: BillingCycle;
  lineItems: FixtureOrderLine[];
  /** When it provisions (its subscriptions appear); absent = never, it stays pending. */
  fulfillAt?: FixtureDate;
  /** When Microsoft cancels it instead (status `cancelled`, its lines `unfulfilled`); wins over `fulfillAt`. */
  cancelAt?: FixtureDate;
}

/** 403 codes of business rules a customer can be made to answer on purchases (error-codes page). */
export type CommerceBlockCode = 13605 | 2006 | 2030 | 20002;

export interface FixtureUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  /** null: none set (no licence can be assigned to the user directly). Absent: US. */
  usageLocation?: string | null;
  /** skuIds assigned to the user directly. */
  licenses: string[];
  /**
   * Licences the user holds through a group (group-based licensing): they cannot be removed from the
   * user directly. `group`: the group's id (or a display name for a group the fixture does not
   * describe); `error`: the assignment failed (licenseAssignmentState.error), the user does not hold it.
   */
  groupLicenses?: GroupLicense[];
  /** Service plans disabled on a direct assignment, by skuId (lowercase); absent: none. */
  disabledPlans?: Record<string, string[]>;
}

/** Graph's licenseAssignmentState errors (learn.microsoft.com/graph/api/resources/licenseassignmentstate). */
export type LicenseAssignmentError =
  "CountViolation" | "MutuallyExclusiveViolation" | "DependencyViolation" | "ProhibitedInUsageLocationViolation" | "UniquenessViolation" | "Other";

export interface GroupLicense {
  skuId: string;
  group: string;
  disabledPlans?: string[];
  error?: LicenseAssignmentError;
}

/** A group, with the licences its direct members inherit (group-based licensing). */
export interface FixtureGroup {
  id: string;
  displayName: string;
  /** User ids of its direct members. */
  members: string[];
  licenses?: { skuId: string; disabledPlans?: string[] }[];
  /** A dynamic group's rule; the sandbox keeps its members as listed. */
  membershipRule?: string;
  onPremisesSyncEnabled?: boolean;
}

export interface FixtureCustomer {
  id: string;
  companyName: string;
  domain: string;
  relationshipToPartner?: string;
  /** Billing country (ISO alpha-2): the market its cart lines must be available in. Default US. */
  country?: string;
  subscriptions: FixtureSubscription[];
  users: FixtureUser[];
  groups?: FixtureGroup[];
  orders?: FixtureOrder[];
  /** Purchases (checkout, orders) answer this business-rule 403. */
  commerceBlock?: CommerceBlockCode;
  /** A checkout places no order and answers this in `orderErrors`. */
  checkoutOrderError?: { code: number; description: string };
  /** Microsoft cancels this customer's new orders (carts and legacy orders) when they would provision. */
  ordersCancelled?: boolean;
}

export interface FixtureCredential {
  token: string;
  role: Role;
  name: string;
  /**
   * GDAP roles per customer relationship: keys are customer ids or `*` (every other customer). Absent: by role —
   * admin agent every GDAP role everywhere, sales and helpdesk agents Directory Readers.
   */
  gdap?: Record<string, GdapRole[]>;
  /**
   * The credential as an app registration, for the sandbox's token endpoint (Microsoft Graph on
   * each customer tenant): its client id and secret, and optionally the partner's refresh token
   * (app+user). Absent: no Graph tokens for this credential.
   */
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /**
   * The app's consent per customer tenant (keys: customer ids or `*`, every other customer): the
   * Microsoft Graph application permissions consented there (Partner Center's application-consent
   * API, control-panel-vendor-apis). App-only tokens for a tenant carry them in `roles`; a tenant
   * without an entry issues no token to the app (AADSTS700016). Absent: consented nowhere.
   */
  consents?: Record<string, GraphPermission[]>;
  /** Customer tenants where the app was never consented, whatever `consents` says (a shorthand for tests). */
  withoutConsent?: string[];
}

export interface SandboxFixture {
  $schema?: string;
  partner: FixturePartner;
  skus: FixtureSku[];
  offers: FixtureOffer[];
  /** The new-commerce catalog; default none. */
  products?: FixtureProduct[];
  customers: FixtureCustomer[];
  credentials: FixtureCredential[];
}

import { GUID_PATTERN } from "../util/guid.js";

/**
 * The plan file JSON Schema: the single source of truth. schemas/plan.schema.json is generated
 * from it (`npx tsx scripts/generate-schema.ts`) for editors, and a test fails when they differ.
 * `patternErrorMessage` and `errorMessage` are the messages editors (VS Code's JSON and YAML
 * language servers) show; pcplan validate shows the same.
 */

/** skuPartNumbers in Microsoft's table use letters, digits, _ and a few with spaces, ( ) , / . */
const SKU_PART_NUMBER = "[A-Za-z0-9_](?:[A-Za-z0-9_ (),./+-]{0,126}[A-Za-z0-9_)])?";
const GUID_BODY = GUID_PATTERN.slice(1, -1);
export const SKU_PATTERN = `^(?:${GUID_BODY}|${SKU_PART_NUMBER})$`;
export const PLAN_NAME_PATTERN = "^[a-z0-9]+(?:-[a-z0-9]+)*$";

const skuRef = (what: string) => ({
  type: "object",
  description: `${what}: { sku: <skuPartNumber or skuId> }.`,
  additionalProperties: false,
  required: ["sku"],
  properties: {
    sku: {
      type: "string",
      description:
        'A license SKU by skuPartNumber (e.g. MCOIMP, DESKLESSPACK, M365_F1) or skuId GUID, as in Microsoft\'s table "Product names and service plan identifiers for licensing".',
      pattern: SKU_PATTERN,
      patternErrorMessage: "must be a skuPartNumber (e.g. DESKLESSPACK) or a skuId GUID",
      examples: ["MCOIMP", "DESKLESSPACK", "M365_F1", "STANDARDPACK"],
    },
  },
});

const seats = (what: string) => ({
  description: `${what} \`users\` (default): as many as the users on the target once done (users already on it plus those moved; excluded users not counted). A number: at least that many seats.`,
  anyOf: [
    { type: "string", const: "users" },
    { type: "integer", minimum: 1, maximum: 1_000_000 },
  ],
  errorMessage: 'must be "users" or a whole number of seats (1 or more)',
  examples: ["users", 25],
});

export const TERMS = ["P1M", "P1Y", "P3Y"] as const;
export const BILLING_CYCLES = ["monthly", "annual", "triennial"] as const;
export const COMMERCE = ["auto", "new", "legacy"] as const;
export const DECOMMISSION_METHODS = ["auto", "suspend", "cancel", "no-renew", "keep"] as const;
export const STRATEGIES = ["purchase", "transition", "at-renewal"] as const;
export const TERM_ENDS = ["none", "source", "calendar-month"] as const;
/** A new-commerce catalog item without its availability: `productId:skuId`, e.g. CFQ7TTC0LGZW:0001. */
export const CATALOG_ITEM_PATTERN = "^[A-Za-z0-9]{12}:[A-Za-z0-9]{4}$";

const purchase = (what: string) => ({
  type: "object",
  description: `${what}: how a missing target is bought (new commerce: a cart with this term and billing; legacy: an order).`,
  additionalProperties: false,
  properties: {
    term: { type: "string", enum: TERMS, description: "Term of a new-commerce purchase: P1M (a month), P1Y (a year) or P3Y. Default P1Y." },
    billing: {
      type: "string",
      enum: BILLING_CYCLES,
      description: "Billing cycle, which the term must offer: P1M monthly; P1Y monthly or annual; P3Y monthly, annual or triennial. Default monthly.",
    },
    country: {
      type: "string",
      pattern: "^[A-Z]{2}$",
      patternErrorMessage: "must be an ISO 3166 alpha-2 country code in capitals, e.g. GB",
      description: "Country of the catalog to buy from (ISO 3166 alpha-2). Default: the --country option (US).",
    },
    catalogItem: {
      type: "string",
      pattern: CATALOG_ITEM_PATTERN,
      patternErrorMessage: "must be a new-commerce catalog item productId:skuId, e.g. CFQ7TTC0LGZW:0001 (no availability id: that is resolved when buying)",
      description: "The new-commerce product:sku to buy. Default: looked up from the target SKU in catalog/nce-products.json.",
    },
    commerce: {
      type: "string",
      enum: COMMERCE,
      description: "auto (default): new commerce when the catalog offers the target in that country, else a purchasable legacy offer; new or legacy force one.",
    },
    termEnd: {
      type: "string",
      enum: TERM_ENDS,
      description:
        "Where a new-commerce purchase's first term ends (co-terming). none (default): the full term. source: the source subscription's term end, so the customer's renewals fall on one date. calendar-month: the last day of a calendar month. Only a date Partner Center offers for the customer (Get custom term end dates); otherwise the full term, and the preview says why. A legacy order has no custom term end.",
    },
  },
});
const decommission = (what: string) => ({
  type: "string",
  enum: DECOMMISSION_METHODS,
  description: `${what}: how a source subscription nobody holds any more is retired. auto (default): a legacy one is suspended; a new-commerce one is cancelled inside its cancellation window, else its auto-renew is turned off. suspend, cancel, no-renew force one method; keep leaves it.`,
});
const groups = (what: string) => ({
  type: "string",
  enum: ["migrate", "leave"],
  description: `${what}: migrate (default): a group holding the source has its own assignment changed (target in, source out, one call), its members are not written one by one. leave: holders through a group are listed and not moved, the source is kept and the customer is not done.`,
});
const servicePlans = (what: string) => ({
  type: "string",
  enum: ["keep", "reset"],
  description: `${what}: keep (default): service plans disabled on a holder's (or group's) source are disabled on the target too, matched by service plan name. reset: the target is given with every service plan on.`,
});
const usageLocation = (what: string) => ({
  type: "string",
  pattern: "^([A-Z]{2}|tenant)$",
  patternErrorMessage: "must be a two-letter country code in capitals (ISO 3166 alpha-2, e.g. GB) or tenant",
  description: `${what}: the usage location pcplan sets first on a user who has none and is given the target directly (a licence cannot be assigned without one). A country code (ISO 3166 alpha-2), or tenant: the customer's country. Absent: such users are reported and not moved.`,
});
const strategy = (what: string) => ({
  type: "string",
  enum: STRATEGIES,
  description: `${what}: purchase (default): buy the target, reassign every user, retire the source. transition: where the source is new commerce and Microsoft allows a transition with licence transfer to the target, one transition does it all; otherwise purchase. at-renewal: where the source is new commerce and Microsoft allows converting it to the target when its term ends, that change is scheduled instead of buying now; otherwise purchase.`,
});

export const PLAN_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "pcplan migration plan",
  description:
    "A pcplan migration plan: which Partner Center (CSP) customers move from a retiring license SKU to which target SKU. Validate with `pcplan validate`.",
  type: "object",
  additionalProperties: false,
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { type: "string", const: "pcplan/v1", description: "Plan format version: always pcplan/v1." },
    kind: { type: "string", const: "MigrationPlan", description: "Always MigrationPlan." },
    metadata: {
      type: "object",
      description: "What the plan is called and why it exists.",
      additionalProperties: false,
      required: ["name"],
      properties: {
        name: {
          type: "string",
          description: "Unique across all plans; a lowercase slug (it names files, comments and log entries), e.g. retire-skype-plan1.",
          minLength: 1,
          maxLength: 63,
          pattern: PLAN_NAME_PATTERN,
          patternErrorMessage: "must be a lowercase slug: a-z, 0-9 and single hyphens inside (e.g. retire-skype-plan1)",
        },
        description: { type: "string", maxLength: 1000, description: "Free text for reviewers: why and by when." },
      },
    },
    spec: {
      type: "object",
      description: "The migration: source SKU, default target SKU, customers and options.",
      additionalProperties: false,
      required: ["source", "target", "customers"],
      properties: {
        source: skuRef("The retiring SKU users move off"),
        target: skuRef("The default SKU users move to; a customer may override it"),
        customers: {
          type: "array",
          description: "The customers to migrate, each once across all plans. Customers not listed are never touched.",
          minItems: 1,
          maxItems: 100_000,
          items: {
            type: "object",
            description: "One customer tenant.",
            additionalProperties: false,
            required: ["id"],
            properties: {
              id: {
                type: "string",
                description: "The customer's tenant id (Partner Center customer id), a GUID.",
                pattern: GUID_PATTERN,
                patternErrorMessage: "must be a GUID (the customer's tenant id), e.g. 6b1a2f8e-5c1e-4f7e-9a57-8d0f1d2c3b4a",
              },
              name: { type: "string", minLength: 1, maxLength: 256, description: "For humans only; pcplan never matches on it." },
              target: skuRef("This customer's target SKU, overriding spec.target"),
              exclude: {
                type: "array",
                description: "User principal names (user@domain) pcplan leaves alone: they keep the source SKU.",
                maxItems: 100_000,
                items: { type: "string", minLength: 1, maxLength: 1024, description: "A user principal name, e.g. ceo@fabrikam.onmicrosoft.com." },
              },
              seats: seats("Target seats this customer must hold, overriding spec.seats:"),
              purchase: purchase("This customer's purchase settings, each overriding spec.purchase's"),
              decommission: decommission("This customer's decommission method, overriding spec.decommission"),
              strategy: strategy("This customer's strategy, overriding spec.strategy"),
              groups: groups("How this customer's group-based licences are treated, overriding spec.groups"),
              servicePlans: servicePlans("This customer's disabled service plans, overriding spec.servicePlans"),
              usageLocation: usageLocation("This customer's usage location for users without one, overriding spec.usageLocation"),
            },
          },
        },
        suspendSource: {
          type: "boolean",
          default: true,
          description: "Older form of decommission: true is decommission: auto, false is keep. Use one of the two, not both.",
        },
        purchase: purchase("Purchase settings for every customer"),
        decommission: decommission("Decommission method for every customer"),
        strategy: strategy("Migration strategy for every customer"),
        groups: groups("How group-based licences are treated for every customer"),
        servicePlans: servicePlans("Disabled service plans for every customer"),
        usageLocation: usageLocation("Usage location for users without one, for every customer"),
        seats: seats("Target seats each customer must hold:"),
        allowFeatureLoss: {
          type: "boolean",
          default: false,
          description: "Accept a target that lacks some of the source's service plans (reported as a warning instead of an error). Default false.",
        },
      },
    },
  },
} as const;

/** The text of schemas/plan.schema.json: stable key order, two-space indent, final newline. */
export function planSchemaJson(): string {
  return JSON.stringify(PLAN_SCHEMA, null, 2) + "\n";
}

/**
 * New-commerce payloads shaped as the public REST reference shows them (pages named per
 * constant; the text is re-typed from those pages, with their casing and quirks kept: the
 * `"Started "` status with a trailing space, `FromCatalogItemId` / `Events` in PascalCase, the
 * `transition` collection key, `billingCycle: "Annual"`).
 */

/** get-a-sku-by-id, "Response example for new commerce license-based services" (dynamicAttributes trimmed). */
export const SKU_BUSINESS_BASIC = {
  id: "0001",
  productId: "CFQ7TTC0LH18",
  title: "Microsoft 365 Business Basic",
  description: "Best for businesses that need professional email, cloud file storage, and online meetings & chat.",
  minimumQuantity: 1,
  maximumQuantity: 300,
  isTrial: false,
  supportedBillingCycles: ["annual", "monthly"],
  purchasePrerequisites: ["MicrosoftCloudAgreement"],
  inventoryVariables: [],
  provisioningVariables: [],
  actions: ["Refund"],
  dynamicAttributes: {
    isMicrosoftProduct: true,
    hasConstraints: true,
    isAddon: false,
    prerequisiteSkus: [],
    isSoftwareAssuranceApplicable: false,
    upgradeTargetOffers: ["CFQ7TTC0LDPB:0001", "CFQ7TTC0LF8Q:0001"],
    provisioningId: "3b555118-da6a-4418-894f-7df1e2096870",
    internal: false,
  },
  links: {
    availabilities: { uri: "/products/CFQ7TTC0LH18/skus/0001/availabilities?country=US", method: "GET", headers: [] },
    self: { uri: "/products/CFQ7TTC0LH18/skus/0001?country=US", method: "GET", headers: [] },
  },
};

/** get-a-list-of-availabilities-for-a-sku, the new-commerce example wrapped in a collection. */
export const AVAILABILITIES_BUSINESS_BASIC = {
  totalCount: 1,
  items: [
    {
      id: "CFQ7TTC0K971",
      productId: "CFQ7TTC0LH18",
      skuId: "0001",
      catalogItemId: "CFQ7TTC0LH18:0001:CFQ7TTC0K971",
      defaultCurrency: { code: "USD", symbol: "$" },
      segment: "commercial",
      country: "US",
      isPurchasable: true,
      isRenewable: true,
      renewalInstructions: [{ applicableTermIds: ["5aeco6mffyxo"], renewalOptions: [{ renewToId: "CFQ7TTC0LH18:0001", isAutoRenewable: true }] }],
      terms: [
        {
          id: "5aeco6mffyxo",
          duration: "P1Y",
          description: "One-Year commitment for monthly/yearly billing",
          billingCycle: "Annual",
          cancellationPolicies: [{ refundOptions: [{ sequenceId: 0, type: "Full", expiresAfter: "P1D" }] }],
        },
      ],
      links: { self: { uri: "/products/CFQ7TTC0LH18/skus/0001/availabilities/CFQ7TTC0K971?country=US", method: "GET", headers: [] } },
    },
  ],
  links: { self: { uri: "/products/CFQ7TTC0LH18/skus/0001/availabilities?country=US", method: "GET", headers: [] } },
  attributes: { objectType: "Collection" },
};

/** create-a-cart, "Example for new commerce license-based services", response. */
export const CART_CREATED = {
  id: "6b6ba6ea-d1ea-4c2c-9e1c-bec4f61e2049",
  creationTimestamp: "2021-02-24T19:26:06.947164Z",
  lastModifiedTimestamp: "2021-02-24T19:26:06.9471649Z",
  expirationTimestamp: "2021-03-03T19:26:09.0035129Z",
  lastModifiedUser: "004ec05e-8999-4d02-9315-2b1b667c0deb",
  status: "Active",
  lineItems: [
    {
      id: 0,
      catalogItemId: "CFQ7TTC0LFLZ:0002:CFQ7TTC0K4TS",
      quantity: 1,
      currencyCode: "USD",
      billingCycle: "monthly",
      termDuration: "P1M",
      provisioningContext: {},
      orderGroup: "0",
    },
  ],
  links: { self: { uri: "/customers/932c4101-dc08-461b-b4c1-75d80e905775/carts/6b6ba6ea-d1ea-4c2c-9e1c-bec4f61e2049", method: "GET", headers: [] } },
  attributes: { objectType: "Cart" },
};

/** create-an-order (new commerce, attestation) response: a pending order without subscriptionId. */
export const ORDER_PENDING = {
  id: "5cf72f146967",
  alternateId: "5cf72f146967",
  referenceCustomerId: "f81d98dd-c2f4-499e-a194-5619e260344e",
  billingCycle: "monthly",
  currencyCode: "USD",
  currencySymbol: "$",
  lineItems: [
    {
      lineItemNumber: 0,
      offerId: "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P",
      subscriptionId: "fcddfa52-1da8-4529-d347-50ea51e1e7be",
      termDuration: "P1M",
      transactionType: "New",
      friendlyName: "AI Builder Capacity add-on",
      quantity: 1,
    },
  ],
  creationDate: "2021-08-17T18:13:11.3122226Z",
  status: "pending",
  transactionType: "UserPurchase",
  links: {
    self: { uri: "/customers/f81d98dd-c2f4-499e-a194-5619e260344e/orders/5cf72f146967", method: "GET", headers: [] },
    provisioningStatus: { uri: "/customers/f81d98dd-c2f4-499e-a194-5619e260344e/orders/5cf72f146967/provisioningstatus", method: "GET", headers: [] },
  },
  attributes: { objectType: "Order" },
};

/** get-order-provisioning-status, response example. */
export const PROVISIONING_STATUS = {
  totalCount: 1,
  items: [{ orderLineItemId: 0, lineItemNumber: 0, status: "fulfilled", quantityProvisioningInformation: [{ quantity: 1, status: "fulfilled" }] }],
  attributes: { objectType: "Collection" },
};

/** transition-a-new-commerce-subscription, eligibility response example (subscriptionEligibilities trimmed). */
export const ELIGIBILITIES = {
  totalCount: 2,
  items: [
    {
      operationId: "1caf8ec7-62cc-4ab5-b35d-572d2a62974c",
      catalogItemId: "CFQ7TTC0KZCR:0001:CFQ7TTC0K71H",
      title: "Microsoft 365 E5 Test Sku Title",
      description: "Microsoft 365 E5 Test Sku Description",
      quantity: 1,
      eligibilities: [
        { isEligible: true, transitionType: "transition_only", errors: [] },
        {
          isEligible: false,
          transitionType: "transition_with_license_transfer",
          errors: [{ code: 3, description: "Subscription cannot be transitioned because there are conflicting services." }],
        },
      ],
      attributes: { objectType: "TransitionEligibility" },
    },
    {
      operationId: "1caf8ec7-62cc-4ab5-b35d-572d2a62974c",
      catalogItemId: "CFQ7TTC0L4M3:0001:CFQ7TTC0K78T",
      title: "Business Premium Test Sku Title",
      description: "Business Premium Test Sku Description",
      quantity: 1,
      eligibilities: [
        {
          isEligible: false,
          transitionType: "transition_with_license_transfer",
          errors: [{ code: 3, description: "Subscription cannot be transitioned because there are conflicting services." }],
        },
      ],
      attributes: { objectType: "TransitionEligibility" },
    },
  ],
  attributes: { objectType: "Collection" },
};

/** transition-a-new-commerce-subscription, POST response example (camelCase fields, `Events`). */
export const TRANSITION_STARTED = {
  fromCatalogItemId: "CFQ7TTC0LF8Q:0001:CFQ7TTC0K39X",
  fromSubscriptionId: "e487e8dc-421e-4275-cb42-3c1c8daccf70",
  toCatalogItemId: "CFQ7TTC0LF8R:0001:CFQ7TTC0KCSV",
  toSubscriptionId: "0af52192-4a2a-4364-d25b-c8ecab3a5697",
  quantity: 2,
  termDuration: "P1M",
  billingCycle: "Monthly",
  transitionType: "transition_only",
  Events: [{ name: "Conversion", status: "Started ", timestamp: "2021-01-08T18:01:14.7488618Z", attributes: { objectType: "TransitionEvent" } }],
  attributes: { objectType: "Transition" },
};

/** get-transitions, response example: `transition` list, PascalCase keys. */
export const TRANSITIONS = {
  transition: [
    {
      operationId: "1caf8ec7-62cc-4ab5-b35d-572d2a62974c",
      FromCatalogItemId: "CFQ7TTC0LDPB:0001:CFQ7TTC0LGNT",
      ToCatalogItemId: "CFQ7TTC0LF8S:0001:CFQ7TTC0K9G9",
      quantity: 1,
      transitionType: "transition_with_license_transfer",
      Events: [
        { name: "Conversion", status: "Started ", timestamp: "2021-01-08T18:01:14.7488618Z", attributes: { objectType: "TransitionEvent" } },
        { name: "Conversion", status: "Completed", timestamp: "2021-01-08T18:37:41.591855Z", attributes: { objectType: "TransitionEvent" } },
      ],
      attributes: { objectType: "Transition" },
    },
  ],
  attributes: { objectType: "Collection" },
};

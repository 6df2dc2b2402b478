/**
 * Retired SKUs that Microsoft's current table no longer lists but that partners still hold
 * and must migrate off. Each entry says where its data comes from; keep this list small.
 */
export interface SupplementSku {
  skuId: string;
  skuPartNumber: string;
  displayName: string;
  servicePlans: { id: string; name: string; displayName: string }[];
  note: string;
}

export const SUPPLEMENT_SKUS: readonly SupplementSku[] = [
  {
    // PLACEHOLDER skuId: Microsoft no longer publishes this retired SKU's id. Tenants that hold it
    // report the real id through Partner Center's subscribedskus; match those by skuPartNumber.
    skuId: "c2f52e0a-5b3c-4a8e-9d3f-0000000000a1",
    skuPartNumber: "MCOIMP_GOV",
    displayName: "Skype for Business Online (Plan 1) for Government",
    servicePlans: [
      {
        // The service plan id Microsoft's table still lists inside M365_F1_GOV (Microsoft 365 F3 GCC).
        id: "8a9f17f1-5872-44e8-9b11-3caade9dc90f",
        name: "MCOIMP_GOV",
        displayName: "Skype for Business Online (Plan 1) for Government",
      },
    ],
    note: "Government variant of MCOIMP, retired with it in 2018; skuId is a placeholder.",
  },
];

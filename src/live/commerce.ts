/** New-commerce offer ids are `productId:skuId:availabilityId`; legacy offer ids are GUIDs. */
export function isNceOfferId(offerId: string): boolean {
  return offerId.includes(":");
}

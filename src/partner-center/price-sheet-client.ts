/**
 * The partner's new-commerce price sheet through the Partner API ("Get a price sheet",
 * https://learn.microsoft.com/partner-center/developer/get-a-price-sheet):
 * `GET https://api.partner.microsoft.com/v1.0/sales/pricesheets(Market='{market}',PricesheetView='{view}')/$value`,
 * `PricesheetView` `updatedlicensebased` for licence-based new commerce; `timeline=history&month=YYYYMM`
 * for a past month (the current month otherwise). The answer is the file itself (a CSV, or a zip
 * of it only when asked with `Accept-Encoding: deflate`, which pcplan never sends). The reference
 * supports App+User credentials only (Admin Agent or Sales Agent); the token is for the resource
 * `https://api.partner.microsoft.com`, not Partner Center's.
 */
import { randomUUID } from "node:crypto";
import { DEFAULT_ENDPOINT, partnerCenterTransport, type ClientOptions } from "./client.js";

export const PRICE_SHEET_VIEW = "updatedlicensebased";
/** The Partner API beside the default Partner Center endpoint. */
export const PARTNER_API_ENDPOINT = "https://api.partner.microsoft.com/v1.0";
/** A market's licence-based sheet is tens of megabytes; Partner Center's 32 MiB cap is for JSON answers. */
const MAX_SHEET_BYTES = 256 * 1024 * 1024;

export interface PriceSheetClient {
  /** Where the sheets come from (for the cache's scope and the preview). */
  readonly endpoint: string;
  /** The CSV of one market's sheet for a month (YYYY-MM); `current`: the month the call is made in. */
  getPriceSheet(market: string, month: string, current: boolean): Promise<string>;
}

/** The Partner API beside a Partner Center endpoint: Microsoft's own, or `/v1.0` on the same host (the sandbox, a test double). */
export function priceSheetEndpoint(partnerCenterEndpoint: string): string {
  const e = partnerCenterEndpoint.replace(/\/+$/, "");
  return e === DEFAULT_ENDPOINT ? PARTNER_API_ENDPOINT : `${new URL(e).origin}/v1.0`;
}

export function priceSheetUrl(endpoint: string, market: string, month: string, current: boolean): URL {
  const m = market.toUpperCase().replace(/[^A-Z]/g, "");
  const url = new URL(`${endpoint}/sales/pricesheets(Market='${m}',PricesheetView='${PRICE_SHEET_VIEW}')/$value`);
  if (!current) {
    url.searchParams.set("timeline", "history");
    url.searchParams.set("month", month.replace("-", ""));
  }
  return url;
}

/** A client for the price sheet: Partner Center's transport (retries, budget, redaction) on the Partner API's host. */
export function createPriceSheetClient(opts: ClientOptions & { endpoint: string }): PriceSheetClient {
  const endpoint = opts.endpoint.replace(/\/+$/, "");
  const transport = partnerCenterTransport({ maxBodyBytes: MAX_SHEET_BYTES, ...opts }, endpoint, opts.correlationId ?? randomUUID());
  return {
    endpoint,
    getPriceSheet: async (market, month, current) =>
      (await transport.requestText({ method: "GET", url: priceSheetUrl(endpoint, market, month, current) })).text,
  };
}

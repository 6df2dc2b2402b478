/**
 * Prices from the partner's price sheet (src/partner-center/price-sheet-client.ts) when no
 * `--prices FILE` is given: one sheet per market (a customer's purchase country), cached in
 * `.pcplan/prices/` per endpoint, market and month, so the next run of the month asks nothing.
 * A sheet that cannot be had is said, never guessed (docs/costs.md).
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { parsePriceSheet, type PriceSheet } from "../costs/price-sheet.js";
import type { PriceSheetClient } from "../partner-center/price-sheet-client.js";
import { redact } from "../partner-center/redact.js";
import { readStateFile, writeStateFile } from "../util/state-files.js";

/** Where a run's prices come from when `--prices` is not given: the price sheet API, or why there is none. */
export type PriceSheetSource = { client: PriceSheetClient } | { unavailable: string };

/** `.pcplan/prices/<endpoint hash>-<market>-<YYYY-MM>.csv`: a sandbox's sheet is never read for the real service's. */
export function priceCachePath(stateDir: string, endpoint: string, market: string, month: string): string {
  const scope = createHash("sha256").update(endpoint.toLowerCase()).digest("hex").slice(0, 12);
  return join(stateDir, "prices", `${scope}-${market.toUpperCase()}-${month}.csv`);
}

/** What one market's sheet is called in the preview, cached or not. */
const label = (market: string, month: string) => `the price sheet ${market.toUpperCase()} ${month}`;

/**
 * One market's sheet for the month of `now`: from the cache, else from the API (then cached).
 * A string: why there is none. `wallMonth`: the month it is now (a past month is asked as history).
 */
export async function marketSheet(
  source: PriceSheetSource,
  market: string,
  now: string,
  stateDir: string,
  wallMonth = new Date().toISOString().slice(0, 7),
): Promise<PriceSheet | string> {
  if ("unavailable" in source) return source.unavailable;
  const month = now.slice(0, 7);
  const path = priceCachePath(stateDir, source.client.endpoint, market, month);
  const cached = await readStateFile(path);
  if (cached !== undefined) return parsePriceSheet(cached, label(market, month));
  let text: string;
  try {
    text = await source.client.getPriceSheet(market, month, month >= wallMonth);
  } catch (err) {
    return `the price sheet API gave no ${market.toUpperCase()} sheet (${redact(err instanceof Error ? err.message : String(err))}); price the plan with --prices FILE`;
  }
  // Parsed before it is kept: a sheet that is no price list is an error now, not a cache to trip on later.
  const sheet = parsePriceSheet(text, label(market, month));
  await writeStateFile(path, text);
  return sheet;
}

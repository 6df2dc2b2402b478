/**
 * The Partner API's price sheet call ("Get a price sheet",
 * https://learn.microsoft.com/partner-center/developer/get-a-price-sheet), as the sandbox answers
 * it: `GET /v1.0/sales/pricesheets(Market='{market}',PricesheetView='{view}')/$value`, the market a
 * two-letter country code, the view one of those the reference lists, `timeline` history |
 * current | future and `month` YYYYMM (needed with history). The answer is the file: the sheet's
 * header and the rows of that market, `application/octet-stream`, never compressed (the sandbox
 * ignores `Accept-Encoding: deflate`). App+User credentials only, Admin or Sales agent.
 * A market without rows answers the header alone (sandbox choice).
 */
import { ErrorCode, HttpError } from "../http-error.js";
import type { Reply } from "../pipeline.js";

const VIEWS = new Set(["azure_consumption", "azure_reservations", "updatedlicensebased", "licensebasedeos", "marketplace", "software"]);
const PATH = /^\/v1\.0\/sales\/pricesheets\(Market='([^']*)',PricesheetView='([^']*)'\)\/\$value\/?$/i;

/** Whether the path is the price sheet call's (then `priceSheetReply` answers it). */
export const isPriceSheetPath = (pathname: string): boolean => /^\/v1\.0\/sales\/pricesheets/i.test(pathname);

export function priceSheetReply(sheet: string | null, pathname: string, query: URLSearchParams): Reply {
  const m = PATH.exec(decodeURIComponent(pathname));
  if (!m) throw new HttpError(404, ErrorCode.notFound, `No such resource: GET ${pathname}`);
  const market = (m[1] ?? "").toUpperCase();
  const view = (m[2] ?? "").toLowerCase();
  if (!/^[A-Z]{2}$/.test(market)) throw new HttpError(400, ErrorCode.invalidInput, `Market '${m[1]}' is not a two-letter country code.`);
  if (!VIEWS.has(view)) throw new HttpError(400, ErrorCode.invalidInput, `PricesheetView '${m[2]}' is not supported.`);
  const timeline = (query.get("timeline") ?? "current").toLowerCase();
  if (!["history", "current", "future"].includes(timeline)) throw new HttpError(400, ErrorCode.invalidInput, `timeline '${timeline}' is not supported.`);
  if (timeline === "history" && !/^\d{6}$/.test(query.get("month") ?? ""))
    throw new HttpError(400, ErrorCode.invalidInput, "month (YYYYMM) is required with timeline=history.");
  if (sheet === null || view !== "updatedlicensebased") throw new HttpError(404, ErrorCode.notFound, `No ${view} price sheet for market ${market}.`);
  return { status: 200, body: undefined, file: marketRows(sheet, market), headers: { "Content-Disposition": "attachment; filename=pricesheet" } };
}

/** The header line and the lines whose Market column is the market (the demo sheet quotes no field with a comma). */
function marketRows(sheet: string, market: string): string {
  const lines = sheet.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = lines[0] ?? "";
  const col = header.split(",").findIndex((h) => h.replace(/"/g, "").trim().toLowerCase() === "market");
  const rows = lines.slice(1).filter((l) => l.trim() !== "" && (l.split(",")[col] ?? "").replace(/"/g, "").trim().toUpperCase() === market);
  return [header, ...rows].join("\n") + "\n";
}

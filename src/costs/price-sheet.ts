/**
 * The new-commerce licence-based price list, as Partner Center exports it (Pricing and offers →
 * the new commerce price list; the same file the price sheet API answers with
 * `PricesheetView='updatedlicensebased'`, https://learn.microsoft.com/partner-center/developer/get-a-price-sheet):
 * a comma-separated file whose columns include ProductId, SkuId, TermDuration, BillingPlan,
 * Market, Currency, UnitPrice, EffectiveStartDate and EffectiveEndDate. Partner Center's pricing
 * docs: "The UnitPrice amount is for the term being purchased. If a partner purchases an annual
 * term with monthly pricing, they'll be billed one-twelfth the total amount each monthly billing
 * period"; where rows repeat, the one whose effective dates hold the day is the price.
 */
import { PcplanError } from "../errors.js";

export interface PriceRow {
  productId: string;
  skuId: string;
  /** P1M, P1Y, P3Y. */
  term: string;
  /** Lowercase: monthly, annual, triennial, none. */
  billing: string;
  market: string;
  currency: string;
  /** The price of one licence for the whole term. */
  unitPrice: number;
  effectiveStart: string;
  effectiveEnd: string;
}

export interface PriceSheet {
  /** Where it came from, for the preview ("prices.csv", "price sheet API US 2026-12"). */
  source: string;
  rows: PriceRow[];
}

const REQUIRED = ["ProductId", "SkuId", "TermDuration", "BillingPlan", "Market", "Currency", "UnitPrice"] as const;

/** Reads the exported CSV (quoted or not, a byte-order mark or not); a row it cannot read is an error naming its line. */
export function parsePriceSheet(text: string, source: string): PriceSheet {
  const lines = splitCsv(text.replace(/^\uFEFF/, ""));
  const header = lines[0]?.map((h) => h.trim()) ?? [];
  const col = (name: string) => header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  const missing = REQUIRED.filter((n) => col(n) < 0);
  if (missing.length > 0) throw new PcplanError("PRICES", `${source}: not a new-commerce price list: no column ${missing.join(", ")}`);
  const at = (row: string[], name: string) => (col(name) < 0 ? "" : (row[col(name)] ?? "").trim());
  const rows: PriceRow[] = [];
  lines.slice(1).forEach((row, i) => {
    if (row.every((c) => c.trim() === "")) return;
    const unitPrice = Number(at(row, "UnitPrice"));
    if (!Number.isFinite(unitPrice) || unitPrice < 0)
      throw new PcplanError("PRICES", `${source}, line ${i + 2}: UnitPrice ${JSON.stringify(at(row, "UnitPrice"))} is not a price`);
    rows.push({
      productId: at(row, "ProductId").toUpperCase(),
      skuId: at(row, "SkuId").toUpperCase().padStart(4, "0"),
      term: at(row, "TermDuration").toUpperCase(),
      billing: at(row, "BillingPlan").toLowerCase(),
      market: at(row, "Market").toUpperCase(),
      currency: at(row, "Currency").toUpperCase(),
      unitPrice,
      effectiveStart: at(row, "EffectiveStartDate"),
      effectiveEnd: at(row, "EffectiveEndDate"),
    });
  });
  return { source, rows };
}

/** The row that prices a product:sku for a term and billing on a day; the latest start where several hold. */
export function findPrice(sheet: PriceSheet, want: { productId: string; skuId: string; term: string; billing: string }, day: string): PriceRow | undefined {
  const t = Date.parse(day);
  const holds = (r: PriceRow) => {
    const s = Date.parse(r.effectiveStart);
    const e = Date.parse(r.effectiveEnd);
    return (Number.isNaN(s) || s <= t) && (Number.isNaN(e) || t <= e);
  };
  return sheet.rows
    .filter(
      (r) =>
        r.productId === want.productId.toUpperCase() &&
        r.skuId === want.skuId.toUpperCase() &&
        r.term === want.term.toUpperCase() &&
        r.billing === want.billing.toLowerCase(),
    )
    .filter(holds)
    .sort((a, b) => (Date.parse(b.effectiveStart) || 0) - (Date.parse(a.effectiveStart) || 0))[0];
}

/** RFC 4180 fields: quotes, doubled quotes, commas and newlines inside quotes. */
function splitCsv(text: string): string[][] {
  const rows: string[][] = [[]];
  let field = "";
  let quoted = false;
  const endField = () => {
    rows[rows.length - 1]?.push(field);
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (quoted || (ch !== "," && ch !== "\n" && ch !== "\r")) {
      field += ch;
    } else if (ch === ",") {
      endField();
    } else if (ch === "\n" || text[i + 1] !== "\n") {
      endField();
      rows.push([]);
    }
  }
  endField();
  return rows.filter((r) => r.some((f) => f !== ""));
}

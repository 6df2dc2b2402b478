/**
 * `--prices FILE` (the new-commerce price list as Partner Center exports it) and the money guard
 * rail `--max-monthly-increase AMOUNT`: both at the edge; the figures come from src/costs/.
 */
import { readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { InvalidArgumentError } from "commander";
import { computeCosts, mergeCostReports, money, type CostReport } from "../costs/compute-costs.js";
import { parsePriceSheet, type PriceSheet } from "../costs/price-sheet.js";
import { PcplanError } from "../errors.js";
import type { CustomerPlan, LiveState } from "../reconcile/types.js";
import type { MigrationPlan } from "../plan-file/types.js";
import { STATE_DIR, type Connection } from "./connection.js";
import { marketSheet, type PriceSheetSource } from "./price-sheets.js";

export interface PriceFlags {
  prices?: string;
  maxMonthlyIncrease?: number;
}

export async function loadPrices(file: string): Promise<PriceSheet> {
  const text = await readFile(resolve(file), "utf8").catch((err: unknown) => {
    throw new PcplanError("PRICES", `--prices ${file}: ${(err as Error).message}`);
  });
  return parsePriceSheet(text, basename(file));
}

/** Without `--prices FILE`: the connection's price sheets, one per market. */
export interface PriceContext {
  /** The connection's source (absent: none, and the preview says nothing of costs). */
  source: PriceSheetSource | undefined;
  /** A customer's market: its purchase country. */
  marketOf(customerId: string): string;
  /** `.pcplan/`, where sheets are cached. */
  stateDir: string;
}

/** The price context of a run: the connection's source, each planned customer's purchase country (else `--country`), `.pcplan/`. */
export function priceContext(conn: Pick<Connection, "prices">, plans: readonly MigrationPlan[], country: string, cwd = process.cwd()): PriceContext {
  const markets = new Map(plans.flatMap((p) => p.customers.map((c) => [c.id, c.purchase.country ?? country] as const)));
  return { source: conn.prices, marketOf: (id) => markets.get(id) ?? country, stateDir: join(cwd, STATE_DIR) };
}

/** The kinds that change what is billed; a plan with none of them asks for no price sheet. */
const PRICED: ReadonlySet<string> = new Set(["purchase", "resize", "no-renew", "cancel", "transition", "schedule"]);

/**
 * What the plan costs: from `--prices FILE`, else from the price sheet API (`ctx`) when some
 * customer's actions change the bill; undefined when neither applies. Nothing is guessed: a sheet
 * that cannot be had is said (`unpriced`, or per customer under `missing`).
 */
export async function costsOf(
  flags: PriceFlags,
  customers: readonly CustomerPlan[],
  live: LiveState,
  now: string,
  ctx?: PriceContext,
): Promise<CostReport | undefined> {
  if (flags.prices !== undefined) return computeCosts(customers, live, await loadPrices(flags.prices), now);
  const priced = customers.filter((c) => c.actions.some((a) => PRICED.has(a.kind)));
  if (!ctx?.source || priced.length === 0) return undefined;
  return sheetCosts(ctx, ctx.source, priced, live, now);
}

async function sheetCosts(ctx: PriceContext, source: PriceSheetSource, customers: readonly CustomerPlan[], live: LiveState, now: string): Promise<CostReport> {
  const markets = new Map<string, CustomerPlan[]>();
  for (const c of customers) {
    const m = ctx.marketOf(c.customerId).toUpperCase();
    markets.set(m, [...(markets.get(m) ?? []), c]);
  }
  const parts: CostReport[] = [];
  const whys = new Set<string>();
  let failed = 0;
  for (const [market, group] of markets) {
    const sheet = await marketSheet(source, market, now, ctx.stateDir);
    if (typeof sheet !== "string") parts.push(computeCosts(group, live, sheet, now));
    else {
      whys.add(sheet);
      failed++;
      const part = computeCosts(group, live, { source: sheet, rows: [] }, now);
      parts.push({ ...part, customers: part.customers.map((c) => ({ ...c, missing: [sheet] })) });
    }
  }
  const merged = mergeCostReports(
    parts,
    customers.map((c) => c.customerId),
  );
  return failed === markets.size ? { ...merged, unpriced: [...whys].join("; ") } : merged;
}

/** A money amount ≥ 0, e.g. 500 or 499.99. */
export function amountOption(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected an amount ≥ 0, got "${value}"`);
  return n;
}

/**
 * `--max-monthly-increase`: refuses the apply, before any write, when what it adds to the monthly
 * bill exceeds the amount, naming each customer that adds to it. Fails closed: without a price
 * list, or where the list does not price what is bought, nothing is applied.
 */
export async function checkMonthlyIncrease(
  flags: PriceFlags,
  customers: readonly CustomerPlan[],
  live: LiveState,
  now: string,
  ctx?: PriceContext,
): Promise<void> {
  if (flags.maxMonthlyIncrease === undefined) return;
  const max = flags.maxMonthlyIncrease;
  const report = await costsOf(flags, customers, live, now, ctx);
  // With a price sheet source and nothing that changes the bill, nothing is added to it.
  if (!report && flags.prices === undefined && ctx?.source) return;
  if (!report || report.unpriced !== undefined) {
    const why = report?.unpriced ?? "it needs --prices FILE (or the price sheet API) to know what the plan costs";
    throw new PcplanError("MAX_MONTHLY_INCREASE", `--max-monthly-increase ${max}: ${why}; nothing was applied`);
  }
  const unpriced = report.customers.filter((c) => c.missing.length > 0 && customers.find((p) => p.customerId === c.customerId)?.actions.length);
  if (unpriced.length > 0) {
    const names = unpriced.map((c) => `${c.name} (${c.missing.join("; ")})`).join(", ");
    throw new PcplanError(
      "MAX_MONTHLY_INCREASE",
      `--max-monthly-increase ${max}: ${report.source} does not price what the plan changes for ${names}; nothing was applied`,
    );
  }
  if (report.total.monthlyIncrease <= max) return;
  const adding = report.customers
    .filter((c) => c.monthlyIncrease > 0)
    .sort((a, b) => b.monthlyIncrease - a.monthlyIncrease)
    .map((c) => `${c.name} +${money(c.monthlyIncrease)}`);
  throw new PcplanError(
    "MAX_MONTHLY_INCREASE",
    `the plan adds ${money(report.total.monthlyIncrease)} ${report.currency} a month, more than --max-monthly-increase ${money(max)}: ${adding.join(", ")}; nothing was applied`,
  );
}

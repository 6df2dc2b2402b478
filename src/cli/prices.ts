/**
 * `--prices FILE` (the new-commerce price list as Partner Center exports it) and the money guard
 * rail `--max-monthly-increase AMOUNT`: both at the edge; the figures come from src/costs/.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { InvalidArgumentError } from "commander";
import { computeCosts, money, type CostReport } from "../costs/compute-costs.js";
import { parsePriceSheet, type PriceSheet } from "../costs/price-sheet.js";
import { PcplanError } from "../errors.js";
import type { CustomerPlan, LiveState } from "../reconcile/types.js";

export interface PriceFlags {
  prices?: string;
  maxMonthlyIncrease?: number;
}

export async function loadPrices(file: string): Promise<PriceSheet> {
  const text = await readFile(file, "utf8").catch((err: unknown) => {
    throw new PcplanError("PRICES", `--prices ${file}: ${(err as Error).message}`);
  });
  return parsePriceSheet(text, basename(file));
}

/** What the plan costs, when `--prices` names a price list; undefined otherwise (nothing is guessed). */
export async function costsOf(flags: PriceFlags, customers: readonly CustomerPlan[], live: LiveState, now: string): Promise<CostReport | undefined> {
  return flags.prices === undefined ? undefined : computeCosts(customers, live, await loadPrices(flags.prices), now);
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
export async function checkMonthlyIncrease(flags: PriceFlags, customers: readonly CustomerPlan[], live: LiveState, now: string): Promise<void> {
  if (flags.maxMonthlyIncrease === undefined) return;
  const max = flags.maxMonthlyIncrease;
  const report = await costsOf(flags, customers, live, now);
  if (!report)
    throw new PcplanError("MAX_MONTHLY_INCREASE", `--max-monthly-increase ${max} needs --prices FILE to know what the plan costs; nothing was applied`);
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

/**
 * What a plan costs, per customer, from the partner's new-commerce price list (price-sheet.ts).
 * Pure: the diff's actions, the live subscriptions and the prices in, figures out; a price the
 * list does not have is named, never guessed.
 * - New seats (purchase, resize, transition): seats × the list's UnitPrice for the term, per
 *   month (the term's price spread over its months, as Partner Center bills monthly billing). A
 *   co-termed purchase (`purchase.termEnd`) pays the same a month for a shorter, prorated first
 *   term: its detail names the end and the months until it.
 * - The overlap of buying now: the source's seats stay billed until its term ends when pcplan
 *   turns its renewal off (or keeps it); a cancellation inside the window refunds the rest of
 *   the term, prorated by day (new-commerce cancellation policy: "if you cancel on the third day,
 *   the refund will be for the remaining paid period minus the three days",
 *   https://learn.microsoft.com/partner-center/customers/new-commerce-cancellation-policy).
 * - The saving of `at-renewal`: the target seats a purchase would pay for until the renewal.
 */
import type { Action, CustomerPlan, LiveState, LiveSubscription } from "../reconcile/types.js";
import type { CostReport, CustomerCost } from "../model/cost-report.js";
import { daysBetween } from "../util/dates.js";
import { findPrice, type PriceSheet } from "./price-sheet.js";

export type { CostReport, CustomerCost } from "../model/cost-report.js";

const MONTH_DAYS = 365 / 12;
const TERM_MONTHS: Record<string, number> = { P1M: 1, P1Y: 12, P3Y: 36 };

export function computeCosts(customers: readonly CustomerPlan[], live: LiveState, sheet: PriceSheet, now: string): CostReport {
  const rows = customers.map((c) => customerCost(c, live.customers.get(c.customerId)?.subscriptions ?? [], sheet, now));
  const sum = (f: (c: CustomerCost) => number) => round(rows.reduce((n, c) => n + f(c), 0));
  return {
    currency: sheet.rows[0]?.currency ?? "",
    source: sheet.source,
    customers: rows,
    total: { monthlyIncrease: sum((c) => c.monthlyIncrease), overlap: sum((c) => c.overlap), refund: sum((c) => c.refund), saving: sum((c) => c.saving) },
  };
}

const FIGURES = ["monthlyIncrease", "overlap", "refund", "saving"] as const;

/**
 * One report of several, one per market (each market has its own sheet and currency): the
 * customers in the order given, the totals over those priced in the first currency found. A
 * customer priced in another currency is shown without figures, and says so: sums across
 * currencies would be no sum at all.
 */
export function mergeCostReports(parts: readonly CostReport[], order: readonly string[]): CostReport {
  const currency = parts.find((p) => p.currency !== "")?.currency ?? "";
  const customers = parts.flatMap((p) => (p.currency === "" || p.currency === currency ? p.customers : p.customers.map((c) => otherCurrency(c, p))));
  const at = (id: string) => order.indexOf(id);
  customers.sort((a, b) => at(a.customerId) - at(b.customerId));
  const sum = (k: (typeof FIGURES)[number]) => round(customers.reduce((n, c) => n + c[k], 0));
  return {
    currency,
    source: [...new Set(parts.map((p) => p.source))].join(", "),
    customers,
    total: { monthlyIncrease: sum("monthlyIncrease"), overlap: sum("overlap"), refund: sum("refund"), saving: sum("saving") },
  };
}

function otherCurrency(c: CustomerCost, p: CostReport): CustomerCost {
  const note = `priced in ${p.currency} (${p.source}): +${money(c.monthlyIncrease)} ${p.currency} a month, left out of the total`;
  return { ...c, monthlyIncrease: 0, overlap: 0, refund: 0, saving: 0, missing: [note, ...c.missing] };
}

interface Priced {
  /** Per licence per month. */
  monthly: number;
  /** Per licence for the whole term. */
  term: number;
  termDays: number;
}

function customerCost(c: CustomerPlan, subs: readonly LiveSubscription[], sheet: PriceSheet, now: string): CustomerCost {
  const out: CustomerCost = { customerId: c.customerId, name: c.name, monthlyIncrease: 0, overlap: 0, refund: 0, saving: 0, details: [], missing: [] };
  const price = (item: string, term: string, billing: string, what: string): Priced | undefined => {
    const [productId = "", skuId = ""] = item.split(":");
    const row = findPrice(sheet, { productId, skuId, term, billing }, now);
    if (!row) {
      out.missing.push(`${what} (${productId}:${skuId}, ${term} billed ${billing})`);
      return undefined;
    }
    const months = TERM_MONTHS[term.toUpperCase()] ?? 12;
    return { monthly: row.unitPrice / months, term: row.unitPrice, termDays: months * MONTH_DAYS };
  };
  const sub = (id: string) => subs.find((s) => s.id === id);
  for (const a of c.actions) costOf(a, { out, price, sub, now, sourceEnd: c.sourceEndDate });
  for (const k of FIGURES) out[k] = round(out[k]);
  return out;
}

interface Ctx {
  out: CustomerCost;
  price(item: string, term: string, billing: string, what: string): Priced | undefined;
  sub(id: string): LiveSubscription | undefined;
  now: string;
  sourceEnd: string | undefined;
}

const monthsUntil = (now: string, end: string | undefined) => (end === undefined ? 0 : Math.max(0, daysBetween(now, end)) / MONTH_DAYS);

function sourcePrice(ctx: Ctx, s: LiveSubscription | undefined, what: string): Priced | undefined {
  if (!s || s.commerce !== "nce") {
    if (s) ctx.out.missing.push(`${what} (legacy subscription ${s.id}: not on the new-commerce price list)`);
    return undefined;
  }
  return ctx.price(s.offerId, s.termDuration ?? "P1Y", s.billingCycle ?? "monthly", what);
}

/** New seats bought: the monthly price; a co-termed one says its shorter first term. */
function purchaseCost(a: Extract<Action, { kind: "purchase" }>, ctx: Ctx): void {
  const { out } = ctx;
  if (a.commerce !== "new") return void out.missing.push(`${a.sku.skuPartNumber} (a legacy order: not on the new-commerce price list)`);
  const p = ctx.price(a.catalogItem, a.term, a.billing, a.sku.skuPartNumber);
  if (!p) return;
  out.monthlyIncrease += a.quantity * p.monthly;
  out.details.push(`${a.quantity} × ${a.sku.skuPartNumber} at ${money(p.monthly)} a month`);
  // Co-termed: the same monthly price, for a shorter first term ("prorated to end on this date", cart-resources).
  if (a.termEnd) {
    const months = monthsUntil(ctx.now, a.termEnd.date);
    out.details.push(`first term prorated to end ${a.termEnd.date.slice(0, 10)} (${months.toFixed(1)} months at that price, then the full ${a.term} term)`);
  }
}

function costOf(a: Action, ctx: Ctx): void {
  const { out } = ctx;
  switch (a.kind) {
    case "purchase":
      return purchaseCost(a, ctx);
    case "resize": {
      const s = ctx.sub(a.subscriptionId);
      const p = sourcePrice(ctx, s, a.sku.skuPartNumber);
      if (!p) return;
      out.monthlyIncrease += (a.to - a.from) * p.monthly;
      out.details.push(`${a.to - a.from} more × ${a.sku.skuPartNumber} at ${money(p.monthly)} a month`);
      return;
    }
    case "no-renew": {
      const p = sourcePrice(ctx, ctx.sub(a.subscriptionId), a.sku.skuPartNumber);
      if (!p) return;
      const months = monthsUntil(ctx.now, a.commitmentEndDate ?? undefined);
      out.overlap += a.quantity * p.monthly * months;
      out.details.push(
        `overlap: ${a.quantity} × ${a.sku.skuPartNumber} billed until ${a.commitmentEndDate?.slice(0, 10) ?? "its term end"} (${months.toFixed(1)} months)`,
      );
      return;
    }
    case "cancel": {
      const s = ctx.sub(a.subscriptionId);
      const p = sourcePrice(ctx, s, a.sku.skuPartNumber);
      if (!p || !s?.commitmentEndDate) return;
      const left = Math.max(0, daysBetween(ctx.now, s.commitmentEndDate));
      out.refund += a.quantity * p.term * Math.min(1, left / p.termDays);
      out.details.push(`refund: ${a.quantity} × ${a.sku.skuPartNumber}, the ${left} days of the term left`);
      return;
    }
    case "transition": {
      const to = ctx.price(a.toCatalogItemId, a.term, a.billing, a.to.skuPartNumber);
      const from = sourcePrice(ctx, ctx.sub(a.subscriptionId), a.from.skuPartNumber);
      if (!to || !from) return;
      out.monthlyIncrease += a.quantity * (to.monthly - from.monthly);
      out.details.push(`${a.quantity} × ${a.from.skuPartNumber} → ${a.to.skuPartNumber}: ${money(to.monthly - from.monthly)} a month more each`);
      return;
    }
    case "schedule": {
      const to = ctx.price(a.toCatalogItemId, a.term, a.billing, a.to.skuPartNumber);
      if (!to) return;
      const months = monthsUntil(ctx.now, a.renewsOn);
      out.saving += a.quantity * to.monthly * months;
      out.details.push(
        `at renewal on ${a.renewsOn.slice(0, 10)}: ${a.quantity} × ${a.to.skuPartNumber} at ${money(to.monthly)} a month, none paid before (${months.toFixed(1)} months)`,
      );
      return;
    }
    default:
      return;
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
export const money = (n: number) => n.toFixed(2);

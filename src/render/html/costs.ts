/**
 * What the plan costs (src/costs/), on the plan preview page: one row per customer whose figures
 * are not all zero (a month now, the overlap until the source ends, the refund, the saving of
 * `at-renewal`, what is not priced) and the plan's total; or why nothing is priced. Every figure
 * and name goes through the `html` tag (escaped), as everything else on the page. The figures
 * come in as plain data (src/model/cost-report.ts): src/costs/ is a peer of render/.
 */
import type { CostReport, CustomerCost } from "../../model/cost-report.js";
import { html, type Html } from "./html.js";
import { breakable } from "./wrap.js";

const money = (n: number) => n.toFixed(2);

const shown = (c: CustomerCost) => c.monthlyIncrease !== 0 || c.overlap > 0 || c.refund > 0 || c.saving > 0 || c.missing.length > 0;

/** Empty where a figure is zero: the eye finds what costs. */
const figure = (n: number, label: string, sign = "") =>
  html`<td class="num" data-label="${label}">${n === 0 ? html`<span class="muted">–</span>` : `${sign}${money(n)}`}</td>`;

function costRow(c: CustomerCost): Html {
  const notPriced =
    c.missing.length > 0 ? html`<ul class="notes">${c.missing.map((m) => html`<li class="note-warning">not priced: ${breakable(m)}</li>`)}</ul>` : "";
  return html`<tr data-customer="${c.customerId}"><th scope="row" data-label="Customer"><span class="name">${c.name}</span><code class="id">${c.customerId}</code>${notPriced}</th>${[
    figure(c.monthlyIncrease, "A month now", "+"),
    figure(c.overlap, "Overlap"),
    figure(c.refund, "Refund"),
    figure(c.saving, "At-renewal saves"),
  ]}</tr>`;
}

/** The costs card of the plan preview; nothing without a cost report. */
export function renderCosts(r: CostReport | undefined): Html {
  if (!r) return html``;
  if (r.unpriced !== undefined)
    return html`<section class="card costs" aria-labelledby="costs-h"><h2 id="costs-h">Costs</h2><p class="not-priced">Not priced: ${breakable(r.unpriced)}</p></section>`;
  const t = r.total;
  return html`<section class="card costs" aria-labelledby="costs-h"><h2 id="costs-h">Costs</h2>
<div class="table-wrap"><table class="costs">
<caption>${r.currency || "no currency"}, from ${r.source}</caption>
<thead><tr><th scope="col">Customer</th><th scope="col" class="num">A month now</th><th scope="col" class="num">Overlap</th><th scope="col" class="num">Refund</th><th scope="col" class="num">At-renewal saves</th></tr></thead>
<tbody>${r.customers.filter(shown).map(costRow)}</tbody>
<tfoot><tr class="total"><th scope="row">Total</th>${[figure(t.monthlyIncrease, "A month now", "+"), figure(t.overlap, "Overlap"), figure(t.refund, "Refund"), figure(t.saving, "At-renewal saves")]}</tr></tfoot>
</table></div>
</section>`;
}

/** The header chip: what the plan adds a month, or that it is not priced. */
export function costChip(r: CostReport | undefined): string {
  if (!r) return "";
  if (r.unpriced !== undefined) return "costs not priced";
  return `costs +${money(r.total.monthlyIncrease)}${r.currency ? ` ${r.currency}` : ""} a month`;
}

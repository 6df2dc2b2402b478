import { money, type CostReport, type CustomerCost } from "./compute-costs.js";
import { inertMarkdown } from "../util/inert-text.js";

/** One customer's figures in words: what changes a month, the overlap, the refund, the saving; what is not priced. */
export function costLine(c: CustomerCost, currency: string): string {
  // Where something is not priced, a figure is only what is priced: never "+0.00" for the unknown.
  const monthly = `+${money(c.monthlyIncrease)}${currency ? ` ${currency}` : ""} a month now`;
  const parts = c.missing.length === 0 ? [monthly] : c.monthlyIncrease !== 0 ? [`${monthly} for what is priced`] : [];
  if (c.overlap > 0) parts.push(`overlap ${money(c.overlap)} until the source ends`);
  if (c.refund > 0) parts.push(`refund ${money(c.refund)} for cancelling the source`);
  if (c.saving > 0) parts.push(`saves ${money(c.saving)} against buying now`);
  if (c.missing.length > 0) parts.push(`not priced: ${c.missing.join("; ")}`);
  return parts.join("; ");
}

export function totalLine(r: CostReport): string {
  const t = r.total;
  const unpriced = r.customers.filter((c) => c.missing.length > 0).length;
  const partly =
    unpriced === 0 ? "" : ` Not priced in full: ${unpriced} customer${unpriced === 1 ? "" : "s"} (above); the total leaves out what is not priced.`;
  return `Total: +${money(t.monthlyIncrease)}${r.currency ? ` ${r.currency}` : ""} a month; overlap ${money(t.overlap)}; refunds ${money(t.refund)}; at-renewal saves ${money(t.saving)}.${partly}`;
}

const worthShowing = (c: CustomerCost) => c.monthlyIncrease !== 0 || c.overlap > 0 || c.refund > 0 || c.saving > 0 || c.missing.length > 0;

/** The cost section of the text preview. */
export function renderCostsText(r: CostReport): string {
  if (r.unpriced !== undefined) return `Costs: not priced: ${r.unpriced}\n`;
  const lines = [`Costs (${r.currency || "no currency"}, from ${r.source}):`];
  for (const c of r.customers.filter(worthShowing)) {
    lines.push(`  ${c.name}: cost ${costLine(c, r.currency)}`);
    for (const d of c.details) lines.push(`    ${d}`);
  }
  lines.push(totalLine(r));
  return lines.join("\n") + "\n";
}

/**
 * The cost section of the markdown preview (the PR comment): a "cost" line per customer and a
 * total, within `room` characters (what the comment has left after the preview): customers that
 * do not fit are counted in a closing line, never cut mid-line.
 */
export function renderCostsMarkdown(r: CostReport, room = Number.POSITIVE_INFINITY): string {
  if (r.unpriced !== undefined) return fitting(`#### Costs\n\nnot priced: ${inertMarkdown(r.unpriced)}\n`, room);
  const head = `#### Costs (${inertMarkdown(r.currency)}, from ${inertMarkdown(r.source)})\n\n`;
  const total = `\n**${inertMarkdown(totalLine(r))}**\n`;
  const rows = r.customers.filter(worthShowing).map((c) => `- **${inertMarkdown(c.name)}** — cost: ${inertMarkdown(costLine(c, r.currency))}\n`);
  const more = (n: number) => `- … and ${n} more customer${n === 1 ? "" : "s"}: \`pcplan plan --format json\` or \`--format html\` shows every one\n`;
  let body = "";
  let shown = 0;
  for (const row of rows) {
    // Room kept for the closing count, at its longest.
    const reserve = shown + 1 < rows.length ? more(rows.length).length : 0;
    if (head.length + body.length + row.length + reserve + total.length > room) break;
    body += row;
    shown++;
  }
  if (shown < rows.length) body += more(rows.length - shown);
  return fitting(head + body + total, room);
}

/** `text` if it fits `room`, else nothing: the preview before it always comes first. */
const fitting = (text: string, room: number) => (text.length <= room ? text : "");

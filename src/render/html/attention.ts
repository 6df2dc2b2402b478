import type { Attention, StatusReport } from "../../status/types.js";
import { plural, utcTime } from "./format.js";
import { html, type Html } from "./html.js";
import { breakable } from "./wrap.js";

interface AttentionView<A extends Attention> {
  /** The heading of its part of "Needs attention". */
  title: string;
  /** What it means and what to do, once under the heading. */
  explain: string;
  /** The line in the customer's State cell. */
  row(a: A): Html;
}

type Views = { [K in Attention["kind"]]: AttentionView<Extract<Attention, { kind: K }>> };

/**
 * Every kind of thing a person must act on, and how the report shows it. A new kind in the
 * status model is a type error here until it has its heading, its explanation and its row.
 */
const VIEWS: Views = {
  "access-refused": {
    title: "Refused for access",
    explain:
      "The last apply wrote nothing for these customers: the credential lacks a GDAP role their changes need there. Grant the role through the customer's GDAP relationship, then apply again.",
    row: (a) => html`refused at the last apply (<time datetime="${a.time}">${utcTime(a.time)}</time>): ${breakable(a.message)}`,
  },
  "license-error": {
    title: "Licence assignment errors",
    explain:
      "Microsoft recorded these licence assignments as failed, in Microsoft Graph's words: the user does not hold that licence. pcplan retires no source while someone holds it. Resolve the error (free or buy a seat, remove the conflicting licence, set a usage location), then apply again.",
    row: (a) =>
      html`licence assignment error: ${breakable(a.upn)}: ${a.sku} ${a.group === null ? "assigned directly" : html`through group ${breakable(a.group)}`} failed (<b>${a.error}</b>)`,
  },
};

/** The report's line for one thing to act on. */
export function attentionRow(a: Attention): Html {
  return (VIEWS[a.kind].row as (x: Attention) => Html)(a);
}

/** Every kind, with its heading and explanation (for "Needs attention"). */
export const ATTENTION: { readonly [K in Attention["kind"]]: Pick<AttentionView<Attention>, "title" | "explain"> } = VIEWS;

/** "Needs attention", above everything else, when some customer needs it; nothing otherwise. */
export function renderAttention(report: StatusReport): Html {
  const items = report.plans.flatMap((p) => p.customers.flatMap((c) => (c.attention ?? []).map((a) => ({ a, c, p }))));
  if (items.length === 0) return html``;
  const kinds = (Object.keys(ATTENTION) as Attention["kind"][]).filter((k) => items.some((i) => i.a.kind === k));
  const customers = new Set(items.map((i) => i.c.customerId)).size;
  return html`<section class="card attention" aria-labelledby="attention-h"><h2 id="attention-h">Needs attention (${plural(customers, "customer")})</h2>
${kinds.map((k) => {
  const view = ATTENTION[k];
  const mine = items.filter((i) => i.a.kind === k);
  return html`<h3>${view.title} (${mine.length})</h3><p class="muted">${view.explain}</p><ul class="attention-list">${mine.map(
    ({ a, c, p }) => html`<li><span class="who">${c.name}</span> <span class="muted">(${p.name})</span> · ${attentionRow(a)}</li>`,
  )}</ul>`;
})}
</section>`;
}

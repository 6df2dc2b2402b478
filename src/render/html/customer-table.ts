import { ACTION_KINDS } from "../../actions/registry.js";
import type { Action } from "../../reconcile/types.js";
import { describePending } from "../../status/render-status.js";
import type { CustomerStatus, PlanStatus, Progress } from "../../status/types.js";
import { describeAction, markerOf } from "../describe.js";
import { attentionRow } from "./attention.js";
import { plural, utcTime } from "./format.js";
import { html, type Html } from "./html.js";
import { retireNotes, sourceCell, type DateOptions } from "./source-cell.js";
import { breakable } from "./wrap.js";

export interface TableOptions extends DateOptions {
  /** The plan preview lists each customer's actions; the status report counts them. */
  actions?: ReadonlyMap<string, readonly Action[]>;
}

/** Glyph and words for each state: colour is never the only signal. */
const PROGRESS: Record<Progress, { glyph: string; label: string; order: number }> = {
  blocked: { glyph: "✕", label: "blocked", order: 0 },
  "not-found": { glyph: "?", label: "not found", order: 1 },
  "not-started": { glyph: "○", label: "not started", order: 2 },
  "in-progress": { glyph: "◐", label: "in progress", order: 3 },
  scheduled: { glyph: "◷", label: "scheduled", order: 3.5 },
  done: { glyph: "✓", label: "done", order: 4 },
};

export const COLUMNS = ["Customer", "State", "On target", "To move", "Excluded", "Source subscriptions", "Pending", "Last change"] as const;
export type Column = (typeof COLUMNS)[number];
const NUMERIC = new Set<Column>(["On target", "To move", "Excluded"]);

/** Every kind the registry knows counts: a customer whose only work is a transition is not "nothing". */
function pendingCell(c: CustomerStatus, opts: TableOptions): { v: number; cell: Html } {
  const total = ACTION_KINDS.reduce((n, k) => n + c.pending[k], 0);
  if (total === 0) return { v: 0, cell: html`<span class="muted">nothing</span>` };
  const actions = opts.actions?.get(c.customerId);
  if (!actions || actions.length === 0) return { v: total, cell: html`${describePending(c.pending)}` };
  return {
    v: total,
    cell: html`<details class="actions"><summary>${describePending(c.pending)}</summary><ol>${actions.map(
      (a) => html`<li><span class="mark m-${a.kind}" aria-hidden="true">${markerOf(a)}</span> ${breakable(describeAction(a, opts))}</li>`,
    )}</ol></details>`,
  };
}

function stateCell(c: CustomerStatus): Html {
  const st = PROGRESS[c.progress];
  const notes = [
    ...(c.attention ?? []).map((a) => html`<li class="note-error attention"><span aria-hidden="true">✕</span> ${attentionRow(a)}</li>`),
    ...c.notes.map(
      (n) => html`<li class="note-${n.level}"><span aria-hidden="true">${n.level === "error" ? "✕" : "⚠"}</span> ${n.level}: ${breakable(n.message)}</li>`,
    ),
  ];
  return html`<td data-label="State" data-v="${st.order}"><span class="badge p-${c.progress}"><span aria-hidden="true">${st.glyph}</span> ${st.label}</span>${
    notes.length > 0 ? html`<ul class="notes">${notes}</ul>` : ""
  }</td>`;
}

function row(c: CustomerStatus, p: PlanStatus, opts: TableOptions): Html {
  const src = sourceCell(c, p, opts);
  const pending = pendingCell(c, opts);
  const last = c.lastChange;
  const cells: Record<Column, Html> = {
    Customer: html`<th scope="row" data-label="Customer" data-v="${c.name.toLowerCase()}"><span class="name">${c.name}</span><code class="id">${c.customerId}</code></th>`,
    State: stateCell(c),
    "On target": html`<td class="num" data-label="On target">${c.usersOnTarget}</td>`,
    "To move": html`<td class="num" data-label="To move">${c.usersToMove}</td>`,
    Excluded: html`<td class="num" data-label="Excluded">${c.excluded}</td>`,
    "Source subscriptions": html`<td data-label="Source" data-v="${src.v}">${src.cell}</td>`,
    Pending: html`<td data-label="Pending" data-v="${pending.v}">${pending.cell}</td>`,
    "Last change": last
      ? html`<td data-label="Last change" data-v="${last.time}"><time datetime="${last.time}">${utcTime(last.time)}</time><br>${last.action} <span class="outcome-${last.outcome}">${
          last.outcome === "ok" ? "✓ ok" : "✕ failed"
        }</span></td>`
      : html`<td data-label="Last change" data-v=""><span class="muted">none by pcplan</span></td>`,
  };
  return html`<tr data-state="${c.progress}">${COLUMNS.map((col) => cells[col])}</tr>`;
}

/** One plan's customers as a table; the inline script makes the headers sort buttons. */
export function renderCustomerTable(p: PlanStatus, opts: TableOptions): Html {
  return html`<div class="table-wrap"><table class="customers">
<caption>Customers of ${p.name} (${plural(p.customers.length, "customer")})</caption>
<thead><tr>${COLUMNS.map((col) => html`<th scope="col"${NUMERIC.has(col) ? html` class="num"` : ""}>${col}</th>`)}</tr></thead>
<tbody>${p.customers.map((c) => row(c, p, opts))}</tbody>
</table>${retireNotes(p)}</div>`;
}

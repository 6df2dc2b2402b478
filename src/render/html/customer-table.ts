import { DEPROVISION_AFTER_DAYS } from "../../partner-center/lifecycle.js";
import { daysBetween } from "../../util/dates.js";
import type { Action } from "../../reconcile/types.js";
import { describePending, describeSource } from "../../status/render-status.js";
import type { CustomerStatus, PlanStatus, Progress, SourceSubscription } from "../../status/types.js";
import { describeAction, markerOf } from "../describe.js";
import { urgencyOf } from "./deadlines.js";
import { isoDate, plural, relativeDays, utcTime } from "./format.js";
import { html, type Html } from "./html.js";

export interface TableOptions {
  now: string;
  warnDays: number;
  /** The plan preview lists each customer's actions; the status report counts them. */
  actions?: ReadonlyMap<string, readonly Action[]>;
}

/** Glyph and words for each state: colour is never the only signal. */
const PROGRESS: Record<Progress, { glyph: string; label: string; order: number }> = {
  blocked: { glyph: "✕", label: "blocked", order: 0 },
  "not-found": { glyph: "?", label: "not found", order: 1 },
  "not-started": { glyph: "○", label: "not started", order: 2 },
  "in-progress": { glyph: "◐", label: "in progress", order: 3 },
  done: { glyph: "✓", label: "done", order: 4 },
};

export const COLUMNS = ["Customer", "State", "On target", "To move", "Excluded", "Source subscriptions", "Pending", "Last change"] as const;
export type Column = (typeof COLUMNS)[number];
const NUMERIC = new Set<Column>(["On target", "To move", "Excluded"]);

function dated(label: string, iso: string, opts: TableOptions): Html {
  const days = daysBetween(opts.now, iso);
  const u = urgencyOf(days, opts.warnDays);
  return html`${label} <time datetime="${isoDate(iso)}" class="u-${u}">${isoDate(iso)}</time> <span class="muted">(${relativeDays(days)})</span>`;
}

type Retirement = NonNullable<SourceSubscription["retirement"]>;

/** Said once under the table for the methods it shows, rather than in every row. */
const RETIRE: Record<Retirement, string> = {
  suspend: `pcplan suspends the source once no user holds it; Partner Center deprovisions it ${DEPROVISION_AFTER_DAYS} days later.`,
  cancel: "pcplan cancels the source while its cancellation window is open (a prorated refund).",
  "no-renew": "pcplan turns auto-renew off; the source ends with its term.",
  keep: "the plan leaves the source as it is.",
};

function subscriptionItem(s: SourceSubscription, opts: TableOptions): Html {
  const parts: Html[] = [html`<strong>${s.status}</strong> · ${plural(s.quantity, "seat")}`];
  if (s.status === "suspended") {
    parts.push(
      s.suspendedAt && s.deprovisionOn
        ? html` · suspended <time datetime="${isoDate(s.suspendedAt)}">${isoDate(s.suspendedAt)}</time> · ${dated("deprovisioned", s.deprovisionOn, opts)}`
        : html` · deprovisioned within ${DEPROVISION_AFTER_DAYS} days of its suspension <span class="muted">(date not in pcplan's audit log)</span>`,
    );
  } else if (s.status === "active") {
    if (s.commitmentEndDate) parts.push(html` · ${dated("term ends", s.commitmentEndDate, opts)}`);
    if (s.autoRenew !== undefined) parts.push(html` · auto-renew ${s.autoRenew ? "on" : "off"}`);
    // A window that closed is history, not a date anyone can act on.
    if (s.cancellationAllowedUntil && Date.parse(s.cancellationAllowedUntil) > Date.parse(opts.now))
      parts.push(html` · ${dated("cancellable until", s.cancellationAllowedUntil, opts)}`);
    if (s.retirement) {
      parts.push(
        html`<br><span class="retire">retire: <strong>${s.retirement}</strong>${
          s.retirementDate ? html` · ${dated(s.retirement === "cancel" ? "by" : "effective", s.retirementDate, opts)}` : ""
        }</span>`,
      );
    }
  }
  return html`<li>${parts}<br><code class="id">${s.id}</code></li>`;
}

function sourceCell(c: CustomerStatus, p: PlanStatus, opts: TableOptions): { v: string; cell: Html } {
  const subs = c.sourceSubscriptions ?? [];
  const dates = subs
    .flatMap((s) => [s.retirementDate, s.commitmentEndDate, s.deprovisionOn])
    .filter((d): d is string => d !== undefined)
    .sort();
  const v = dates[0] ?? "";
  if (subs.length === 0) return { v, cell: html`<span class="muted">${describeSource(c.source, p.source)}</span>` };
  return { v, cell: html`<span class="sku">${p.source}</span><ul class="subs">${subs.map((s) => subscriptionItem(s, opts))}</ul>` };
}

function pendingCell(c: CustomerStatus, opts: TableOptions): { v: number; cell: Html } {
  const total = c.pending.purchase + c.pending.resize + c.pending.reassign + c.pending.suspend;
  if (total === 0) return { v: 0, cell: html`<span class="muted">nothing</span>` };
  const actions = opts.actions?.get(c.customerId);
  if (!actions || actions.length === 0) return { v: total, cell: html`${describePending(c.pending)}` };
  return {
    v: total,
    cell: html`<details class="actions"><summary>${describePending(c.pending)}</summary><ol>${actions.map(
      (a) => html`<li><span class="mark m-${a.kind}" aria-hidden="true">${markerOf(a)}</span> ${describeAction(a, opts)}</li>`,
    )}</ol></details>`,
  };
}

function row(c: CustomerStatus, p: PlanStatus, opts: TableOptions): Html {
  const st = PROGRESS[c.progress];
  const src = sourceCell(c, p, opts);
  const pending = pendingCell(c, opts);
  const notes = c.notes.map(
    (n) => html`<li class="note-${n.level}"><span aria-hidden="true">${n.level === "error" ? "✕" : "⚠"}</span> ${n.level}: ${n.message}</li>`,
  );
  const last = c.lastChange;
  const cells: Record<Column, Html> = {
    Customer: html`<th scope="row" data-label="Customer" data-v="${c.name.toLowerCase()}"><span class="name">${c.name}</span><code class="id">${c.customerId}</code></th>`,
    State: html`<td data-label="State" data-v="${st.order}"><span class="badge p-${c.progress}"><span aria-hidden="true">${st.glyph}</span> ${st.label}</span>${
      notes.length > 0 ? html`<ul class="notes">${notes}</ul>` : ""
    }</td>`,
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

function retireNotes(p: PlanStatus): Html {
  const methods = new Set(
    p.customers.flatMap((c) => (c.sourceSubscriptions ?? []).flatMap((s) => (s.status === "active" && s.retirement ? [s.retirement] : []))),
  );
  if (methods.size === 0) return html``;
  return html`<ul class="retire-notes">${[...methods].sort().map((m) => html`<li>retire: <strong>${m}</strong> — ${RETIRE[m]}</li>`)}</ul>`;
}

/** One plan's customers as a table; the inline script makes the headers sort buttons. */
export function renderCustomerTable(p: PlanStatus, opts: TableOptions): Html {
  return html`<div class="table-wrap"><table class="customers">
<caption>Customers of ${p.name} (${plural(p.customers.length, "customer")})</caption>
<thead><tr>${COLUMNS.map((col) => html`<th scope="col"${NUMERIC.has(col) ? html` class="num"` : ""}>${col}</th>`)}</tr></thead>
<tbody>${p.customers.map((c) => row(c, p, opts))}</tbody>
</table>${retireNotes(p)}</div>`;
}

import type { Action } from "../../reconcile/types.js";
import { zeroTotals } from "../../status/compute-status.js";
import type { PlanStatus, PlanStatusTotals, StatusReport } from "../../status/types.js";
import { COLUMNS, renderCustomerTable, type Column } from "./customer-table.js";
import { collectDeadlines, describeDeadline } from "./deadlines.js";
import { isoDate, plural } from "./format.js";
import { html, type Html } from "./html.js";
import { renderPage, type ReportMeta } from "./page.js";
import { renderProgress } from "./progress.js";
import { renderTimeline } from "./timeline.js";
import { renderAttention } from "./attention.js";
import { breakable } from "./wrap.js";

const STATES = [
  ["done", "done"],
  ["in-progress", "in progress"],
  ["scheduled", "scheduled"],
  ["not-started", "not started"],
  ["blocked", "blocked"],
  ["not-found", "not found"],
] as const;

/** The table's headers sort too, but phones hide them: the same orders as a list. */
const SORTS: readonly [Column, "ascending" | "descending", string][] = [
  ["Customer", "ascending", "customer name"],
  ["State", "ascending", "state, blocked first"],
  ["To move", "descending", "users to move, most first"],
  ["Source subscriptions", "ascending", "source date, soonest first"],
  ["Last change", "descending", "last change, latest first"],
];

function filters(): Html {
  return html`<div id="filters" class="filters" hidden>
<label>Find customer<input id="filter-text" type="search" placeholder="name, id, UPN…" autocomplete="off"></label>
<label>State<select id="filter-state"><option value="">any</option>${STATES.map(([v, l]) => html`<option value="${v}">${l}</option>`)}</select></label>
<label>Sort by<select id="sort-by"><option value="">plan file order</option>${SORTS.map(([col, dir, l]) => html`<option value="${COLUMNS.indexOf(col)}:${dir}">${l}</option>`)}</select></label>
<output id="filter-count" aria-live="polite"></output>
</div>`;
}

function planSection(p: PlanStatus, i: number, report: StatusReport, meta: ReportMeta, actions?: ReadonlyMap<string, readonly Action[]>): Html {
  return html`<section class="card plan" aria-labelledby="plan-${i}">
<div class="plan-head"><h2 id="plan-${i}">${p.name}</h2><span class="route">${breakable(p.source)} → ${breakable(p.target)}</span><code class="muted">${p.file}</code></div>
${renderProgress(p.totals, p.target)}
${renderCustomerTable(p, { now: report.now, warnDays: meta.warnDays, ...(actions ? { actions } : {}) })}
</section>`;
}

function sumTotals(report: StatusReport): PlanStatusTotals {
  const t = zeroTotals();
  for (const p of report.plans) for (const k of Object.keys(t) as (keyof PlanStatusTotals)[]) t[k] += p.totals[k];
  return t;
}

/** The page body shared by the status report and the plan preview. */
export function reportBody(report: StatusReport, meta: ReportMeta, actions?: ReadonlyMap<string, readonly Action[]>): Html {
  const deadlines = collectDeadlines(report, meta.warnDays);
  if (report.plans.length === 0) return html`<p>No plans.</p>`;
  return html`${renderAttention(report)}<section class="card" aria-labelledby="deadlines-h"><h2 id="deadlines-h">Deadlines</h2>
${renderTimeline(deadlines, report.now, meta.warnDays)}
</section>
${filters()}
${report.plans.map((p, i) => planSection(p, i, report, meta, actions))}`;
}

export function reportSub(report: StatusReport): Html {
  const t = sumTotals(report);
  return html`${plural(t.customers, "customer")} in ${plural(report.plans.length, "plan")} · deadlines as of <time datetime="${report.now}">${isoDate(report.now)}</time>`;
}

/** `pcplan status --format html`: one self-contained page. Pure: all it shows comes in through its arguments. */
export function renderStatusHtml(report: StatusReport, meta: ReportMeta): string {
  const t = sumTotals(report);
  const next = collectDeadlines(report, meta.warnDays).find((d) => d.days >= 0);
  const summary = [
    `${t.done} of ${plural(t.customers, "customer")} done`,
    t.inProgress ? `${t.inProgress} in progress` : "",
    t.scheduled ? `${t.scheduled} scheduled` : "",
    t.notStarted ? `${t.notStarted} not started` : "",
    t.blocked ? `${t.blocked} blocked` : "",
    t.notFound ? `${t.notFound} not found` : "",
    `${t.usersToMove} ${t.usersToMove === 1 ? "user" : "users"} to move`,
    next ? `next deadline: ${describeDeadline(next)}` : "",
  ].filter(Boolean);
  return renderPage(
    { title: "pcplan status", heading: "Migration status", sub: reportSub(report), summary, body: reportBody(report, meta), now: report.now },
    meta,
  );
}

import { summarize, summaryLine } from "../../reconcile/summary.js";
import type { Action, CustomerPlan } from "../../reconcile/types.js";
import type { StatusReport } from "../../status/types.js";
import type { CostReport } from "../../model/cost-report.js";
import { costChip, renderCosts } from "./costs.js";
import { plural } from "./format.js";
import { html } from "./html.js";
import { renderPage, type ReportMeta } from "./page.js";
import { reportBody, reportSub } from "./status-html.js";

/** The same one-line verdict every format shares (reconcile/summary.ts), without its final period. */
function changesLine(customers: readonly CustomerPlan[]): string {
  return summaryLine(summarize(customers)).replace(/\.$/, "");
}

/**
 * `pcplan plan --format html`: the status page of the same live read, with each customer's
 * actions listed in the Pending column, and what the plan costs when it is priced. Pure.
 */
export function renderPlanHtml(report: StatusReport, customers: readonly CustomerPlan[], meta: ReportMeta, costs?: CostReport): string {
  const actions = new Map<string, readonly Action[]>(customers.map((c) => [c.customerId, c.actions]));
  const errors = customers.flatMap((c) => c.notes).filter((n) => n.level === "error").length;
  const summary = [changesLine(customers), errors ? `${plural(errors, "error")}: nothing is applied for those customers` : "", costChip(costs)].filter(Boolean);
  const body = html`${reportBody(report, meta, actions)}${renderCosts(costs)}`;
  return renderPage({ title: "pcplan plan", heading: "Migration plan preview", sub: reportSub(report), summary, body, now: report.now }, meta);
}

import type { Action, CustomerPlan } from "../../reconcile/types.js";
import type { StatusReport } from "../../status/types.js";
import { plural } from "./format.js";
import { renderPage, type ReportMeta } from "./page.js";
import { reportBody, reportSub } from "./status-html.js";

function changesLine(customers: readonly CustomerPlan[]): string {
  const n = { purchase: 0, resize: 0, reassign: 0, suspend: 0 };
  for (const c of customers) for (const a of c.actions) n[a.kind]++;
  const withChanges = customers.filter((c) => c.actions.length > 0).length;
  if (withChanges === 0) return "No changes. Live state matches the plans.";
  const parts = [plural(n.purchase, "purchase"), plural(n.resize, "resize"), plural(n.reassign, "reassignment"), plural(n.suspend, "suspension")];
  return `Plan: ${parts.join(", ")} across ${plural(withChanges, "customer")} (${customers.length - withChanges} unchanged)`;
}

/**
 * `pcplan plan --format html`: the status page of the same live read, with each customer's
 * actions listed in the Pending column. Pure.
 */
export function renderPlanHtml(report: StatusReport, customers: readonly CustomerPlan[], meta: ReportMeta): string {
  const actions = new Map<string, readonly Action[]>(customers.map((c) => [c.customerId, c.actions]));
  const errors = customers.flatMap((c) => c.notes).filter((n) => n.level === "error").length;
  const summary = [changesLine(customers), errors ? `${plural(errors, "error")}: nothing is applied for those customers` : ""].filter(Boolean);
  return renderPage(
    { title: "pcplan plan", heading: "Migration plan preview", sub: reportSub(report), summary, body: reportBody(report, meta, actions), now: report.now },
    meta,
  );
}

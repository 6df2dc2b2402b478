export { renderStatusHtml } from "./status-html.js";
export { renderPlanHtml } from "./plan-html.js";
export { collectDeadlines, type Deadline, type DeadlineKind } from "./deadlines.js";
export type { ReportMeta } from "./page.js";
